"""The absences without reason the database keeps per member, branch and month
(MemberAbsenceMonth) follow every path that writes attendance, a meeting moved to another
month included; the pages that apply the removal rule read them; `manage.py check_totals`
finds and mends a difference."""

import datetime
import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from branchwork.absence_months import ABSENCE_MONTHS
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.meeting_queries import unexcused_absentees
from branchwork.models import Attendance, Meeting, MemberAbsenceMonth
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes
from tests.factories_meetings import minutes_data, record
from tests.test_import_meetings import MARCH, PER_MEMBER, imported
from tests.threads import together

YEAR = timezone.localdate().year - 1
UNEXCUSED = (AttendanceStatus.UNEXCUSED, "")
EXCUSED = (AttendanceStatus.EXCUSED, "Ốm")


def kept() -> dict:
    """(month number, branch, member) → absences, for the rows above zero."""
    rows = MemberAbsenceMonth.objects.filter(absences__gt=0)
    return {
        ((row.month.year, row.month.month), row.branch_id, row.member_id): row.absences
        for row in rows
    }


@pytest.mark.django_db
def test_absences_entered_and_corrected_through_the_form_are_kept(world, as_user):
    members = [make_member(world.branch_a) for _ in range(3)]
    client = as_user(world.secretary)
    absent = {members[0]: UNEXCUSED, members[1]: UNEXCUSED}
    data = minutes_data(members, date=datetime.date(YEAR, 2, 5), absences=absent)
    assert client.post(reverse("meetings:create", args=["X1-B1"]), data).status_code == 302
    branch = world.branch_a.pk
    assert kept() == {((YEAR, 2), branch, members[0].pk): 1, ((YEAR, 2), branch, members[1].pk): 1}

    # Corrected: held in March, the first member had a reason, the third had none.
    meeting = Meeting.objects.get()
    edit = reverse("meetings:edit", args=["X1-B1", meeting.pk])
    absent = {members[0]: EXCUSED, members[1]: UNEXCUSED, members[2]: UNEXCUSED}
    data = minutes_data(members, date=datetime.date(YEAR, 3, 6), absences=absent)
    data["guest-INITIAL_FORMS"] = "0"
    data["version"] = client.get(edit).context["form"]["version"].value()
    assert client.post(edit, data).status_code == 302
    assert kept() == {((YEAR, 3), branch, members[1].pk): 1, ((YEAR, 3), branch, members[2].pk): 1}

    # A thematic meeting of the same month adds to the same rows; the removal rule counts
    # the month once.
    record(world.branch_a, datetime.date(YEAR, 3, 20), kind=MeetingKind.THEMATIC, absences=absent)
    assert kept()[(YEAR, 3), branch, members[1].pk] == 2
    # Moved into this year, the minutes take their absences along.
    Meeting.objects.filter(pk=meeting.pk).update(
        date=datetime.date(YEAR + 1, 1, 9), month=datetime.date(YEAR + 1, 1, 1)
    )
    assert kept() == {
        ((YEAR, 3), branch, members[1].pk): 1,
        ((YEAR, 3), branch, members[2].pk): 1,
        ((YEAR + 1, 1), branch, members[1].pk): 1,
        ((YEAR + 1, 1), branch, members[2].pk): 1,
    }
    Meeting.objects.all().delete()
    assert kept() == {}
    assert ABSENCE_MONTHS.differences() == []


@pytest.mark.django_db
def test_absences_imported_with_past_minutes_are_kept(world, as_user):
    members = [make_member(world.branch_a, member_number=f"M-{n}") for n in range(4)]
    client = as_user(world.officer)
    assert imported(client, "attendance", xlsx_bytes(MARCH, PER_MEMBER)).rows_new == 4
    # MARCH: M-2 absent with a reason, M-3 without.
    assert kept() == {((2021, 3), world.branch_a.pk, members[3].pk): 1}
    assert imported(client, "attendance", xlsx_bytes(MARCH, PER_MEMBER)).rows_unchanged == 4
    assert kept() == {((2021, 3), world.branch_a.pk, members[3].pk): 1}
    assert ABSENCE_MONTHS.differences() == []


