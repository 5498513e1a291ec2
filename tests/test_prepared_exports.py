"""Exports too large to write inside a request: the page offers the background, the task
worker writes the file, only the person who asked downloads it, and the file is the one
the request would have sent."""

import datetime
import gc
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from office.imports import exporting
from partyorg.enums import ExportKind, PreparedExportStatus
from partyorg.models import ExportRecord, PreparedExport
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes
from tests.test_import_meetings import MARCH, PER_MEMBER, imported

pytestmark = pytest.mark.django_db
ATTENDANCE_FILE = f"diem-danh-sinh-hoat-{timezone.localdate():%Y%m%d}.xlsx"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def recorded(world, as_user, members):
    """Four attendance rows recorded by the officer."""
    client = as_user(world.officer)
    imported(client, "attendance", xlsx_bytes(MARCH, PER_MEMBER))
    return client


@pytest.fixture
def members(world):
    return [make_member(world.branch_a, member_number=f"M-{n}") for n in range(len(MARCH))]


def rows_of(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_large_export_is_written_by_the_worker_for_its_requester_alone(
    world, as_user, recorded, settings
):
    export_url = reverse("imports:export", args=["attendance"])
    at_once = rows_of(recorded.get(export_url).content)
    assert len(at_once) == 1 + len(MARCH)

    settings.EXPORT_BACKGROUND_ROWS = len(MARCH) - 1
    exports_recorded = ExportRecord.objects.count()
    offer = recorded.get(export_url)
    assert offer["Content-Type"].startswith("text/html")
    assert b"This export has 4 rows" in offer.content
    assert ExportRecord.objects.count() == exports_recorded

    status_page = recorded.post(reverse("imports:prepare_export", args=["attendance"]))
    prepared = PreparedExport.objects.get()
    assert status_page.url == prepared.get_absolute_url()
    assert (prepared.status, prepared.rows, prepared.user) == ("done", 4, world.officer)
    page = recorded.get(status_page.url)
    download_url = reverse("imports:prepared_export_download", args=[prepared.pk])
    assert download_url.encode() in page.content

    downloaded = recorded.get(download_url)
    assert rows_of(b"".join(downloaded.streaming_content)) == at_once
    assert downloaded["Content-Disposition"] == f'attachment; filename="{ATTENDANCE_FILE}"'
    record = ExportRecord.objects.latest("pk")
    assert (record.user, record.kind, record.rows) == (world.officer, ExportKind.ATTENDANCE, 4)
    assert recorded.get(reverse("imports:index")).content.count(status_page.url.encode()) == 1

    outsider = as_user(world.outsider)
    assert outsider.get(status_page.url).status_code == 404
    assert outsider.get(download_url).status_code == 404


def test_a_second_file_of_the_day_downloads_under_the_same_name(world, recorded, settings):
    """The storage adds a suffix to the second file of a name; the download does not."""
    settings.EXPORT_BACKGROUND_ROWS = len(MARCH) - 1
    for _ in range(2):
        recorded.post(reverse("imports:prepare_export", args=["attendance"]))
    first, second = PreparedExport.objects.order_by("pk")
    assert first.file.name != second.file.name
    for prepared in (first, second):
        download = recorded.get(reverse("imports:prepared_export_download", args=[prepared.pk]))
        assert download["Content-Disposition"] == f'attachment; filename="{ATTENDANCE_FILE}"'


def test_asking_again_while_one_is_waiting_returns_the_waiting_one(world, recorded, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0
    waiting = PreparedExport.objects.create(user=world.officer, kind="attendance")
    answer = recorded.post(reverse("imports:prepare_export", args=["attendance"]))
    assert answer.url == waiting.get_absolute_url()
    assert PreparedExport.objects.count() == 1
    download = reverse("imports:prepared_export_download", args=[waiting.pk])
    assert recorded.get(download).status_code == 404


def test_export_whose_process_died_is_shown_failed_and_prepared_again(world, recorded, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.WORK_STALE_AFTER_SECONDS + 1)
    died = PreparedExport.objects.create(
        user=world.officer, kind="attendance", status=PreparedExportStatus.RUNNING
    )
    PreparedExport.objects.filter(pk=died.pk).update(heartbeat_at=long_ago)

    page = recorded.get(died.get_absolute_url())
    died.refresh_from_db()
    assert died.status == PreparedExportStatus.FAILED
    assert b"the process preparing it ended" in page.content

    again = recorded.post(reverse("imports:prepare_export", args=["attendance"]))
    assert again.url != died.get_absolute_url()
    assert PreparedExport.objects.latest("pk").status == PreparedExportStatus.DONE


def test_purge_deletes_prepared_files_after_the_retention_period(world, recorded, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0
    settings.EXPORT_RETENTION_DAYS = 7
    recorded.post(reverse("imports:prepare_export", args=["attendance"]))
    recorded.post(reverse("imports:prepare_export", args=["positions"]))
    old, recent = PreparedExport.objects.order_by("pk")
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    PreparedExport.objects.filter(pk=old.pk).update(finished_at=eight_days_ago)
    old_file = old.file.name

    out = io.StringIO()
    call_command("purge_uploads", stdout=out)

    assert f"{old_file} (prepared" in out.getvalue()
    assert "Deleted 1 prepared export file(s) older than 7 days." in out.getvalue()
    old.refresh_from_db()
    assert (old.status, old.file.name) == (PreparedExportStatus.EXPIRED, "")
    assert not default_storage.exists(old_file)
    assert default_storage.exists(recent.file.name)
    download = reverse("imports:prepared_export_download", args=[old.pk])
    assert recorded.get(download).status_code == 404
    page = recorded.get(old.get_absolute_url())
    assert b"deleted 7 days after it was written" in page.content
    assert reverse("imports:prepare_export", args=["attendance"]).encode() in page.content


def test_the_audit_page_shows_who_asked_for_an_export_and_that_the_system_deleted_it(
    world, recorded, as_user, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 0
    recorded.post(reverse("imports:prepare_export", args=["attendance"]))
    prepared = PreparedExport.objects.get()
    PreparedExport.objects.filter(pk=prepared.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS + 1)
    )
    call_command("purge_uploads", stdout=io.StringIO())

    audit = reverse("audit:index")
    rows = as_user(world.viewer).get(audit, {"kind": "prepared_export"}).context["rows"]
    expired, prepared_file, requested = rows
    assert (requested["verb"], requested["user"], requested["name"]) == (
        "Requested",
        world.officer,
        "Meeting attendance (per member)",
    )
    # The worker wrote the file (here inside the request: tests run tasks at once).
    assert {"status", "file", "rows"} <= set(prepared_file["changed"])
    assert (expired["verb"], expired["user"]) == ("Changed", None)
    assert {"status", "file", "message"} <= set(expired["changed"])
    assert all("last progress" not in row["changed"] for row in rows)
    assert expired["note"] == "4 rows"
    assert not as_user(world.outsider).get(audit, {"kind": "prepared_export"}).context["rows"]


def test_viewer_has_a_large_filtered_member_list_prepared_without_personal_columns(
    world, as_user, members, settings
):
    make_member(world.branch_b, member_number="B-0")
    client = as_user(world.viewer)
    query = {"branch": "X1-B1", "format": "csv", "page": "2", "junk": "x"}
    at_once = client.get(reverse("imports:export_members"), query)
    assert at_once["Content-Type"].startswith("text/csv")

    settings.EXPORT_BACKGROUND_ROWS = len(members) - 1
    offer = client.get(reverse("imports:export_members"), query)
    assert b"This export has 4 rows" in offer.content
    for field in [b'name="branch" value="X1-B1"', b'name="format" value="csv"']:
        assert field in offer.content
    assert b'name="junk"' not in offer.content

    status_page = client.post(
        reverse("imports:prepare_export", args=["members"]), {"branch": "X1-B1", "format": "csv"}
    )
    prepared = PreparedExport.objects.get()
    assert status_page.url == prepared.get_absolute_url()
    assert (prepared.rows, prepared.filters) == (4, {"branch": "X1-B1"})
    downloaded = client.get(reverse("imports:prepared_export_download", args=[prepared.pk]))
    assert downloaded["Content-Type"].startswith("text/csv")
    assert b"".join(downloaded.streaming_content) == at_once.content
    assert b"B-0" not in at_once.content and b"M-3" in at_once.content
    assert "Số CCCD" not in at_once.content.decode("utf-8-sig")
    record = ExportRecord.objects.latest("pk")
    assert (record.kind, record.rows, record.filters["branch"]) == ("members", 4, "X1-B1")
    assert client.post(reverse("imports:prepare_export", args=["positions"])).status_code == 403


def test_only_kinds_with_an_export_can_be_prepared(recorded):
    for kind in ["plan", "no-such-kind"]:
        assert recorded.post(reverse("imports:prepare_export", args=[kind])).status_code == 404
    assert not PreparedExport.objects.exists()


def test_an_export_is_written_with_the_cycle_collector_paused(recorded, monkeypatch):
    """An export builds a spreadsheet cell by cell (partyorg.collector)."""
    seen = []
    real = exporting.workbook

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(exporting, "workbook", spy)
    response = recorded.get(reverse("imports:export", args=["attendance"]))
    assert response.status_code == 200 and len(rows_of(response.content)) == 1 + len(MARCH)
    assert seen == [False]
    assert gc.isenabled()
