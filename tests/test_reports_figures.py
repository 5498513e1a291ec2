import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches import domain as tree
from branches.enums import NodeKind
from branchwork.evaluations import rule_for_year
from branchwork.models import Evaluation
from members import lifecycle
from members.enums import ExitKind
from reports import narrative, tables
from reports.definitions import figure
from reports.numbers import count, number, percent
from reports.service import build_annual_report
from tests.factories import make_member, make_node, transfer
from tests.factories_meetings import record
from tests.factories_reports import YEAR, build_district

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def district(world):
    return build_district(world)


def test_vietnamese_number_formats():
    assert number(5921) == "5.921"
    assert number(1234567) == "1.234.567"
    assert number(45.27, 1) == "45,3"
    assert percent(81.25) == "81,3%"
    assert percent(101.0) == "101%"
    assert percent(45.0) == "45%"
    assert percent(None) == "–"
    assert count(7) == "07"
    assert count(23) == "23"


def test_every_figure_against_the_hand_count(district):
    report = build_annual_report(district.district, YEAR)
    t, c, m = report.totals, report.composition, report.movement

    # 11 at the start; + b2 admitted; − a4 transferred out, a5 removed, b1 deceased.
    assert (m.start, m.end) == (11, 9)
    assert m.ins == {
        "admitted": 1,
        "admitted_earlier": 0,
        "readmitted": 0,
        "transferred_in": 0,
        "restructured_in": 0,
    }
    assert m.outs == {
        "deceased": 1,
        "removed": 1,
        "expelled": 0,
        "left": 0,
        "transferred_out": 1,
        "restructured_out": 0,
    }
    assert report.balances
    assert m.start + sum(m.ins.values()) - sum(m.outs.values()) == m.end

    # Members on 31/12: a1 a2 a3 a6 c1 (now in branch_a), b2 b3, s1 s2. The temporary
    # guest in branch_b does not count; b3, temporarily away, still does.
    assert t.members == c["total"] == 9
    assert (t.official, t.probationary) == (8, 1)
    assert (c["official"], c["probationary"]) == (8, 1)
    assert t.women == c["women"] == 2
    assert t.exempted == 1
    assert c["age_le30"] == 1  # a1, 30 on 31/12/2025
    assert c["occupation"]["teacher"] == 2
    assert report.residential["population"] == 900
    assert report.population_share == pytest.approx(1.0)

    # Organizations at the end: X1 and the school; branch_c was dissolved.
    o = report.organizations
    assert (o["grassroots"], o["grassroots_committees"], o["grassroots_branches"]) == (2, 1, 1)
    assert o["branches_under_committees"] == 2

    # Admissions: 1 against a target of 2; growth 1 / 11 members at the start.
    assert (t.admitted, t.target, t.target_percent) == (1, 2, 50.0)
    assert report.growth_rate == pytest.approx(100 / 11)

    # Meetings: months due a 12 + b 12 + c 5 (Jan–May, dissolved 30/06) + school 12.
    assert (t.regular_held, t.expected_regular) == (3, 41)
    # Quarters due: 4 + 4 + 1 (c: Q1) + 4; branch_a held Q1's thematic meeting.
    assert (t.thematic_held, t.expected_thematic) == (1, 13)
    q1 = report.meetings["thematic_by_quarter"][0]
    assert (q1["held"], q1["due"], q1["meetings"]) == (1, 4, 1)
    # Attendance: January a 6/6, February a 5/6, branch_b 2/2.
    assert (t.present, t.counted) == (13, 14)
    assert t.attendance == pytest.approx(100 * 13 / 14)
    months = {row["month"]: row["rate"] for row in report.meetings["attendance_by_month"]}
    assert months[1] == 100.0 and months[2] == pytest.approx(100 * 5 / 6) and months[3] is None
    assert (report.meetings["branches_90"], report.meetings["branches_rated"]) == (2, 2)
    assert report.meetings["visits"] == 1

    # Evaluations.
    assert report.member_evaluations == {
        "excellent": 1,
        "good": 3,
        "completed": 0,
        "not_completed": 0,
        "not_classified": 1,
    }
    assert figure(report, "members_excellent").percent == 25.0
    assert report.organization_evaluations["grassroots"] == {"good": 1, "excellent": 1}
    assert report.organization_evaluations["branches"] == {
        "excellent": 1,
        "good": 1,
        "completed": 1,
    }

    # Inspections: 2 made; each branch standing at the end has fewer than 9 official
    # members, so a target of 1; only branch_a met it.
    assert t.inspections == 2
    assert (t.inspection_met, t.inspection_branches) == (1, 3)

    # Concurrent roles and badges.
    r = report.residential
    assert (r["village_heads_members"], r["areas"]) == (2, 2)
    # Secretaries who are also village heads, over the village branches (a and b, each
    # covering a village): a3 of branch_a heads area 1; branch_b has no secretary.
    assert (r["secretaries_village_heads"], r["village_branches"]) == (1, 2)
    assert report.badges == {30: 1}

    # The children: X1 (with the dissolved branch_c's months) and the school.
    rows = {row.node.code: row for row in report.children}
    assert list(rows) == ["X1", "H1-TH"]
    commune, school = rows["X1"].figures, rows["H1-TH"].figures
    assert (commune.members, commune.admitted, commune.target) == (7, 1, 1)
    assert (commune.regular_held, commune.expected_regular) == (3, 29)
    assert commune.inspections == 2
    assert (school.members, school.women, school.expected_regular) == (2, 1, 12)
    assert rows["H1-TH"].evaluation == "excellent"


