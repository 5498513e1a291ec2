"""Admissions are counted once, by the admission decision's date in the branch that admitted
the member (admission.queries.admissions): the admission board and the annual report give
the same number for the same year and organization."""

import datetime
import re

import pytest
from django.urls import reverse

from reports.service import build_annual_report
from tests.factories import make_member, transfer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def admitted(world):
    """In 2025, counted by decision date in the commune X1 of district H1:
    - on_time: decided 01/03/2025, ceremony 20/03/2025, branch_a;
    - december: decided 10/12/2025, ceremony 08/01/2026 (after the year), branch_b;
    - moved: decided 01/04/2025 in branch_a, transferred to the other district in June
      (the board counted members by their branch today);
    not counted:
    - last_year: decided 10/12/2024, ceremony 08/01/2025 (the report counted it by its
      ceremony);
    - old: admitted in 2010, arrived in branch_a in 2025."""
    w = world
    w.on_time = make_member(
        w.branch_a, admission_decision_date=D(2025, 3, 1), admission_date=D(2025, 3, 20)
    )
    w.december = make_member(
        w.branch_b,
        admission_decision_date=D(2025, 12, 10),
        admission_date=D(2026, 1, 8),
        official_date=None,
    )
    w.moved = make_member(
        w.branch_a,
        admission_decision_date=D(2025, 4, 1),
        admission_date=D(2025, 4, 15),
        official_date=None,
    )
    transfer(w.moved, w.other_branch, D(2025, 6, 1))
    w.last_year = make_member(
        w.branch_b,
        admission_decision_date=D(2024, 12, 10),
        admission_date=D(2025, 1, 8),
        official_date=None,
    )
    w.old = make_member(
        w.branch_a,
        admission_decision_date=D(2010, 1, 1),
        admission_date=D(2010, 1, 20),
        joined_branch_on=D(2025, 2, 1),
    )
    return w


def board_admitted(client, node, year) -> dict[str, int]:
    """The admission board's "Admitted" column, by organization name."""
    page = client.get(reverse("admission:pipeline"), {"node": node.code, "year": year})
    assert page.status_code == 200
    table = page.content.decode().split('class="table targets"')[1].split("</table>")[0]
    rows = re.findall(
        r"<tr[^>]*>\s*<td>(?:<a [^>]*>)?([^<]+)(?:</a>)?</td>\s*<td class=\"n\">([\d.,]+)</td>",
        table,
    )
    return {name.strip(): int(n.replace(".", "").replace(",", "")) for name, n in rows}


def test_the_board_and_the_report_count_the_same_admissions(admitted, as_user):
    w = admitted
    client = as_user(w.officer)
    # By hand: on_time, december and moved were decided in 2025 in X1's branches.
    expected = 3
    board = board_admitted(client, w.district, 2025)
    assert board[w.district.name] == board[w.commune.name] == expected

    report = build_annual_report(w.district, 2025)
    assert report.totals.admitted == expected
    assert [(r.node.name, r.figures.admitted) for r in report.children] == [(w.commune.name, 3)]
    dashboard = client.get(reverse("reports:dashboard", args=[w.district.code, 2025]))
    url = reverse("reports:figure_members", args=[w.district.code, 2025, "admitted"])
    shown = re.search(rf'href="{url}"><span class="num">(\d+)</span>', dashboard.content.decode())
    assert int(shown[1]) == expected

    # The movement table is the roll: two ceremonies in 2025 of decisions of 2025 (on_time,
    # moved), one of a decision of 2024 (last_year); december arrives with its ceremony.
    assert report.movement.ins["admitted"] == 2
    assert report.movement.ins["admitted_earlier"] == 1
    assert report.movement.balances

    # 2024: last_year's decision, on both pages.
    assert board_admitted(client, w.district, 2024)[w.district.name] == 1
    assert build_annual_report(w.district, 2024).totals.admitted == 1


def test_the_members_behind_the_figure_are_the_ones_counted(admitted, as_user):
    w = admitted
    client = as_user(w.officer)
    page = client.get(reverse("reports:figure_members", args=[w.district.code, 2025, "admitted"]))
    names = set(page.context["page"].object_list)
    assert names == {w.on_time, w.december, w.moved}


def test_a_member_counted_here_who_has_moved_out_is_named_only(admitted, as_user):
    w = admitted
    client = as_user(w.officer)
    page = client.get(reverse("reports:figure_members", args=[w.district.code, 2025, "admitted"]))
    html = page.content.decode()
    # Counted in 2025, so listed; now in another district, so neither their page nor
    # where they are now is this officer's to see.
    assert w.moved.full_name in html and w.moved.get_absolute_url() not in html
    assert w.other_branch.name not in html and "Now outside your part of the tree" in html
    assert f'href="{w.on_time.get_absolute_url()}"' in html
    assert client.get(w.moved.get_absolute_url()).status_code == 404
