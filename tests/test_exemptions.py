"""Whether a member was exempted on a day: both forms of the rule (the correlated one a
page annotates, the uncorrelated one a report counts with) agree across an exemption,
a resumption and a second exemption, on and around each event's day."""

import datetime

import pytest

from members import lifecycle
from members.enums import EventKind
from members.exemptions import exempted_on, latest_exemption
from members.models import Member
from tests.factories import make_member

pytestmark = pytest.mark.django_db
D = datetime.date


def test_exempted_between_an_exemption_and_the_next_resumption(world):
    member = make_member(world.branch_a)
    other = make_member(world.branch_a)
    lifecycle.exempt(member, on=D(2024, 3, 1), document_number="1")
    lifecycle.resume(member, on=D(2024, 9, 1), document_number="2")
    lifecycle.exempt(member, on=D(2025, 2, 1), document_number="3")
    expected = {
        D(2024, 2, 29): False,
        D(2024, 3, 1): True,
        D(2024, 8, 31): True,
        D(2024, 9, 1): False,
        D(2025, 1, 31): False,
        D(2025, 2, 1): True,
    }
    for day, exempted in expected.items():
        kind = (
            Member.objects.filter(pk=member.pk)
            .annotate(kind=latest_exemption(day, "pk"))
            .values_list("kind", flat=True)
            .get()
        )
        assert (kind == EventKind.EXEMPTED) is exempted, day
        ids = set(exempted_on(day).values_list("member_id", flat=True))
        assert (member.pk in ids) is exempted, day
        assert other.pk not in ids
