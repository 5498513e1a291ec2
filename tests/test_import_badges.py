"""Party badges awarded, imported through the import pages and exported back."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branchwork.badge_resources import BadgeResource
from branchwork.models import BadgeAward
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [f.column_name for f in BadgeResource().get_export_fields()]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def veterans(world):
    dates = {
        "date_of_birth": D(1960, 1, 1),
        "admission_decision_date": D(1985, 3, 1),
        "admission_date": D(1985, 3, 15),
        "official_date": D(1986, 3, 15),
    }
    return [make_member(world.branch_a, member_number=f"B-{n}", **dates) for n in range(2)]


def row(number, years, day, *, early="", doc="125-QĐ/TU"):
    return dict(zip(HEADERS, [number, "", years, day, doc, early], strict=True))


def imported(client, content):
    client.post(
        reverse("imports:index"),
        {"kind": "badges", "file": SimpleUploadedFile("huy-hieu.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


GOOD = [row("B-0", 30, "19/05/2015"), row("B-1", 30, "19/05/2015"), row("B-0", 40, "19/05/2025")]


def test_badges_import_once_and_export_back(world, as_user, veterans):
    client = as_user(world.officer)
    batch = imported(client, xlsx_bytes(GOOD, HEADERS))
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 3), batch.errors
    assert sorted(BadgeAward.objects.values_list("member__member_number", "years")) == [
        ("B-0", 30),
        ("B-0", 40),
        ("B-1", 30),
    ]
    assert BadgeAward.history.filter(history_user=world.officer).count() == 3
    assert imported(client, xlsx_bytes(GOOD, HEADERS)).rows_unchanged == 3
    exported = client.get(reverse("imports:export", args=["badges"]))
    assert imported(client, exported.content).rows_unchanged == 3
    assert BadgeAward.objects.count() == 3


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (row("B-1", 40, "20/05/2025"), "Ngày trao", "3/2, 19/5"),
        (row("B-1", 45, "19/05/2025"), "Huy hiệu (năm tuổi Đảng)", "was due the 40-year"),
        (row("B-1", 35, "19/05/2025"), "Huy hiệu (năm tuổi Đảng)", "badges are of"),
        (row("B-1", 40, "03/02/2014"), "Huy hiệu (năm tuổi Đảng)", "not on this award day"),
        (row("B-0", 30, "19/05/2015"), "Huy hiệu (năm tuổi Đảng)", "appears twice"),
        (row("B-9", 30, "19/05/2015"), "Số lý lịch", "no member with number"),
    ],
)
def test_errors_by_row_and_column_and_nothing_written(world, as_user, veterans, bad, column, words):
    batch = imported(as_user(world.officer), xlsx_bytes([*GOOD, bad], HEADERS))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(5, column)], batch.errors
    assert words in batch.errors[0]["message"]
    assert not BadgeAward.objects.exists() and not BadgeAward.history.exists()
