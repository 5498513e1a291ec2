import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.enums import NodeKind
from branchwork import meetings as domain
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.meeting_queries import children_year, meeting_header, node_year, unexcused_absentees
from branchwork.models import Meeting
from branchwork.months import previous_month
from tests.factories import make_member, make_node, transfer
from tests.factories_meetings import attach_temporarily, exempt, record

pytestmark = pytest.mark.django_db


def day_last_month(day=5):
    return previous_month(timezone.localdate())[0].replace(day=day)


def record_without_attendance(branch):
    return domain.record_meeting(
        branch=branch,
        data={
            "date": day_last_month(),
            "kind": MeetingKind.REGULAR,
            "start_time": datetime.time(19),
            "end_time": datetime.time(21),
        },
        attendance={},
    )


def test_roll_follows_dated_memberships(world):
    day = day_last_month()
    home = make_member(world.branch_a, full_name="Nguyễn Văn Nhà")
    away = make_member(world.branch_a, full_name="Trần Văn Đi")
    guest = make_member(world.branch_b, full_name="Lê Thị Đến")
    later = make_member(world.branch_b, full_name="Phạm Văn Sau")
    moved_early = make_member(world.branch_a, full_name="Hồ Văn Trước")
    attach_temporarily(away, world.branch_b, day - datetime.timedelta(days=30))
    attach_temporarily(guest, world.branch_a, day - datetime.timedelta(days=30))
    transfer(later, world.branch_a, day + datetime.timedelta(days=1), letter="1")
    transfer(moved_early, world.branch_b, day - datetime.timedelta(days=1), letter="2")
    roll = {e.member.full_name: e for e in domain.branch_roll(world.branch_a, day)}
    assert set(roll) == {"Nguyễn Văn Nhà", "Lê Thị Đến"}
    assert roll["Lê Thị Đến"].temporary and not roll["Nguyễn Văn Nhà"].temporary
    assert home.pk == roll["Nguyễn Văn Nhà"].member.pk


def test_absent_exempted_members_are_not_counted(world):
    day = day_last_month()
    members = [make_member(world.branch_a) for _ in range(4)]
    old = make_member(world.branch_a, full_name="Cụ Lê Văn Già")
    exempt(old, day - datetime.timedelta(days=100))
    roll = domain.branch_roll(world.branch_a, day)
    assert [e.exempted for e in roll if e.member == old] == [True]
    meeting = record(world.branch_a, day, absences={members[0]: (AttendanceStatus.EXCUSED, "Ốm")})
    header = meeting_header(meeting.pk)
    assert header["members"] == 5 and header["exempted"] == 1
    assert header["present"] == 3 and header["counted"] == 4 and header["rate"] == 75


def test_exemption_is_judged_on_the_meeting_date(world):
    member = make_member(world.branch_a)
    day = day_last_month()
    exempt(member, day + datetime.timedelta(days=3))
    assert not domain.branch_roll(world.branch_a, day)[0].exempted


def test_probationary_on_the_date(world):
    day = day_last_month()
    make_member(world.branch_a, official_date=day + datetime.timedelta(days=2))
    assert domain.branch_roll(world.branch_a, day)[0].probationary


def test_domain_refuses_missing_attendance(world):
    make_member(world.branch_a)
    with pytest.raises(ValidationError) as error:
        record_without_attendance(world.branch_a)
    assert "attendance" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_only_a_branch_holds_meetings(world):
    with pytest.raises(ValidationError):
        record_without_attendance(world.commune)


def test_year_figures_over_a_subtree(world):
    year = timezone.localdate().year - 1
    a = make_member(world.branch_a)
    make_member(world.branch_a)
    make_member(world.branch_b)
    for month in range(1, 13):
        record(
            world.branch_a,
            datetime.date(year, month, 5),
            absences={a: (AttendanceStatus.UNEXCUSED, "")} if month <= 3 else None,
            with_thematic_part=month in (2, 5, 8),
        )
    record(world.branch_a, datetime.date(year, 11, 20), kind=MeetingKind.THEMATIC)
    for month in (1, 2):
        record(world.branch_b, datetime.date(year, month, 7))
    totals = node_year(world.commune, year)
    assert totals["branches"] == 2
    assert (totals["regular_held"], totals["expected_regular"]) == (14, 24)
    assert (totals["thematic_quarters"], totals["expected_thematic"]) == (4, 8)
    assert totals["present"] == 12 * 2 - 3 + 2
    rows = children_year(world.commune, year)["children"]
    row_a, row_b = rows[world.branch_a.path], rows[world.branch_b.path]
    assert (row_a["present"], row_a["counted"], row_a["rate"]) == (21, 24, 87.5)
    assert row_a["month_flags"] == ["met"] * 12 and row_a["thematic_quarters"] == 4
    assert row_b["month_flags"][:3] == ["met", "met", "missed"]
    assert row_b["month_flags"].count("met") == 2
    absentees, count = unexcused_absentees(world.district, year, 10)
    assert ([m.pk for m in absentees], count) == ([a.pk], 1)
    assert unexcused_absentees(world.other_district, year, 10) == ([], 0)

    # A third branch, set up on 20 May: owed from June, and counted in a group of its own.
    late = make_node(world.commune, NodeKind.BRANCH, established=datetime.date(year, 5, 20))
    make_member(late)
    record(late, datetime.date(year, 7, 5))
    totals = node_year(world.commune, year)
    assert totals == children_year(world.commune, year)["totals"]
    assert (totals["branches"], totals["branches_every_month"]) == (3, 1)
    assert (totals["regular_held"], totals["expected_regular"]) == (15, 31)
    assert (totals["thematic_quarters"], totals["expected_thematic"]) == (4, 11)


def test_year_query_count_is_fixed(world, django_assert_num_queries):
    year = timezone.localdate().year - 1
    make_member(world.branch_a)
    record(world.branch_a, datetime.date(year, 3, 5))
    # The branches grouped with the meetings the database keeps for them, in one query.
    with django_assert_num_queries(1):
        node_year(world.province, year)


def test_overview_page_marks_short_branches(world, as_user):
    year = timezone.localdate().year - 1
    make_member(world.branch_a)
    record(world.branch_a, datetime.date(year, 3, 5))
    response = as_user(world.officer).get(reverse("meetings:list", args=["X1"]), {"year": year})
    page = response.content.decode()
    assert "1/12" in page and "Chi bộ thôn 2" in page and "0/12" in page
