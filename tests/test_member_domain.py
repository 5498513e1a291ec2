import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from members.enums import EventKind, MemberStatus
from members.models import Member, Membership, Transfer
from members.party_age import party_age
from tests.factories import MemberFactory, make_member, transfer
from tests.form_data import member_form

pytestmark = pytest.mark.django_db

D = datetime.date


def test_register_member_writes_membership_and_events(world):
    member = make_member(
        world.branch_a,
        official_date=None,
        admission_date=D(2025, 10, 1),
        admission_decision_date=D(2025, 9, 20),
    )
    assert member.status == MemberStatus.PROBATIONARY
    assert member.memberships.get().start_date == D(2025, 10, 1)
    assert list(member.events.values_list("kind", flat=True)) == [EventKind.ADMITTED]


def test_member_cannot_be_registered_in_a_committee(world):
    with pytest.raises(ValidationError):
        make_member(world.commune)
    assert not Member.objects.exists()


def test_transfer_dates_the_memberships(world):
    member = make_member(world.branch_a)
    transfer(member, world.branch_b, D(2024, 5, 10), letter="12-GGT")
    rows = list(Membership.objects.filter(member=member).order_by("start_date"))
    assert [(r.branch_id, r.start_date, r.end_date) for r in rows] == [
        (world.branch_a.pk, D(2010, 3, 15), D(2024, 5, 10)),
        (world.branch_b.pk, D(2024, 5, 10), None),
    ]
    member.refresh_from_db()
    assert member.branch == world.branch_b


def test_transfer_before_joining_changes_nothing(world):
    member = make_member(world.branch_a, joined_branch_on=D(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        transfer(member, world.branch_b, D(2019, 12, 31), letter="1")
    assert "letter_date" in error.value.message_dict
    assert not Transfer.objects.exists()
    member.refresh_from_db()
    assert member.branch == world.branch_a
    assert member.memberships.count() == 1


def test_transfer_to_same_branch_is_refused(world):
    member = make_member(world.branch_a)
    with pytest.raises(ValidationError):
        transfer(member, world.branch_a, D(2024, 1, 1), letter="1")


def test_members_in_branch_on_a_past_date(world):
    stayed = make_member(world.branch_a)
    moved = make_member(world.branch_a)
    transfer(moved, world.branch_b, D(2024, 5, 10), letter="1")

    def in_branch_a(day):
        return set(
            Membership.objects.on(day)
            .filter(branch=world.branch_a)
            .values_list("member_id", flat=True)
        )

    assert in_branch_a(D(2024, 5, 9)) == {stayed.pk, moved.pk}
    assert in_branch_a(D(2024, 5, 10)) == {stayed.pk}


def event(kind, day):
    return SimpleNamespace(kind=kind, date=day)


def test_party_age_counts_from_the_decision():
    age = party_age(D(1995, 2, 3), [], D(2025, 2, 3))
    assert (age.years, age.months) == (30, 0)
    assert party_age(D(1995, 2, 3), [], D(2025, 2, 2)).years == 29


def test_party_age_subtracts_the_gap_outside_the_party():
    events = [event(EventKind.REMOVED, D(2000, 1, 1)), event(EventKind.READMITTED, D(2002, 1, 1))]
    age = party_age(D(1990, 1, 1), events, D(2020, 1, 1))
    assert (age.years, age.months) == (28, 0)
    assert age.days_outside == 731


def test_party_age_stops_while_outside_but_not_in_another_organization():
    removed = [event(EventKind.REMOVED, D(2010, 6, 1))]
    assert party_age(D(2000, 6, 1), removed, D(2020, 1, 1)).years == 10
    transferred = [event(EventKind.TRANSFERRED_OUT, D(2010, 6, 1))]
    assert party_age(D(2000, 6, 1), transferred, D(2020, 1, 1)).years == 19


def test_member_form_validation_changes_nothing(world, as_user):
    from django.urls import reverse

    data = MemberFactory.build()
    response = as_user(world.officer).post(
        reverse("members:create"),
        member_form(
            date_of_birth="01/01/2010",
            admission_decision_date="01/02/2020",
            admission_date="15/01/2020",
            branch=world.branch_a.pk,
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "admission_decision_date" in form.errors  # admitted at 10 years of age
    assert "admission_date" in form.errors  # ceremony before the decision
    assert not Member.objects.filter(member_number="55555555").exists()
    assert data.member_number != "55555555"