def test_a_branch_reports_on_itself(district):
    report = build_annual_report(district.branch_b, YEAR)
    assert report.totals.members == 2  # b2, b3
    assert report.movement.start == 2 and report.movement.outs["deceased"] == 1
    assert report.children == []
    assert narrative.organizations(report) == "Chi bộ thôn 2 hiện có 2 đảng viên."


def test_the_narrative_reads_like_the_press(district):
    report = build_annual_report(district.district, YEAR)
    assert narrative.organizations(report) == (
        "Đảng bộ huyện hiện có 2 tổ chức cơ sở đảng (gồm 01 đảng bộ xã, thị trấn, 01 chi bộ "
        "cơ sở) và 2 chi bộ trực thuộc đảng ủy cơ sở, với 9 đảng viên."
    )
    assert narrative.admissions(report) == (
        "Năm 2025, toàn Đảng bộ kết nạp 1 đảng viên mới, đạt 50% kế hoạch (kế hoạch 2); tỷ lệ "
        "phát triển đảng viên đạt 9,1% so với 11 đảng viên đầu năm (ngày 31/12/2024)."
    )
    assert narrative.movement(report) == (
        "Đầu năm có 11 đảng viên. Trong năm tăng 1 (kết nạp mới 1); giảm 3 (từ trần 1, xóa "
        "tên 1, chuyển đi 1). Đến ngày 31/12/2025 có 9 đảng viên."
    )
    text = " ".join(p for s in narrative.sections(report) for p in s.paragraphs)
    assert "đảng viên nữ 2 (22,2%)" in text
    assert "giáo viên chiếm 22,2%" in text
    assert "Tỷ lệ đảng viên dự sinh hoạt bình quân đạt 92,9%" in text
    assert "hoàn thành xuất sắc nhiệm vụ 1 (25%)" in text
    # Over the two village branches (a, b), not over every secretary (only a3 of branch_a).
    assert (
        "chi bộ thôn, tổ dân phố có bí thư đồng thời là trưởng thôn, tổ trưởng: 1/2 (50%)" in text
    )
    assert "Trao tặng Huy hiệu Đảng cho 1 đồng chí (30 năm: 1)." in text


def _snapshot(report):
    return (
        [(s.heading, s.paragraphs) for s in narrative.sections(report)],
        [(t.title, t.rows) for t in tables.tables(report)],
    )


def test_a_past_year_is_unchanged_by_later_changes(district, world):
    before = _snapshot(build_annual_report(district.district, YEAR))
    # 2026: people move, die, join; a commune moves to another district; new meetings
    # and evaluations; the 2025 report must read the same.
    transfer(district.a1, world.other_branch, D(2026, 2, 1), letter="T9")
    lifecycle.record_exit(
        district.a2, kind=ExitKind.DECEASED, on=D(2026, 3, 1), document_number="TT-9"
    )
    lifecycle.resume(district.a6, on=D(2026, 1, 10), document_number="MS-2")
    make_member(
        district.branch_b,
        admission_decision_date=D(2026, 1, 5),
        admission_date=D(2026, 1, 15),
        official_date=None,
    )
    record(district.branch_b, D(2026, 1, 20))
    Evaluation.objects.create(
        member=district.a3,
        branch=district.branch_a,
        year=2026,
        regulation=rule_for_year(2026).regulation.number,
        level="completed",
    )
    tree.move_node(world.commune, new_parent=world.other_district, on=D(2026, 4, 1))
    assert _snapshot(build_annual_report(district.district, YEAR)) == before
    assert build_annual_report(district.district, 2026, as_of=D(2026, 6, 30)).totals.members == 2


def test_a_node_that_did_not_exist_is_refused(world):
    late = make_node(world.commune, NodeKind.BRANCH, established=D(2026, 3, 1))
    with pytest.raises(ValidationError, match="established on 01/03/2026, after the period"):
        build_annual_report(late, 2025)


def _grow(world, factor):
    """Add `factor` communes of three branches with three members each."""
    for _ in range(factor):
        commune = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE)
        for _ in range(3):
            branch = make_node(commune, NodeKind.BRANCH)
            members = [make_member(branch) for _ in range(3)]
            record(branch, D(YEAR, 3, 10), absences={members[0]: ("excused", "ốm")})


def _queries(node):
    with CaptureQueriesContext(connection) as queries:
        build_annual_report(node, YEAR)
    return len(queries)


def test_query_count_does_not_grow_with_the_tree(world):
    _grow(world, 1)
    small = _queries(world.district)
    _grow(world, 9)
    assert _queries(world.district) == small
    assert small <= 22
