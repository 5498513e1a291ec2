"""Admission rules corrected: the ceremony is due 30 working days from the RECEIPT of the
decision, and the two-thirds vote base leaves out members away on temporary transfer and
exempted members who are absent."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from admission import domain
from admission.deadlines import schedule
from admission.enums import Stage
from admission.models import AdmissionDecision, BranchVote
from members import lifecycle
from members.enums import MembershipKind
from members.models import Membership
from partyorg.workdays import WorkingCalendar, add_working_days
from tests.factories_admission import make_candidate, make_officials, walk

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def resolved(world):
    make_officials(world.branch_a, 3)
    return walk(make_candidate(world.branch_a), Stage.GRASSROOTS_RESOLVED)


def decision_data(candidate, **overrides):
    return {
        "number": "45-QĐ/HU",
        "date": "01/08/2024",
        "received_on": "15/08/2024",
        "issuing_body": domain.deciding_bodies(candidate.branch).first().pk,
    } | overrides


def test_the_ceremony_is_due_thirty_working_days_after_the_receipt(world, as_user, resolved):
    url = reverse("admission:step", args=[resolved.pk, "decision"])
    assert as_user(world.officer).post(url, decision_data(resolved)).status_code == 302
    resolved.refresh_from_db()
    ceremony = next(d for d in schedule(resolved, WorkingCalendar()) if "ceremony" in str(d.what))
    assert ceremony.due == add_working_days(D(2024, 8, 15), 30)
    assert ceremony.due > add_working_days(D(2024, 8, 1), 30)
    assert "15/08/2024" in as_user(world.officer).get(resolved.get_absolute_url()).content.decode()


def test_without_the_receipt_the_deadline_counts_from_the_decision(world, as_user, resolved):
    url = reverse("admission:step", args=[resolved.pk, "decision"])
    as_user(world.officer).post(url, decision_data(resolved, received_on=""))
    resolved.refresh_from_db()
    ceremony = next(d for d in schedule(resolved, WorkingCalendar()) if "ceremony" in str(d.what))
    assert ceremony.due == add_working_days(D(2024, 8, 1), 30)


def test_a_receipt_before_the_decision_is_refused(world, as_user, resolved):
    url = reverse("admission:step", args=[resolved.pk, "decision"])
    response = as_user(world.officer).post(url, decision_data(resolved, received_on="31/07/2024"))
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    assert not AdmissionDecision.objects.exists()


@pytest.fixture
def six_officials_one_away_one_exempted(world):
    officials = make_officials(world.branch_a, 6)
    Membership.objects.create(
        member=officials[0],
        branch=world.branch_b,
        kind=MembershipKind.TEMPORARY,
        start_date=D(2024, 6, 1),
    )
    lifecycle.exempt(officials[1], on=D(2024, 6, 1), document_number="7-QĐ/CB")
    return walk(make_candidate(world.branch_a), Stage.VERIFIED, officials=officials[2:4])


def vote_data(**values):
    return {"on": "01/07/2024", "disagreeing": 0, "resolution_number": "03-NQ/CB"} | values


def test_the_vote_base_leaves_out_members_away_and_absent_exempted(
    world, as_user, six_officials_one_away_one_exempted
):
    candidate = six_officials_one_away_one_exempted
    url = reverse("admission:step", args=[candidate.pk, "branch-vote"])
    response = as_user(world.officer).post(url, vote_data(agreeing=3, exempted_absent=1))
    assert response.status_code == 302
    vote = BranchVote.objects.get()
    assert (vote.official_members, vote.away, vote.exempted_absent, vote.base) == (6, 1, 1, 4)
    assert vote.passed  # 3 of 4; it would fail on 6


def test_present_exempted_members_stay_in_the_base(
    world, as_user, six_officials_one_away_one_exempted
):
    candidate = six_officials_one_away_one_exempted
    url = reverse("admission:step", args=[candidate.pk, "branch-vote"])
    as_user(world.officer).post(url, vote_data(agreeing=3, exempted_absent=0))
    vote = BranchVote.objects.get()
    assert (vote.base, vote.passed) == (5, False)  # 3 of 5 is short of two thirds


def test_more_absent_exempted_than_exempted_is_refused(
    world, as_user, six_officials_one_away_one_exempted
):
    candidate = six_officials_one_away_one_exempted
    url = reverse("admission:step", args=[candidate.pk, "branch-vote"])
    response = as_user(world.officer).post(url, vote_data(agreeing=3, exempted_absent=2))
    assert response.status_code == 200
    assert "exempted_absent" in response.context["form"].errors
    assert not BranchVote.objects.exists()


def test_the_rule_setting_can_count_every_official_member(
    world, as_user, six_officials_one_away_one_exempted
):
    candidate = six_officials_one_away_one_exempted
    url = reverse("admission:step", args=[candidate.pk, "branch-vote"])
    rules = {"admission": {"24-QĐ/TW": {"vote_base_excludes_away": False}}}
    with override_settings(PARTYORG_RULES=rules):
        as_user(world.officer).post(url, vote_data(agreeing=4, exempted_absent=0))
    vote = BranchVote.objects.get()
    assert (vote.base, vote.passed) == (6, True)
