"""Admission rules corrected: the ceremony is due 30 working days from the RECEIPT of the
decision, and the two-thirds vote base leaves out members away on temporary transfer and
exempted members who are absent."""

import datetime

import pytest
from django.urls import reverse

from admission import domain
from admission.deadlines import schedule
from admission.enums import Stage
from admission.models import AdmissionDecision
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
