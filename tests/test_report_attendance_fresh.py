"""Minutes saved through the form are in the very next report and meetings overview of a
subtree computed live: both add up the meetings' attendance totals, written with the
minutes in one transaction."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branchwork.enums import AttendanceStatus
from tests.factories import make_member
from tests.factories_meetings import minutes_data

pytestmark = pytest.mark.django_db


def get(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response


def test_minutes_saved_are_in_the_next_report_request(world):
    members = [make_member(world.branch_a) for _ in range(4)]
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    year = last_month.year
    officer, secretary = Client(), Client()
    officer.force_login(world.officer)
    secretary.force_login(world.secretary)
    report = get(officer, "reports:dashboard", world.district.code, year).context["report"]
    assert report.totals.attendance is None
    data = minutes_data(
        members,
        date=last_month.replace(day=5),
        absences={members[0]: (AttendanceStatus.UNEXCUSED, "")},
    )
    saved = secretary.post(reverse("meetings:create", args=["X1-B1"]), data)
    assert saved.status_code == 302
    report = get(officer, "reports:dashboard", world.district.code, year).context["report"]
    assert report.totals.attendance == 75
    overview = get(officer, "meetings:list", world.district.code, year=year).context["totals"]
    assert overview["rate"] == 75
