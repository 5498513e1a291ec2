"""Delegation (ủy quyền, DOMAIN.md §11): the district committee hands the admission
decision to a grassroots committee from a date, on its own page; while it runs, the
grassroots officer records the decision and the branch secretary still may not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from admission.enums import Stage
from branches.enums import RoleKind
from branches.models import Delegation
from tests.factories import make_user
from tests.factories_admission import make_candidate, walk

pytestmark = pytest.mark.django_db


def page(code):
    return reverse("admission:delegations", args=[code])


def decision_url(candidate):
    return reverse("admission:step", args=[candidate.pk, "decision"])


@pytest.fixture
def grassroots_officer(world):
    return make_user(world.commune, RoleKind.OFFICER, username="dang-uy-xa")


def delegate_from(client, world, day: datetime.date):
    return client.post(
        page("H1"),
        {
            "delegate": world.commune.pk,
            "document": "15-QĐ/HU",
            "start_date": f"{day:%d/%m/%Y}",
        },
    )


def test_a_delegation_in_force_lets_the_grassroots_officer_decide(
    world, as_user, officials, grassroots_officer
):
    candidate = walk(make_candidate(world.branch_a), Stage.GRASSROOTS_RESOLVED)
    assert as_user(grassroots_officer).get(decision_url(candidate)).status_code == 403

    officer = as_user(world.officer)
    assert delegate_from(officer, world, datetime.date(2024, 7, 1)).status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegate, delegation.history.get().history_user) == (
        world.commune,
        world.officer,
    )
    assert "15-QĐ/HU" in officer.get(page("H1")).content.decode()

    client = as_user(grassroots_officer)
    form = client.get(decision_url(candidate))
    assert form.status_code == 200
    assert world.commune in form.context["form"].fields["issuing_body"].queryset
    response = client.post(
        decision_url(candidate),
        {"number": "03-QĐ/ĐU", "date": "01/08/2024", "issuing_body": world.commune.pk},
    )
    assert response.status_code == 302
    decision = candidate.decisions.get()
    assert decision.issuing_body == world.commune
    assert not decision.candidate.history.filter(
        history_change_reason__startswith="On behalf"
    ).exists(), "the delegate decides in its own name"

    assert as_user(world.secretary).get(decision_url(candidate)).status_code == 403


def test_before_its_start_the_delegation_gives_nothing_and_a_decision_before_it_is_refused(
    world, as_user, officials, grassroots_officer
):
    candidate = walk(make_candidate(world.branch_a), Stage.GRASSROOTS_RESOLVED)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert delegate_from(as_user(world.officer), world, tomorrow).status_code == 302
    assert as_user(grassroots_officer).get(decision_url(candidate)).status_code == 403

    # Started since, but the decision is dated before the delegation: not the delegate's.
    Delegation.objects.update(start_date=datetime.date(2024, 9, 1))
    response = as_user(grassroots_officer).post(
        decision_url(candidate),
        {"number": "03-QĐ/ĐU", "date": "01/08/2024", "issuing_body": world.commune.pk},
    )
    assert response.status_code == 200 and not candidate.decisions.exists()


def test_an_ended_delegation_gives_the_decision_back(world, as_user, officials, grassroots_officer):
    candidate = walk(make_candidate(world.branch_a), Stage.GRASSROOTS_RESOLVED)
    officer = as_user(world.officer)
    delegate_from(officer, world, datetime.date(2024, 7, 1))
    delegation = Delegation.objects.get()
    response = officer.post(page("H1"), {"delegation": delegation.pk, "end_date": "01/06/2024"})
    assert response.status_code == 200, "an end before the start is refused"
    officer.post(page("H1"), {"delegation": delegation.pk, "end_date": "01/10/2024"})
    delegation.refresh_from_db()
    assert delegation.end_date == datetime.date(2024, 10, 1)
    assert as_user(grassroots_officer).get(decision_url(candidate)).status_code == 403


def test_only_the_delegating_committee_records_and_the_page_is_scoped(
    world, as_user, officials, grassroots_officer
):
    assert (
        delegate_from(as_user(grassroots_officer), world, datetime.date(2024, 7, 1)).status_code
        == 404
    )
    assert as_user(world.outsider).get(page("H1")).status_code == 404
    assert as_user(world.viewer).get(page("H1")).status_code == 200
    assert delegate_from(as_user(world.viewer), world, datetime.date(2024, 7, 1)).status_code == 403
    assert as_user(world.officer).get(page("X1")).status_code == 404, "not a deciding level"
    assert not Delegation.objects.exists()
