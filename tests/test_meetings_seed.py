import datetime
import random

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from branches.models import OrganizationNode
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.models import Attendance, Meeting
from demo.meetings import build_meetings
from members.enums import EventKind
from members.models import StatusEvent
from reports.definitions import figure
from reports.service import build_annual_report
from tests.factories_lifecycle import dated_member

D = datetime.date


@pytest.mark.django_db
@pytest.mark.xdist_group("seed_demo")
def test_seed_demo_creates_the_meetings_of_its_history():
    """Seeded on 15/3/2022: the fourteen months since January 2021, a thematic meeting a
    quarter, attended by the members of the branch on the day."""
    call_command("seed_demo", scale="demo", seed=3, today=datetime.date(2022, 3, 15))
    branches = OrganizationNode.objects.filter(kind__in=["branch", "grassroots_branch"]).count()
    regular = Meeting.objects.filter(kind=MeetingKind.REGULAR).count()
    # A few branches skip one month a year.
    assert 14 * branches - 0.15 * branches - 1 <= regular < 14 * branches
    assert Meeting.objects.filter(month=datetime.date(2021, 1, 1)).count() > 0.9 * branches
    # Five quarters, a thematic meeting (or a thematic part) in each for nearly every branch.
    assert (
        Meeting.objects.filter(Q(kind=MeetingKind.THEMATIC) | Q(with_thematic_part=True)).count()
        >= 4.6 * branches
    )
    figures = Attendance.objects.aggregate(
        total=Count("id"),
        absent=Count("id", filter=~Q(status=AttendanceStatus.PRESENT, exempted=False)),
        unexcused=Count("id", filter=Q(status=AttendanceStatus.UNEXCUSED)),
    )
    assert 0.04 < figures["absent"] / figures["total"] < 0.10
    assert figures["unexcused"] > 0
    assert Meeting.objects.filter(guests__isnull=False).exists()
    assert Meeting.objects.filter(month=datetime.date(2022, 2, 1)).exists()
    assert not Meeting.objects.filter(date__gte=datetime.date(2022, 3, 1)).exists()
    # Who left (died, moved to another branch) is on no roll after leaving it.
    left = StatusEvent.objects.filter(kind__in=[EventKind.DECEASED, EventKind.TRANSFERRED])
    assert left.count() > 5
    for event in left:
        after = Attendance.objects.filter(member=event.member, meeting__date__gte=event.date)
        branch = event.from_branch_id
        assert not after.filter(meeting__branch_id=branch).exists(), event


@pytest.mark.django_db
def test_meetings_before_the_lists_keep_the_minutes_book_totals(world):
    """At province scale the earlier years are seeded as an office brings them in: the
    minutes book's header counts, no attendance rows; the report counts them alike."""
    for _ in range(6):
        dated_member(world.branch_a, D(2010, 1, 1))
    dated_member(world.branch_a, D(2024, 6, 1))  # probationary until 11/06/2025
    build_meetings(random.Random(1), [world.branch_a], D(2025, 7, 15), D(2024, 1, 1), D(2025, 1, 1))
    book = Meeting.objects.filter(date__lt=D(2025, 1, 1))
    listed = Meeting.objects.filter(date__gte=D(2025, 1, 1))
    assert book.exists() and listed.exists()
    assert not Attendance.objects.filter(meeting__in=book).exists()
    assert all(m.official_count is None and m.attendances.exists() for m in listed)
    december = book.filter(kind=MeetingKind.REGULAR, month=D(2024, 12, 1)).get()
    assert (december.official_count, december.probationary_count) == (6, 1)
    assert december.present_count + december.excused_count + december.unexcused_count == 7
    report = build_annual_report(world.branch_a, 2024)
    present = sum(m.present_count for m in book.filter(kind=MeetingKind.REGULAR))
    counted = sum(m.counted_count for m in book.filter(kind=MeetingKind.REGULAR))
    assert (figure(report, "attendance").part, figure(report, "attendance").whole) == (
        present,
        counted,
    )
