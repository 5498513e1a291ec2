"""Each meeting's attendance totals equal its attendance rows after every path that
writes them: the minutes form, its correction, the demo data, the migration that filled
the meetings recorded before, and two corrections of the same minutes at once."""

import contextlib
import datetime
import importlib
import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count, F, Q
from django.urls import reverse

from branchwork import meetings as domain
from branchwork.enums import AttendanceStatus
from branchwork.meeting_queries import counted, present
from branchwork.models import Meeting
from tests.factories import make_member
from tests.factories_meetings import exempt, minutes_data, record

DAY = datetime.date(2025, 3, 10)
UNEXCUSED = (AttendanceStatus.UNEXCUSED, "")
EXCUSED = (AttendanceStatus.EXCUSED, "Ốm")


def from_rows():
    """Every meeting with the totals of its rows and its stored ones."""
    return Meeting.objects.annotate(
        rows_present=Count("attendances", filter=present("attendances__")),
        rows_counted=Count("attendances", filter=counted("attendances__")),
        rows_excused=Count("attendances", filter=Q(attendances__status=AttendanceStatus.EXCUSED)),
        rows_unexcused=Count(
            "attendances", filter=Q(attendances__status=AttendanceStatus.UNEXCUSED)
        ),
    )


def mismatched():
    return list(
        from_rows()
        .exclude(
            present_count=F("rows_present"),
            counted_count=F("rows_counted"),
            excused_count=F("rows_excused"),
            unexcused_count=F("rows_unexcused"),
        )
        .values_list("pk", flat=True)
    )


def totals(meeting):
    meeting.refresh_from_db()
    return (
        meeting.present_count,
        meeting.counted_count,
        meeting.excused_count,
        meeting.unexcused_count,
    )


@pytest.fixture
def five(world):
    """Five members of branch A, the last exempted from party work before DAY."""
    members = [make_member(world.branch_a) for _ in range(5)]
    exempt(members[4], DAY - datetime.timedelta(days=30))
    return members


@pytest.mark.django_db
def test_the_form_and_its_correction_keep_the_totals(world, as_user, five):
    client = as_user(world.secretary)
    data = minutes_data(five, date=DAY, absences={five[0]: EXCUSED, five[4]: EXCUSED})
    assert client.post(reverse("meetings:create", args=["X1-B1"]), data).status_code == 302
    meeting = Meeting.objects.get()
    # The absent exempted member is not counted.
    assert totals(meeting) == (3, 4, 2, 0)
    url = reverse("meetings:edit", args=["X1-B1", meeting.pk])
    data |= {
        f"att_{five[1].pk}": AttendanceStatus.UNEXCUSED,
        f"att_{five[4].pk}": AttendanceStatus.PRESENT,
        f"why_{five[4].pk}": "",
        "guest-INITIAL_FORMS": "0",
        "version": client.get(url).context["form"]["version"].value(),
    }
    assert client.post(url, data).status_code == 302
    assert totals(meeting) == (3, 5, 1, 1)
    domain.finalize_meeting(meeting, by=world.secretary)
    data |= {
        f"att_{five[1].pk}": AttendanceStatus.PRESENT,
        "version": client.get(url).context["form"]["version"].value(),
        "change_reason": "Ghi nhầm",
    }
    assert client.post(url, data).status_code == 302
    assert totals(meeting) == (4, 5, 1, 0)
    assert mismatched() == []


@pytest.mark.django_db
def test_the_migration_fills_the_meetings_recorded_before(world, five):
    record(world.branch_a, DAY, absences={five[0]: EXCUSED, five[1]: UNEXCUSED})
    record(world.branch_a, DAY.replace(month=4), absences={five[2]: UNEXCUSED})
    Meeting.objects.update(present_count=0, counted_count=0, excused_count=0, unexcused_count=0)
    assert len(mismatched()) == 2
    migration = importlib.import_module("branchwork.migrations.0004_meeting_attendance_totals")
    migration.count_attendance(apps, None)
    assert mismatched() == []


@pytest.mark.django_db
def test_demo_meetings_carry_their_totals():
    call_command("seed_demo", scale="demo", seed=3, today=datetime.date(2026, 3, 15))
    assert Meeting.objects.filter(unexcused_count__gt=0).exists()
    assert mismatched() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_corrections_at_once_keep_the_totals(world, five, monkeypatch):
    """Two corrections without a version (as an import would write), each of another
    member, read before either saved: each one's count must include the other's row."""
    meeting = record(world.branch_a, DAY)
    as_recorded = {row.member_id: (row.status, row.reason) for row in meeting.attendances.all()}
    counted_once = threading.Barrier(2, timeout=1)
    count = Meeting.count_attendance

    def count_then_wait(self, rows):
        count(self, rows)
        # Without the meeting's lock both would count before either saved.
        with contextlib.suppress(threading.BrokenBarrierError):
            counted_once.wait()

    monkeypatch.setattr(Meeting, "count_attendance", count_then_wait)

    def correct(member, rows):
        try:
            domain.update_meeting(
                Meeting.objects.get(pk=meeting.pk),
                data={},
                attendance=as_recorded | {member.pk: UNEXCUSED},
                rows=rows,
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=correct, args=(member, list(meeting.attendances.all())))
        for member in five[:2]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert meeting.attendances.filter(status=AttendanceStatus.UNEXCUSED).count() == 2
    assert totals(meeting)[3] == 2
    assert mismatched() == []
