"""Evaluations under the rule of their year: 132-QĐ/TW for 2018–2022, and 366-QĐ/TW's
score as a necessary, not sufficient, condition of "excellent"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from branches.enums import NodeKind
from branchwork import evaluations
from branchwork.enums import EvaluationLevel
from branchwork.models import Evaluation
from tests.factories import make_member, make_node

pytestmark = pytest.mark.django_db

Level = EvaluationLevel


def rows_of(*specs):
    return [
        evaluations.Row(target=f"M{n}", score=score, excellent_conditions=met, level=level)
        for n, (score, met, level) in enumerate(specs)
    ]


def checked(year, *specs):
    rows = rows_of(*specs)
    problems = evaluations.check_rows(evaluations.rule_for_year(year), rows)
    return [row.level for row in rows], [error for row in rows for error in row.errors], problems


GOOD_FOR_QUOTA = [(Decimal(80), False, "")] * 5  # five "good": room for one excellent


@pytest.mark.parametrize(
    ("score", "met", "entered", "level", "refused"),
    [
        (Decimal("89.9"), True, "", Level.GOOD, False),
        (Decimal("90"), True, "", Level.EXCELLENT, False),
        (Decimal("90"), False, "", Level.GOOD, False),
        (Decimal("92"), True, Level.GOOD, Level.GOOD, False),
        (Decimal("92"), False, Level.EXCELLENT, Level.EXCELLENT, True),
        (Decimal("89.9"), True, Level.EXCELLENT, Level.EXCELLENT, True),
        (Decimal("69.9"), False, "", Level.COMPLETED, False),
        (Decimal("49.9"), False, "", Level.NOT_COMPLETED, False),
    ],
)
def test_366_excellent_needs_the_score_and_the_conditions(score, met, entered, level, refused):
    levels, row_errors, _problems = checked(2025, (score, met, entered), *GOOD_FOR_QUOTA)
    assert levels[0] == level
    assert bool(row_errors) == refused


def test_132_has_no_score_and_the_20_percent_quota():
    _levels, row_errors, _problems = checked(2022, (Decimal(80), False, Level.GOOD))
    assert row_errors == ["132-QĐ/TW has no 100-point score; leave it empty."]
    five_good = [(None, False, Level.GOOD)] * 5
    assert checked(2022, (None, False, Level.EXCELLENT), *five_good)[2] == []
    two = checked(2022, *[(None, False, Level.EXCELLENT)] * 2, *five_good)[2]
    assert len(two) == 1 and "132-QĐ/TW" in two[0]


def test_an_office_records_its_2022_results_on_the_page(world, as_user):
    branch = make_node(world.commune, NodeKind.BRANCH, "Chi bộ 2022")
    members = [make_member(branch) for _ in range(6)]
    url = reverse("record_work:evaluation_members", args=[branch.code, 2022])
    client = as_user(world.officer)
    page = client.get(url)
    assert page.status_code == 200 and "132-QĐ/TW" in page.content.decode()
    data = {"sheet-decision_number": "5-QĐ/ĐU"}
    for member, level in zip(members, ["excellent"] + ["good"] * 5, strict=True):
        data[f"r{member.pk}-level"] = level
    assert client.post(url, data).status_code == 302
    assert set(Evaluation.objects.values_list("year", "regulation")) == {(2022, "132-QĐ/TW")}
    assert 2018 in client.get(url).context["years"]
