"""The transfer letter under concurrent requests, through the pages: two officers writing
a letter for the same member at the same moment, and two accepting the same letter at
once. Real PostgreSQL connections, one thread each, released together."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branches.enums import RoleKind
from members import transfers
from members.enums import MembershipKind, TransferKind, TransferState
from members.models import Transfer
from tests.factories import make_member, make_user
from tests.test_concurrent_edits import post_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL connections"
    ),
]

ROUNDS = 5
LETTER_DATE = timezone.localdate() - datetime.timedelta(days=3)


@pytest.fixture
def officers(world):
    """Two officers of the district, each with a browser of their own."""
    colleague = make_user(world.district, RoleKind.OFFICER, username="lan")
    first, second = Client(), Client()
    first.force_login(world.officer)
    second.force_login(colleague)
    return first, second


def test_two_letters_at_once_leave_one_pending(world, officers):
    for round_ in range(ROUNDS):
        member = make_member(world.branch_a)
        url = reverse("members:transfer_new", args=[member.member_number])
        posts = [
            (
                client,
                url,
                {
                    "kind": "official",
                    "to_branch": branch.code,
                    "letter_number": f"{round_}-{n}",
                    "letter_date": LETTER_DATE.strftime("%d/%m/%Y"),
                },
            )
            for n, (client, branch) in enumerate(
                zip(officers, [world.branch_b, world.other_branch], strict=True)
            )
        ]
        responses = post_together(posts)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 302], f"round {round_}: {responses}"
        refused = next(r for r in responses if r.status_code == 200)
        assert refused.context["form"].non_field_errors()
        assert member.transfers.filter(state=TransferState.PENDING).count() == 1


def test_two_acceptances_at_once_move_the_member_once(world, officers):
    for round_ in range(ROUNDS):
        member = make_member(world.branch_a)
        letter = transfers.request_transfer(
            member,
            kind=TransferKind.OFFICIAL,
            to_branch=world.branch_b,
            letter_number=str(round_),
            letter_date=LETTER_DATE,
        )
        url = reverse("record_work:transfer_accept", args=[letter.pk])
        on = {"on": LETTER_DATE.strftime("%d/%m/%Y")}
        responses = post_together([(client, url, on) for client in officers])
        assert all(r.status_code == 302 for r in responses), f"round {round_}: {responses}"
        open_homes = member.memberships.open().filter(kind=MembershipKind.HOME)
        assert [m.branch_id for m in open_homes] == [world.branch_b.pk]
        assert member.events.filter(kind="transferred").count() == 1
        assert Transfer.objects.get(pk=letter.pk).state == TransferState.ACCEPTED
