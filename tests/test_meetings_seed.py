import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from branches.models import OrganizationNode
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.models import Attendance, Meeting


@pytest.mark.django_db
def test_seed_demo_creates_a_year_of_meetings():
    call_command("seed_demo", scale="demo", seed=3, today=datetime.date(2026, 3, 15))
    branches = OrganizationNode.objects.filter(kind__in=["branch", "grassroots_branch"]).count()
    regular = Meeting.objects.filter(kind=MeetingKind.REGULAR).count()
    assert 12 * branches - 12 <= regular < 12 * branches
    assert (
        Meeting.objects.filter(Q(kind=MeetingKind.THEMATIC) | Q(with_thematic_part=True)).count()
        >= 3.7 * branches
    )
    figures = Attendance.objects.aggregate(
        total=Count("id"),
        absent=Count("id", filter=~Q(status=AttendanceStatus.PRESENT, exempted=False)),
        unexcused=Count("id", filter=Q(status=AttendanceStatus.UNEXCUSED)),
    )
    assert 0.04 < figures["absent"] / figures["total"] < 0.10
    assert figures["unexcused"] > 0
    assert Meeting.objects.filter(guests__isnull=False).exists()
    assert Meeting.objects.filter(month=datetime.date(2026, 2, 1)).exists()
    assert not Meeting.objects.filter(date__gte=datetime.date(2026, 3, 1)).exists()
