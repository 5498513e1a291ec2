"""No page keeps its figures: whatever the size of the subtree, a change is in the next
request's figures, and no page says its figures are of an earlier time."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branchwork.enums import AttendanceStatus
from tests.factories import make_member
from tests.factories_meetings import minutes_data

pytestmark = pytest.mark.django_db

OLD_NOTICE = "Figures as of"


def get(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    assert OLD_NOTICE not in response.content.decode()
    return response


def test_a_new_member_is_counted_by_the_next_view_of_every_page(world, as_user):
    make_member(world.branch_a)
    client = as_user(world.officer)
    year = timezone.localdate().year

    def seen():
        tree = get(client, "organizations:tree").context["nodes"]
        return [
            get(client, "home").context["figures"]["active"],
            get(client, "members:list").context["page"].paginator.count,
            {node.pk: node.counts for node in tree}[world.district.pk]["members"],
            get(client, "organizations:node_detail", world.district.code).context["counts"][
                "members"
            ],
            get(client, "reports:dashboard", world.district.code, year)
            .context["report"]
            .totals.members,
        ]

    assert seen() == [1] * 5
    make_member(world.branch_a)
    assert seen() == [2] * 5


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
