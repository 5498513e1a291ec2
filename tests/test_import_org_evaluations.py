"""Organizations' annual evaluations of any year from 2018, each under the rule of its
year, imported through the import pages and the command."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from branches import domain as tree
from branches.enums import RoleKind
from branchwork.evaluation_resources import OrganizationEvaluationResource
from branchwork.models import OrganizationEvaluation
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_node, make_user
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADERS = [f.column_name for f in OrganizationEvaluationResource().get_export_fields()]
GOOD, EXCELLENT = "Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def row(code, year=2019, *, score="", level=GOOD, doc="21-QĐ/ĐU"):
    return dict(zip(HEADERS, [code, year, score, "", level, "", doc], strict=True))


FILE = [
    row("X1-B1"),
    row("X1-B2"),
    row("X1", doc="5-QĐ/HU"),
    row("X1-B1", 2025, score="75", level="", doc=""),
]


def imported(client, content):
    upload = SimpleUploadedFile("danh-gia-to-chuc.xlsx", content)
    client.post(reverse("imports:index"), {"kind": "org_evaluations", "file": upload})
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


def test_past_years_import_under_their_rules_once_and_export_back(world, as_user):
    client = as_user(world.officer)
    batch = imported(client, xlsx_bytes(FILE, HEADERS))
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 4), batch.errors
    stored = {(e.node.code, e.year): e for e in OrganizationEvaluation.objects.all()}
    assert stored["X1-B1", 2019].regulation == "132-QĐ/TW"
    assert stored["X1", 2019].decision_number == "5-QĐ/HU"
    assert stored["X1-B1", 2025].level == "good"  # from the score, under the rule of 2025
    assert stored["X1-B1", 2025].regulation != "132-QĐ/TW"
    assert OrganizationEvaluation.history.filter(history_user=world.officer).count() == 4
    again = imported(client, xlsx_bytes(FILE, HEADERS))
    assert (again.status, again.rows_unchanged) == (ImportStatus.APPLIED, 4), again.errors
    exported = client.get(reverse("imports:export", args=["org_evaluations"]))
    back = imported(client, exported.content)
    assert (back.status, back.rows_unchanged) == (ImportStatus.APPLIED, 4), back.errors
    assert OrganizationEvaluation.history.count() == 4
    report = client.get(reverse("reports:dashboard", args=["X1", 2019])).context["report"]
    assert report.organization_evaluations["branches"]["good"] == 2


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (row("H2-CB"), "Mã tổ chức", "outside your part"),
        (row("H1"), "Mã tổ chức", "evaluated by a committee outside"),
        (row("NOPE"), "Mã tổ chức", "no organization with code"),
        (row("X1-B1", 2017), "Năm", "whole number from 2018"),
        (row("X1-B1", 2014), "Năm", "whole number from 2018"),
        (row("X1-B1", 2021, score="80"), "Xếp loại", "no 100-point score"),
        (row("X1-B1"), "Năm", "appear twice"),
        (row("X1-B2", level=EXCELLENT), "Xếp loại", "at most 20%"),
        (row("X1-B2", doc="9-QĐ/ĐU"), "Số quyết định", "One decision"),
    ],
)
def test_errors_by_row_and_column_and_nothing_written(world, as_user, bad, column, words):
    rows = [row("X1-B1"), bad]
    batch = imported(as_user(world.officer), xlsx_bytes(rows, HEADERS))
    assert batch.status == ImportStatus.REJECTED
    assert column in {e["column"] for e in batch.errors}, batch.errors
    assert any(words in e["message"] for e in batch.errors), batch.errors
    assert not OrganizationEvaluation.objects.exists()


def test_an_organization_is_evaluated_by_the_committee_above_it(world, as_user):
    batch = imported(as_user(world.secretary), xlsx_bytes([row("X1-B1")], HEADERS))
    assert batch.status == ImportStatus.REJECTED
    assert "evaluated by a committee outside" in batch.errors[0]["message"]


def test_the_command_imports_and_lists_the_kind(world, tmp_path, capsys):
    path = tmp_path / "danh-gia-to-chuc.xlsx"
    path.write_bytes(xlsx_bytes(FILE, HEADERS))
    call_command("import_xlsx", "org_evaluations", str(path), "--user", "officer")
    assert OrganizationEvaluation.objects.count() == 4
    call_command("import_xlsx", "org_evaluations", str(path), "--user", "officer")
    assert "0 new, 0 updated, 4 unchanged" in capsys.readouterr().out


def test_an_organization_moved_since_is_evaluated_by_its_committee_of_that_year(world, as_user):
    """The commune moved from H1 to H2 on 01/07/2025: its 2024 row goes to H1's sheet of
    2024 and its 2025 row to H2's."""
    tree.move_node(world.commune, new_parent=world.other_district, on=datetime.date(2025, 7, 1))
    province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh")
    client = as_user(province_officer)
    batch = imported(
        client, xlsx_bytes([row("X1", 2024), row("X1", 2025, score="75", level="")], HEADERS)
    )
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 2), batch.errors

    def sheet(code, year):
        url = reverse("record_work:evaluation_organizations", args=[code, year])
        lines = client.get(url).context["lines"]
        return {line["target"].code: line["form"].initial.get("level") for line in lines}

    assert sheet("H1", 2024) == {"X1": "good"}
    assert sheet("H2", 2025) == {"H2-CB": None, "X1": "good"}
    assert "X1" not in sheet("H2", 2024)


def test_a_year_before_the_organization_existed_is_refused(world, as_user):
    make_node(world.commune, name="Chi bộ mới", established=datetime.date(2021, 3, 1), code="X1-B9")
    batch = imported(as_user(world.officer), xlsx_bytes([row("X1-B9", 2020)], HEADERS))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["message"]) for e in batch.errors] == [
        (2, "At the end of 2020 the organization Chi bộ mới did not exist.")
    ]