@pytest.mark.django_db
def test_the_removal_list_counts_the_kept_months(world, as_user):
    """Three months with an absence without reason put a member on the removal list; two
    meetings of one month count once."""
    late, steady = make_member(world.branch_a), make_member(world.branch_a)
    absent = {late: UNEXCUSED}
    record(world.branch_a, datetime.date(YEAR, 1, 5), absences=absent)
    record(world.branch_a, datetime.date(YEAR, 1, 20), kind=MeetingKind.THEMATIC, absences=absent)
    record(world.branch_a, datetime.date(YEAR, 4, 5), absences=absent)
    record(world.branch_a, datetime.date(YEAR, 7, 5))
    client = as_user(world.officer)
    query = {"node": world.district.code, "year": YEAR}
    response = client.get(reverse("record_work:removal"), query)
    assert [c.member for c in response.context["page"]] == []
    record(world.branch_a, datetime.date(YEAR, 9, 5), absences={late: UNEXCUSED, steady: EXCUSED})
    response = client.get(reverse("record_work:removal"), query)
    assert [(c.member, c.absent_months) for c in response.context["page"]] == [(late, 3)]


@pytest.mark.django_db
def test_check_totals_reports_a_difference_and_rebuild_mends_it(world):
    member = make_member(world.branch_a)
    record(world.branch_a, datetime.date(YEAR, 4, 5), absences={member: UNEXCUSED})
    call_command("check_totals", stdout=io.StringIO())

    MemberAbsenceMonth.objects.update(absences=F("absences") + 2)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 kept totals differ"):
        call_command("check_totals", stdout=out)
    key = (world.branch_a.pk, datetime.date(YEAR, 4, 1), member.pk)
    assert f"absences per member and month, {key}: kept 3, recounted 1" in out.getvalue()

    call_command("check_totals", "--rebuild", stdout=io.StringIO())
    assert ABSENCE_MONTHS.differences() == []
    assert kept() == {((YEAR, 4), world.branch_a.pk, member.pk): 1}


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent PostgreSQL writers"
)


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_absences_saved_at_once_for_one_member_and_month_are_all_kept(world):
    """A regular and a thematic meeting of the same month, each with the same member absent,
    saved at the same moment from their own connections: both counted, no deadlock."""
    member = make_member(world.branch_a)
    errors = []
    for month in range(1, 7):
        errors += together(
            lambda month=month: record(
                world.branch_a, datetime.date(YEAR, month, 5), absences={member: UNEXCUSED}
            ),
            lambda month=month: record(
                world.branch_a,
                datetime.date(YEAR, month, 20),
                kind=MeetingKind.THEMATIC,
                absences={member: UNEXCUSED},
            ),
        )
    assert errors == []
    assert set(kept().values()) == {2} and len(kept()) == 6
    assert ABSENCE_MONTHS.differences() == []


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_an_absence_corrected_while_its_meeting_is_moved_is_kept_where_it_went(world):
    """One officer moves the minutes to March while a secretary marks a member absent:
    the absence ends up in March, whichever commits first."""
    member = make_member(world.branch_a)
    meeting = record(world.branch_a, datetime.date(YEAR, 2, 5))
    moved = threading.Event()

    def move():
        with transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(
                date=datetime.date(YEAR, 3, 5), month=datetime.date(YEAR, 3, 1)
            )
            moved.set()
            time.sleep(0.5)  # the secretary's change arrives before this commits

    def mark_absent():
        moved.wait(5)
        Attendance.objects.filter(meeting=meeting, member=member).update(
            status=AttendanceStatus.UNEXCUSED
        )

    assert together(move, mark_absent) == []
    assert kept() == {((YEAR, 3), world.branch_a.pk, member.pk): 1}
    assert ABSENCE_MONTHS.differences() == []


@pytest.mark.django_db
def test_the_most_absent_come_first_then_in_name_order(world):
    """Of members absent in 4, 3 and 3 months, two shown: the one absent most, then the
    first by name of the two with 3; all three counted."""
    names = ["Trần Văn Bình", "Lê Thị An", "Nguyễn Văn Cường"]
    binh, an, cuong = (make_member(world.branch_a, full_name=name) for name in names)
    for month in range(1, 5):
        absent = (
            {binh: UNEXCUSED} if month == 4 else {binh: UNEXCUSED, an: UNEXCUSED, cuong: UNEXCUSED}
        )
        record(world.branch_a, datetime.date(YEAR, month, 5), absences=absent)
    shown, count = unexcused_absentees(world.commune, YEAR, 2)
    assert ([(m, m.absent_months) for m in shown], count) == ([(binh, 4), (an, 3)], 3)
    assert unexcused_absentees(world.branch_b, YEAR, 2) == ([], 0)
