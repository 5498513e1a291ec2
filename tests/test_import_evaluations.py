"""Members' evaluations of any year from 2018, each under the rule of its year, imported
through the import pages."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branchwork.evaluation_resources import EvaluationResource
from branchwork.models import Evaluation
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADERS = [f.column_name for f in EvaluationResource().get_export_fields()]
GOOD_WORD, EXCELLENT_WORD = "Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def members(world):
    return [make_member(world.branch_a, member_number=f"E-{n}") for n in range(7)]


def row(number, year=2020, *, branch="X1-B1", score="", level="", excluded="", doc="7-QĐ/ĐU"):
    values = [year, number, "", branch, score, "", level, excluded, doc]
    return dict(zip(HEADERS, values, strict=True))


def imported(client, content):
    client.post(
        reverse("imports:index"),
        {"kind": "evaluations", "file": SimpleUploadedFile("danh-gia.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


YEAR_2020 = [row("E-0", level=EXCELLENT_WORD)] + [
    row(f"E-{n}", level=GOOD_WORD) for n in range(1, 6)
]
YEAR_2025 = [row("E-0", 2025, score="86", doc="")]


def test_past_years_import_under_their_rules_once_and_export_back(world, as_user, members):
    client = as_user(world.officer)
    batch = imported(client, xlsx_bytes(YEAR_2020 + YEAR_2025, HEADERS))
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 7), batch.errors
    by_year = dict(Evaluation.objects.values_list("year", "regulation").distinct())
    assert by_year[2020] == "132-QĐ/TW" and by_year[2025] != "132-QĐ/TW"
    assert Evaluation.objects.filter(year=2020, level="good").count() == 5
    assert Evaluation.objects.get(year=2025).level  # from the score, as the sheet does
    assert set(Evaluation.objects.filter(year=2020).values_list("decision_number", flat=True)) == {
        "7-QĐ/ĐU"
    }
    assert Evaluation.history.filter(history_user=world.officer).count() == 7
    again = imported(client, xlsx_bytes(YEAR_2020 + YEAR_2025, HEADERS))
    assert (again.status, again.rows_unchanged) == (ImportStatus.APPLIED, 7), again.errors
    assert Evaluation.history.count() == 7
    exported = client.get(reverse("imports:export", args=["evaluations"]))
    assert exported.status_code == 200
    back = imported(client, exported.content)
    assert (back.status, back.rows_unchanged) == (ImportStatus.APPLIED, 7), back.errors
    sheet = client.get(reverse("record_work:evaluation_members", args=["X1-B1", 2020]))
    assert sheet.status_code == 200 and sheet.context["summary"]["good"] == 5


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (row("E-6", level=EXCELLENT_WORD), "Xếp loại", "at most 20%"),
        (row("E-1", 2021, score="80"), "Xếp loại", "no 100-point score"),
        (row("E-1", 2017, level=GOOD_WORD), "Năm", "whole number from 2018"),
        (row("E-1", 2019, branch="X1-B2", level=GOOD_WORD), "Mã chi bộ", "not in Chi bộ thôn 2"),
        (row("E-1", 2019, branch="H2-CB", level=GOOD_WORD), "Mã chi bộ", "outside your part"),
        (row("E-404", 2019, level=GOOD_WORD), "Số lý lịch", "no member with number"),
        (row("E-1", 2019, level=GOOD_WORD, score="8x"), "Điểm", "not a number"),
        (row("E-1", level=GOOD_WORD), "Năm", "appear twice"),
    ],
)
def test_errors_by_row_and_column_and_nothing_written(world, as_user, members, bad, column, words):
    batch = imported(as_user(world.officer), xlsx_bytes([*YEAR_2020, bad], HEADERS))
    assert batch.status == ImportStatus.REJECTED
    assert column in {e["column"] for e in batch.errors}, batch.errors
    assert any(words in e["message"] for e in batch.errors), batch.errors
    assert all(e["row"] for e in batch.errors)
    assert not Evaluation.objects.exists() and not Evaluation.history.exists()


def test_the_export_holds_only_the_users_subtree(world, as_user, members):
    imported(as_user(world.officer), xlsx_bytes(YEAR_2020, HEADERS))
    exported = as_user(world.outsider).get(reverse("imports:export", args=["evaluations"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert rows == [tuple(HEADERS)]
