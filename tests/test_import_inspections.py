"""Inspections imported through the import pages and exported back."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branchwork.inspection_resources import InspectionResource
from branchwork.models import Inspection
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADERS = [f.column_name for f in InspectionResource().get_export_fields()]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def row(by, day, *, node="", member="", subject="Điều lệ Đảng", doc="08-TB"):
    return dict(zip(HEADERS, [by, day, node, member, subject, "Tốt", doc], strict=True))


def imported(client, content):
    client.post(
        reverse("imports:index"),
        {"kind": "inspections", "file": SimpleUploadedFile("kiem-tra.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


@pytest.fixture
def rows(world):
    make_member(world.branch_a, member_number="K-1")
    return [
        row("X1", "20/11/2021", node="X1-B1"),
        row("X1", "21/11/2021", node="X1-B2"),
        row("X1-B1", "15/10/2022", member="K-1", subject="Nghị quyết"),
    ]


def test_inspections_import_once_and_export_back(world, as_user, rows):
    client = as_user(world.officer)
    batch = imported(client, xlsx_bytes(rows, HEADERS))
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 3), batch.errors
    assert Inspection.objects.filter(inspecting_node=world.commune).count() == 2
    assert Inspection.objects.get(inspected_member__member_number="K-1").subject == "Nghị quyết"
    assert Inspection.history.filter(history_user=world.officer).count() == 3
    again = imported(client, xlsx_bytes(rows, HEADERS))
    assert (again.rows_new, again.rows_unchanged) == (0, 3)
    exported = client.get(reverse("imports:export", args=["inspections"]))
    values = list(openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert list(values[0]) == HEADERS and len(values) == 4
    assert imported(client, exported.content).rows_unchanged == 3
    assert Inspection.objects.count() == 3


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (row("X1-B1", "01/01/2022", node="X1-B2"), "Mã tổ chức được kiểm tra", "below it"),
        (row("X1", "01/01/2022", node="H2-CB"), "Mã tổ chức được kiểm tra", "outside"),
        (row("X1", "01/01/2022"), "Mã tổ chức được kiểm tra", "Choose the organization"),
        (row("X1", "01/01/2999", node="X1-B1"), "Ngày", "future"),
        (row("X1", "01/01/2022", node="X1-B1", subject=""), "Nội dung kiểm tra", "empty"),
        (
            row("X1", "01/01/2022", node="X1-B1", member="K-1"),
            "Số lý lịch đảng viên được kiểm tra",
            "not both",
        ),
        (row("X1", "20/11/2021", node="X1-B1"), "Nội dung kiểm tra", "twice"),
    ],
)
def test_errors_by_row_and_column_and_nothing_written(world, as_user, rows, bad, column, words):
    batch = imported(as_user(world.officer), xlsx_bytes([*rows, bad], HEADERS))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(5, column)], batch.errors
    assert words in batch.errors[0]["message"]
    assert not Inspection.objects.exists() and not Inspection.history.exists()
