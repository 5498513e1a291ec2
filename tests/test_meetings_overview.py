"""The meetings overview of a committee: one row per child organization, paged, with
the figures of the whole subtree and its absentees, fresh."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.enums import NodeKind
from branchwork.enums import AttendanceStatus
from tests.factories import make_member, make_node
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def overview(client, code, **params):
    response = client.get(reverse("meetings:list", args=[code]), {"year": YEAR, **params})
    assert response.status_code == 200
    return response


def met_every_month(branch):
    make_member(branch)
    for month in range(1, 13):
        record(branch, datetime.date(YEAR, month, 5))


def test_district_lists_its_communes_with_their_totals(world, as_user):
    other_commune = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Hai")
    other_branch = make_node(other_commune, NodeKind.BRANCH, "Chi bộ thôn Ba")
    met_every_month(world.branch_a)
    met_every_month(other_branch)
    response = overview(as_user(world.officer), "H1")
    rows = {child.code: child.figures for child in response.context["page"]}
    assert list(rows) == ["X1", other_commune.code]
    assert (rows["X1"]["branches"], rows["X1"]["branches_every_month"]) == (2, 1)
    assert (rows["X1"]["regular_held"], rows["X1"]["expected_regular"]) == (12, 24)
    assert "month_flags" not in rows["X1"]
    assert rows[other_commune.code]["branches_every_month"] == 1
    totals = response.context["totals"]
    assert (totals["branches"], totals["branches_every_month"]) == (3, 2)
    assert (totals["regular_held"], totals["expected_regular"]) == (24, 36)
    page = response.content.decode()
    assert reverse("meetings:list", args=["X1"]) in page
    assert "Chi bộ thôn 1" not in page
    # No column of months where no child is a branch; each figure labelled for a phone.
    assert "months-col" not in page and 'data-label="Attendance"' in page


def test_commune_lists_its_branches_with_their_months(world, as_user):
    make_member(world.branch_a)
    record(world.branch_a, datetime.date(YEAR, 3, 5))
    response = overview(as_user(world.officer), "X1")
    rows = {c.code: c.figures for c in response.context["page"]}
    assert rows["X1-B1"]["month_flags"][1:4] == ["missed", "met", "missed"]
    assert response.content.decode().count('class="months-col"') == 3  # the header, 2 rows
    assert rows["X1-B2"]["month_flags"] == ["missed"] * 12


def test_children_are_paged_and_totals_cover_every_branch(world, as_user, monkeypatch):
    monkeypatch.setattr("branchwork.views.meetings.CHILDREN_PER_PAGE", 1)
    met_every_month(world.branch_b)
    client = as_user(world.officer)
    first = overview(client, "X1")
    assert [c.code for c in first.context["page"]] == ["X1-B1"]
    assert f"?year={YEAR}&amp;page=2" in first.content.decode()
    second = overview(client, "X1", page=2)
    assert [c.code for c in second.context["page"]] == ["X1-B2"]
    for response in (first, second):
        totals = response.context["totals"]
        assert (totals["branches"], totals["regular_held"]) == (2, 12)


def test_overview_is_fresh(world, as_user):
    """The meetings of the year and the absentees add up the totals the database keeps
    (per branch and year, per member and month): what was just recorded shows at once."""
    client = as_user(world.officer)
    first = overview(client, "X1")
    assert first.context["totals"]["regular_held"] == 0
    member = make_member(world.branch_a)
    for month in range(1, 13):
        absent = {member: (AttendanceStatus.UNEXCUSED, "")} if month <= 4 else None
        record(world.branch_a, datetime.date(YEAR, month, 5), absences=absent)

    second = overview(client, "X1")
    assert second.context["totals"]["regular_held"] == 12
    assert [(m.pk, m.absent_months) for m in second.context["absentees"]] == [(member.pk, 4)]


def test_branch_page_is_unchanged_by_the_overview(world, as_user):
    record(world.branch_a, datetime.date(YEAR, 3, 5))
    response = overview(as_user(world.secretary), "X1-B1")
    assert "page" not in response.context


@pytest.mark.parametrize("communes", [1, 6])
def test_overview_query_count_is_fixed(world, as_user, django_assert_max_num_queries, communes):
    for number in range(communes):
        commune = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, f"Xã {number}")
        for _ in range(2):
            branch = make_node(commune, NodeKind.BRANCH)
            make_member(branch)
            record(branch, datetime.date(YEAR, 2, 5))
    client = as_user(world.officer)
    with django_assert_max_num_queries(10):
        response = overview(client, "H1")
    assert response.context["totals"]["branches"] == 2 + 2 * communes


def test_the_year_in_the_page_titles_is_written_as_a_year(world, as_user):
    """Not as a number with a thousands separator (2.025 in Vietnamese)."""
    client = as_user(world.officer)
    for code in ("X1", "X1-B1"):
        title = overview(client, code).content.decode().split("<title>")[1].split("</title>")[0]
        assert f" {YEAR} · " in title, title
