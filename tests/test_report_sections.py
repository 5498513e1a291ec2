"""Each section of the annual report (reports.sections) on its own: its figures on the
hand-counted district of tests/factories_reports.py (the counts test_reports_figures checks
on the whole report) and the queries it may make."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.core.exceptions import ValidationError

from branches.enums import NodeKind
from reports import sections, service
from reports.period import Period, report_period
from reports.sections import Figures
from tests.factories import make_node
from tests.factories_reports import YEAR, build_district

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def district(world):
    return build_district(world)


@pytest.fixture
def period(district):
    return report_period(district.district, D(YEAR, 1, 1), D(YEAR, 12, 31))


def per_branch():
    return defaultdict(Figures)


def total(figures, name):
    return sum(getattr(f, name) for f in figures.values())


def test_period_holds_the_nodes_of_the_year_in_two_queries(district, django_assert_num_queries):
    with django_assert_num_queries(2):
        period = report_period(district.district, D(YEAR, 1, 1), D(YEAR, 12, 31))
    assert (period.start, period.end, period.year) == (D(YEAR - 1, 12, 31), D(YEAR, 12, 31), YEAR)
    # branch_c, dissolved in June, still belongs to the year's subtree.
    assert district.branch_c.pk in period.branch_ids
    assert not period.nodes[district.branch_c.pk].at_end
    assert period.child_of[district.branch_c.pk] == district.commune.pk


def test_period_of_a_node_not_yet_founded_is_refused(world):
    late = make_node(world.commune, NodeKind.BRANCH, established=D(YEAR + 1, 3, 1))
    with pytest.raises(ValidationError, match="was established on"):
        report_period(late, D(YEAR, 1, 1), D(YEAR, 12, 31))


def test_members_at_end(district, period, django_assert_num_queries):
    figures = per_branch()
    with django_assert_num_queries(1):
        sections.add_members_at_end(period, figures)
    assert total(figures, "members") == 9
    assert (total(figures, "official"), total(figures, "women")) == (8, 2)
    assert total(figures, "exempted") == 1
    assert (figures[district.school.pk].members, figures[district.school.pk].women) == (2, 1)
    assert figures[district.branch_c.pk].members == 0


def test_admissions(district, period, django_assert_num_queries):
    figures = per_branch()
    with django_assert_num_queries(1):
        sections.add_admissions(period, figures)
    assert {pk: f.admitted for pk, f in figures.items() if f.admitted} == {district.branch_b.pk: 1}


def test_meetings(district, period, django_assert_num_queries):
    figures = per_branch()
    with django_assert_num_queries(3):
        table = sections.meetings_section(period, figures)
    assert (total(figures, "regular_held"), total(figures, "expected_regular")) == (3, 41)
    assert (total(figures, "thematic_held"), total(figures, "expected_thematic")) == (1, 13)
    assert (total(figures, "present"), total(figures, "counted")) == (13, 14)
    assert figures[district.branch_c.pk].expected_regular == 5  # January to May
    q1 = table["thematic_by_quarter"][0]
    assert (q1["held"], q1["due"], q1["meetings"]) == (1, 4, 1)
    months = {row["month"]: row["rate"] for row in table["attendance_by_month"]}
    assert months[1] == 100.0 and months[3] is None
    assert (table["branches_90"], table["branches_rated"], table["visits"]) == (2, 2, 1)
    assert table["branches"] == 4


def test_a_whole_year_s_meetings_from_the_kept_rows_are_those_of_the_meetings(period, monkeypatch):
    """A period holding its whole year reads each branch's meetings from the rows the
    database keeps per branch and year; grouped from the meetings, the same figures."""
    assert period.holds_its_whole_year
    kept_figures, counted_figures = per_branch(), per_branch()
    kept = sections.meetings_section(period, kept_figures)
    monkeypatch.setattr(Period, "holds_its_whole_year", property(lambda period: False))
    counted = sections.meetings_section(period, counted_figures)
    assert kept == counted and kept_figures == counted_figures
    assert total(kept_figures, "present") == 13


def test_a_period_ending_within_the_year_counts_only_its_meetings(district):
    january = report_period(district.district, D(YEAR, 1, 1), D(YEAR, 12, 31), as_of=D(YEAR, 1, 31))
    assert not january.holds_its_whole_year
    figures = per_branch()
    sections.meetings_section(january, figures)
    # branch_a's January (6 of 6) and branch_b's (2 of 2); not February's.
    assert (total(figures, "regular_held"), total(figures, "present")) == (2, 8)


def test_member_evaluations(period, django_assert_num_queries):
    figures = per_branch()
    with django_assert_num_queries(1):
        not_classified = sections.add_member_evaluations(period, figures)
    assert not_classified == 1
    levels = sum((f.evaluations for f in figures.values()), Counter())
    assert levels == {"excellent": 1, "good": 3}


def test_inspections_and_their_targets(district, period, django_assert_num_queries):
    figures = per_branch()
    sections.add_members_at_end(period, figures)
    with django_assert_num_queries(1):
        inspections = sections.add_inspections(period, figures)
    assert sum(inspections.values()) == 2
    # Branches standing at the end with official members have a target of 1 (fewer than 9
    # official members); branch_c, dissolved, has none.
    assert (total(figures, "inspection_met"), total(figures, "inspection_branches")) == (1, 3)
    assert figures[district.branch_c.pk].inspection_target == 0


def test_roll_up_to_children_and_totals(district, period, django_assert_num_queries):
    figures = per_branch()
    sections.add_members_at_end(period, figures)
    inspections = sections.add_inspections(period, figures)
    sections.add_admissions(period, figures)
    with django_assert_num_queries(0):
        totals, by_child = sections.roll_up(period, figures, inspections)
    assert (totals.members, totals.admitted, totals.inspections) == (9, 1, 2)
    assert by_child[district.commune.pk].members == 7
    assert by_child[district.commune.pk].inspections == 2
    assert by_child[district.school.pk].members == 2


def test_children_targets_and_organization_levels(district, period, django_assert_num_queries):
    with django_assert_num_queries(0):
        children = sections.children_of(period)
    assert [c.code for c in children] == ["X1", "H1-TH"]
    with django_assert_num_queries(2):
        targets = sections.admission_targets(period, children)
        levels = sections.organization_levels(period)
    assert (targets[district.district.pk], targets[district.commune.pk]) == (2, 1)
    with django_assert_num_queries(0):
        counts = sections.organization_evaluations(period, levels)
        rows = sections.child_rows(children, defaultdict(Figures), targets, levels)
    assert counts["grassroots"] == {"good": 1, "excellent": 1}
    assert counts["branches"] == {"excellent": 1, "good": 1, "completed": 1}
    assert [(row.node.code, row.evaluation, row.figures.target) for row in rows] == [
        ("X1", "good", 1),
        ("H1-TH", "excellent", None),
    ]


def test_badges(period, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert sections.badges_section(period) == {30: 1}


def test_the_whole_report_makes_no_more_queries_than_before_the_split(
    district, django_assert_max_num_queries
):
    # 21 queries before build_report was split into sections (measured on this district),
    # and one for the branches by kind (the kinds of area each branch covers).
    with django_assert_max_num_queries(22):
        service.build_annual_report(district.district, YEAR)
