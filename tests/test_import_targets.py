"""Admission targets of any year imported through the import pages."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from admission.models import AdmissionTarget
from admission.target_resources import TargetResource
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADERS = [f.column_name for f in TargetResource().get_export_fields()]
NEXT = timezone.localdate().year + 1


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def row(code, year, target, name=""):
    return dict(zip(HEADERS, [code, name, year, target], strict=True))


def imported(client, content):
    client.post(
        reverse("imports:index"),
        {"kind": "targets", "file": SimpleUploadedFile("chi-tieu.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


GOOD = [row("X1", 2018, 12, "Đảng bộ xã"), row("X1-B1", 2018, 2), row("X1", NEXT, 15)]


def test_targets_of_past_years_import_once_and_export_back(world, as_user):
    client = as_user(world.officer)
    batch = imported(client, xlsx_bytes(GOOD, HEADERS))
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 3)
    stored = AdmissionTarget.objects.values_list("node__code", "year", "target")
    assert set(stored) == {("X1", 2018, 12), ("X1-B1", 2018, 2), ("X1", NEXT, 15)}
    assert AdmissionTarget.history.filter(history_user=world.officer).count() == 3
    again = imported(client, xlsx_bytes(GOOD, HEADERS))
    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert AdmissionTarget.history.count() == 3
    changed = imported(client, xlsx_bytes([row("X1", 2018, 10)], HEADERS))
    assert changed.rows_updated == 1
    assert AdmissionTarget.objects.get(node=world.commune, year=2018).target == 10
    exported = client.get(reverse("imports:export", args=["targets"]))
    values = list(openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert list(values[0]) == HEADERS and len(values) == 4
    assert imported(client, exported.content).rows_unchanged == 3


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (row("H2", 2020, 3), "Mã tổ chức", "outside your part"),
        (row("NOPE", 2020, 3), "Mã tổ chức", "no organization"),
        (row("X1", 1999, 3), "Năm", "whole number from 2000"),
        (row("X1", NEXT + 1, 3), "Năm", "up to next year"),
        (row("X1", 2020, -3), "Chỉ tiêu kết nạp", "whole number"),
        (row("X1", 2020, 3, "Đảng bộ khác"), "Tên tổ chức", "check the code"),
        (row("X1", 2018, 9), "Năm", "appear twice"),
    ],
)
def test_errors_by_row_and_column_and_nothing_written(world, as_user, bad, column, words):
    batch = imported(as_user(world.officer), xlsx_bytes([*GOOD, bad], HEADERS))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(5, column)], batch.errors
    assert words in batch.errors[0]["message"]
    assert not AdmissionTarget.objects.exists() and not AdmissionTarget.history.exists()
