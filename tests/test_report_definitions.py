"""The figures of DOMAIN.md §2 and §9 the report prints from reports.definitions, each on a
small fixture with its expected value counted by hand from the fixture; "chưa có số liệu"
where nothing was entered; the workbook's definitions sheet; the charts' axes and the
admissions table of many organizations."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from admission.models import AdmissionTarget
from branches.enums import AreaKind, NodeKind, Sector
from members.enums import Occupation, PositionRole
from members.models import Position
from reports import charts, narrative, tables
from reports.definitions import NO_DATA, figure, leading_occupation
from reports.sections import Figures, GroupRow
from reports.service import build_annual_report
from tests.factories import make_area, make_member, make_node
from tests.factories_reports import YEAR, build_district

pytestmark = pytest.mark.django_db
D = datetime.date
SINCE = D(2020, 1, 1)


def hold(member, role, *, node=None, area=None):
    Position.objects.create(
        member=member, role=role, node=node, residential_area=area, start_date=SINCE
    )


@pytest.fixture
def roles(world):
    """branch_a covers villages 1 and 3, branch_b residential group 2: the two village and
    residential branches. Secretaries: of branch_a (also head of village 1), of branch_b
    (also head of the front work committee of group 2), of the commune committee (also
    head of village 3), of the school and of the district."""
    w = world
    school = make_node(w.district, NodeKind.GRASSROOTS_BRANCH, "Chi bộ trường", Sector.SCHOOL)
    village1 = make_area(w.branch_a, "Thôn 1")
    village3 = make_area(w.branch_a, "Thôn 3")
    group2 = make_area(w.branch_b, "Tổ dân phố 2", code="G2", kind=AreaKind.RESIDENTIAL_GROUP)
    sec_a, sec_b = make_member(w.branch_a), make_member(w.branch_b)
    sec_commune, sec_school, sec_district = (
        make_member(w.branch_a),
        make_member(school),
        make_member(w.branch_b),
    )
    hold(sec_a, PositionRole.SECRETARY, node=w.branch_a)
    hold(sec_a, PositionRole.VILLAGE_HEAD, area=village1)
    hold(sec_b, PositionRole.SECRETARY, node=w.branch_b)
    hold(sec_b, PositionRole.FRONT_COMMITTEE_HEAD, area=group2)
    hold(sec_commune, PositionRole.SECRETARY, node=w.commune)
    hold(sec_commune, PositionRole.VILLAGE_HEAD, area=village3)
    hold(sec_school, PositionRole.SECRETARY, node=school)
    hold(sec_district, PositionRole.SECRETARY, node=w.district)
    return w


def test_secretaries_who_are_village_heads_are_over_the_village_branches(roles):
    report = build_annual_report(roles.district, 2025)
    # By hand: 2 village and residential branches (a, b); branch_a's secretary heads a
    # village of branch_a; the commune's secretary heads one too but is no branch's
    # secretary there. Before: 2 of every secretary (5).
    ratio = figure(report, "secretaries_village_heads")
    assert (ratio.part, ratio.whole) == (1, 2)
    front = figure(report, "secretaries_front_heads")
    assert (front.part, front.whole) == (1, 2)
    heads = figure(report, "village_heads")
    assert (heads.part, heads.whole) == (2, 3)  # villages 1 and 3 of 3 areas
    r = report.residential
    assert (r["villages"], r["residential_groups"]) == (2, 1)
    assert narrative.concurrent_roles(report) == (
        "Thôn, tổ dân phố có trưởng thôn, tổ trưởng là đảng viên: 2/3 (66,7%); chi bộ thôn, "
        "tổ dân phố có bí thư đồng thời là trưởng thôn, tổ trưởng: 1/2 (50%); chi bộ thôn, "
        "tổ dân phố có bí thư đồng thời là trưởng ban công tác Mặt trận: 1/2 (50%)."
    )


@pytest.fixture
def district(world):
    return build_district(world)


def test_branches_by_kind_and_the_composition_within_a_sector(district):
    report = build_annual_report(district.district, YEAR)
    groups = {row.key: row for row in report.branch_groups}
    # Village branches: a and b (villages 1 and 2); branch_c, dissolved, covered none and
    # sits under the commune committee (sector commune): "other". School: H1-TH.
    assert set(groups) == {"village", "other", "school"}
    village = groups["village"]
    assert village.branches == 2
    # Regular meetings: a in January (6/6) and February (5/6), b in January (2/2).
    assert (village.figures.present, village.figures.counted) == (13, 14)
    assert (village.full_attendance, village.attendance_recorded) == (1, 2)  # branch_b
    assert village.levels == {"good": 1, "completed": 1}
    assert groups["other"].branches == 0  # branch_c ended in June
    school = groups["school"]
    assert (school.branches, school.figures.members) == (1, 2)
    assert school.figures.occupations == {"teacher": 2}
    assert "trong chi bộ trường học, giáo viên chiếm 100% đảng viên (2/2)" in " ".join(
        narrative.members(report)
    )
    excellent = figure(report, "village_branches_excellent")
    assert (excellent.part, excellent.whole) == (0, 2)
    attendance = figure(report, "village_attendance")
    assert (attendance.part, attendance.whole) == (13, 14)
    full = figure(report, "branches_100")
    assert (full.part, full.whole) == (1, 2)


def test_organizations_rated_good_or_better_as_one_figure(district):
    report = build_annual_report(district.district, YEAR)
    # Grassroots: X1 good, the school excellent. Branches: a good, b completed, the school
    # (a grassroots branch) excellent.
    assert figure(report, "grassroots_good").text() == "2/2 (100%)"
    assert figure(report, "branches_good").text() == "2/3 (66,7%)"
    text = " ".join(narrative.evaluations(report))
    assert "tất cả 2 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên" in text
    assert "2/3 chi bộ (66,7%) hoàn thành tốt nhiệm vụ trở lên" in text


def test_communes_apart_from_towns(world):
    make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ thị trấn Khe Tre")
    make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ Công an huyện",
              Sector.ARMED_FORCES)  # fmt: skip
    report = build_annual_report(world.district, 2025)
    # "Đảng bộ xã" (the world's commune) and the town; the police are not a locality.
    assert (report.localities["xa"], report.localities["thi_tran"]) == (1, 1)
    assert sum(report.localities.values()) == 2
    assert narrative.localities(report) == (
        "Khối xã, phường, thị trấn gồm 01 đảng bộ thị trấn, 01 đảng bộ xã."
    )


def test_what_was_never_entered_says_so(world):
    make_member(world.branch_a)
    make_area(world.branch_a)
    report = build_annual_report(world.district, 2025)
    # No minutes, no inspection, no households, no target, no village head: no figure.
    for key in ("meetings", "attendance", "inspections", "households", "target", "village_heads"):
        assert figure(report, key).text() == NO_DATA, key
    life, other = narrative.sections(report)[2], narrative.sections(report)[4]
    text = " ".join(life.paragraphs + other.paragraphs)
    assert "(0%)" not in text and "0/" not in text
    assert "Sinh hoạt chi bộ thường kỳ, chuyên đề và tỷ lệ dự sinh hoạt: chưa có số liệu." in text
    assert "Kiểm tra của các cấp ủy, chi bộ: chưa có số liệu." in text
    meetings = next(t for t in tables.tables(report) if t.key == "meetings")
    assert meetings.rows[0][1] == NO_DATA


def test_the_workbook_states_each_figure_with_its_numerator_and_denominator(roles, as_user):
    client = as_user(roles.officer)
    response = client.get(reverse("reports:report_file", args=["H1", 2025, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Định nghĩa"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    numerator, denominator, value = rows[
        "Bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng tổ dân phố"
    ]
    assert "trưởng thôn" in numerator and "chi bộ thôn, tổ dân phố" in denominator
    assert value == "1/2 (50%)"
    assert rows["Tỷ lệ phát triển đảng viên"][1].startswith("đảng viên đầu kỳ")
    assert rows["Sinh hoạt chi bộ thường kỳ"][2] == NO_DATA


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (309, [0, 50, 100, 150, 200, 250, 300, 350]),
        (7, [0, 1, 2, 3, 4, 5, 6, 7]),
        (1234, [0, 200, 400, 600, 800, 1000, 1200, 1400]),
    ],
)
def test_count_axes_tick_at_round_numbers(top, expected):
    assert charts._count_labels([top // 3, top]) == expected


def test_many_organizations_get_a_sorted_table_not_a_squeezed_chart(world):
    nodes = [
        make_node(world.district, NodeKind.GRASSROOTS_BRANCH, f"Chi bộ cơ quan số {i + 1}")
        for i in range(tables.MAX_BARS)
    ]
    AdmissionTarget.objects.create(node=nodes[2], year=2025, target=2)
    report = build_annual_report(world.district, 2025)
    assert len(report.children) == tables.MAX_BARS + 1  # and the commune
    assert "admissions" not in [c.key for c in charts.charts(report)]
    table = tables.admissions_by_child(report)
    assert len(table.rows) == len(report.children)
    # Sorted by the share of the target (0% of 2), then those without a target in tree order.
    assert [row[0] for row in table.rows[:3]] == [
        "Chi bộ cơ quan số 3",
        "Đảng bộ xã",
        "Chi bộ cơ quan số 1",
    ]


def test_the_dashboard_says_no_data_where_nothing_was_entered(world, as_user):
    make_member(world.branch_a)
    client = as_user(world.officer)
    page = client.get(reverse("reports:dashboard", args=["H1", 2025])).content.decode()
    # Meetings due (2 branches × 12 months) but none recorded: no "0/24".
    assert "0/<wbr>24" not in page
    assert f'<span class="num">{NO_DATA}</span>' in page
    attendance = re.search(r'id="figure-attendance">.*?<td[^>]*>([^<]*)</td>', page)
    assert attendance[1] == NO_DATA


def test_on_a_phone_every_organization_row_names_its_columns(world, as_user):
    make_node(world.district, NodeKind.GRASSROOTS_BRANCH, "Chi bộ cơ quan")
    page = as_user(world.officer).get(reverse("reports:dashboard", args=["H1", 2025]))
    rows = len(page.context["report"].children)
    assert rows >= 2
    html = page.content.decode()
    for label in ("Members", "Admitted / target", "Meetings", "Attendance", "Inspections"):
        assert html.count(f'data-label="{label}"') == rows


@pytest.mark.parametrize("first_added", [Occupation.FARMER, Occupation.TEACHER])
def test_leading_occupation_of_equal_counts_is_the_first_choice(first_added):
    """Two occupations with as many members: the leading one is the earlier choice
    (teacher before farmer), whichever branch was added to the group first."""
    row = GroupRow("village")
    later = Occupation.TEACHER if first_added == Occupation.FARMER else Occupation.FARMER
    for occupation in (first_added, later):
        row.figures.add(Figures(members=2, occupations=Counter({occupation: 2})))
    value, ratio = leading_occupation(row)
    assert value == Occupation.TEACHER
    assert (ratio.part, ratio.whole) == (2, 4)
