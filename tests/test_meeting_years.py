"""The meetings the database keeps per branch and year (BranchMeetingYear) follow every
path that writes minutes, the meetings pages read them fresh, and `manage.py
check_totals` finds and mends a difference."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.meeting_years import FIGURES, MEETING_YEARS
from branchwork.models import BranchMeetingYear, Meeting
from members.counts import MEMBER_TOTALS
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes
from tests.factories_meetings import minutes_data, record
from tests.test_import_meetings import BOOK, MARCH, PER_MEMBER, TOTALS, imported
from tests.threads import together

YEAR = timezone.localdate().year - 1
UNEXCUSED = (AttendanceStatus.UNEXCUSED, "")


def kept(branch, year=YEAR) -> dict:
    row = BranchMeetingYear.objects.filter(branch=branch, year=year, meetings__gt=0)
    return next(iter(row.values(*FIGURES)), {})


def months(*numbers) -> int:
    return sum(1 << (n - 1) for n in numbers)


def figures(meetings, regular_months, thematic, present, counted) -> dict:
    return dict(zip(FIGURES, (meetings, regular_months, *thematic, present, counted), strict=True))


@pytest.mark.django_db
def test_minutes_entered_and_corrected_through_the_form_are_kept(world, as_user):
    members = [make_member(world.branch_a) for _ in range(3)]
    client = as_user(world.secretary)
    data = minutes_data(members, date=datetime.date(YEAR, 2, 5), absences={members[0]: UNEXCUSED})
    assert client.post(reverse("meetings:create", args=["X1-B1"]), data).status_code == 302
    record(world.branch_a, datetime.date(YEAR, 5, 10), kind=MeetingKind.THEMATIC)
    record(world.branch_a, datetime.date(YEAR, 7, 5), with_thematic_part=True)
    assert kept(world.branch_a) == figures(3, months(2, 7), (0, 1, 1, 0), 2 + 3, 3 + 3)

    # The secretary corrects the first minutes: held in March, everyone present.
    meeting = Meeting.objects.get(month=datetime.date(YEAR, 2, 1))
    edit = reverse("meetings:edit", args=["X1-B1", meeting.pk])
    data = minutes_data(members, date=datetime.date(YEAR, 3, 6))
    data["guest-INITIAL_FORMS"] = "0"
    data["version"] = client.get(edit).context["form"]["version"].value()
    assert client.post(edit, data).status_code == 302
    assert kept(world.branch_a) == figures(3, months(3, 7), (0, 1, 1, 0), 3 + 3, 3 + 3)

    # Moved into this year, the meeting leaves last year's row for this year's.
    Meeting.objects.filter(pk=meeting.pk).update(
        date=datetime.date(YEAR + 1, 1, 9), month=datetime.date(YEAR + 1, 1, 1)
    )
    assert kept(world.branch_a) == figures(2, months(7), (0, 1, 1, 0), 3, 3)
    assert kept(world.branch_a, YEAR + 1) == figures(1, months(1), (0, 0, 0, 0), 3, 3)

    Meeting.objects.filter(branch=world.branch_a, month__year=YEAR).delete()
    assert kept(world.branch_a) == {}
    assert MEETING_YEARS.differences() == []


@pytest.mark.django_db
def test_minutes_imported_in_both_forms_are_kept(world, as_user):
    for number in range(4):
        make_member(world.branch_a, member_number=f"M-{number}")
    client = as_user(world.officer)
    assert imported(client, "attendance", xlsx_bytes(MARCH, PER_MEMBER)).rows_new == 4
    assert imported(client, "meeting_totals", xlsx_bytes(BOOK, TOTALS)).rows_new == 2
    # MARCH: 2 of 4 present (one absent with a reason, one without); BOOK: 18 of 21 and
    # 22 of 22 (a member exempted and absent is not counted).
    assert kept(world.branch_a, 2021) == figures(1, months(3), (0, 0, 0, 0), 2, 4)
    assert kept(world.branch_b, 2021) == figures(2, months(4, 5), (0, 0, 0, 0), 40, 43)
    assert MEETING_YEARS.differences() == []


@pytest.mark.django_db
def test_the_meetings_of_the_year_are_fresh(world, as_user):
    make_member(world.branch_a)
    client = as_user(world.officer)
    page = reverse("organizations:node_detail", args=[world.district.code])
    assert client.get(page).context["meetings"]["totals"]["present"] == 0
    record(world.branch_a, timezone.localdate())
    response = client.get(page)
    assert response.context["meetings"]["totals"]["present"] == 1


@pytest.mark.django_db
def test_check_totals_reports_a_difference_and_rebuild_mends_it(world):
    make_member(world.branch_a)
    record(world.branch_a, datetime.date(YEAR, 4, 5))
    call_command("check_totals", stdout=io.StringIO())

    BranchMeetingYear.objects.filter(branch=world.branch_a).update(present=F("present") + 2)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 kept totals differ"):
        call_command("check_totals", stdout=out)
    assert (
        f"meetings per branch and year, ({world.branch_a.pk}, {YEAR}): "
        "kept (1, 8, 0, 0, 0, 0, 3, 1), recounted (1, 8, 0, 0, 0, 0, 1, 1)" in out.getvalue()
    )
    assert "Member totals agree with a recount." in out.getvalue()

    call_command("check_totals", "--rebuild", stdout=io.StringIO())
    assert MEETING_YEARS.differences() == [] and MEMBER_TOTALS.differences() == []
    assert kept(world.branch_a) == figures(1, months(4), (0, 0, 0, 0), 1, 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent PostgreSQL writers")
def test_minutes_saved_at_once_for_one_branch_and_year_are_all_kept(world):
    """Two secretaries' minutes of the same branch and year, saved at the same moment from
    their own connections: both counted, no deadlock."""
    make_member(world.branch_a)
    make_member(world.branch_b)
    errors = []
    for month in range(1, 7):
        errors += together(
            lambda month=month: record(world.branch_a, datetime.date(YEAR, month, 5)),
            lambda month=month: record(world.branch_a, datetime.date(YEAR, month + 6, 5)),
            lambda month=month: record(world.branch_b, datetime.date(YEAR, month, 5)),
        )
    assert errors == []
    assert kept(world.branch_a)["regular_months"] == months(*range(1, 13))
    assert kept(world.branch_b)["regular_months"] == months(*range(1, 7))
    assert MEETING_YEARS.differences() == []
