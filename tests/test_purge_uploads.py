"""Uploaded files are deleted after UPLOAD_RETENTION_DAYS by `manage.py purge_uploads`;
the imports' rows stay, and each deletion is on the audit page, done by the system."""

import datetime
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from branchwork import notices
from partyorg.enums import ImportStatus
from partyorg.models import DeletedUpload, ImportBatch
from tests.factories_imports import member_row, xlsx_bytes

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


@pytest.fixture(autouse=True)
def media(settings, tmp_path, client):
    """Files on disk, so their age can be set."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.UPLOAD_RETENTION_DAYS = 90
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return tmp_path


def _upload(client, number: str, days_old: int, media) -> ImportBatch:
    content = xlsx_bytes([member_row(number)])
    client.post(
        reverse("imports:index"),
        {"kind": "members", "file": SimpleUploadedFile(f"dv-{number}.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    written = time.time() - days_old * DAY
    os.utime(media / batch.stored_file, (written, written))
    return batch


def _purge() -> str:
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    return out.getvalue()


def test_files_older_than_the_period_are_deleted_and_recorded(world, as_user, media):
    client = as_user(world.officer)
    old = _upload(client, "10000001", days_old=91, media=media)
    recent = _upload(client, "10000002", days_old=89, media=media)
    orphan = media / "imports" / "left-behind.csv"
    orphan.write_bytes(b"a,b\n")
    os.utime(orphan, (time.time() - 200 * DAY,) * 2)

    output = _purge()

    assert "Deleted 2 uploaded file(s) older than 90 days." in output
    assert not (media / old.stored_file).exists() and not orphan.exists()
    assert (media / recent.stored_file).exists()
    assert ImportBatch.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
    records = {r.stored_file: r for r in DeletedUpload.objects.all()}
    assert set(records) == {old.stored_file, "imports/left-behind.csv"}
    assert records[old.stored_file].batch == old
    assert records["imports/left-behind.csv"].batch is None
    assert {r.history.get().history_user for r in records.values()} == {None}
    # The next run finds nothing more to delete.
    assert "Deleted 0 uploaded file(s)" in _purge()

    response = as_user(world.viewer).get(reverse("audit:index"), {"kind": "deleted_upload"})
    [row] = response.context["rows"]
    assert (row["name"], row["user"], row["note"]) == (
        "dv-10000001.xlsx",
        None,
        f"import #{old.pk}",
    )
    assert "System" in response.content.decode()


def test_a_dry_run_deletes_nothing(world, as_user, media):
    old = _upload(as_user(world.officer), "10000001", days_old=100, media=media)
    out = io.StringIO()
    call_command("purge_uploads", "--dry-run", stdout=out)
    assert "Would delete 1 uploaded file(s)" in out.getvalue()
    assert (media / old.stored_file).exists() and not DeletedUpload.objects.exists()


def test_the_period_is_a_setting(world, as_user, media, settings):
    old = _upload(as_user(world.officer), "10000001", days_old=10, media=media)
    settings.UPLOAD_RETENTION_DAYS = 7
    assert "Deleted 1 uploaded file(s) older than 7 days." in _purge()
    assert not (media / old.stored_file).exists()


def test_a_checked_file_deleted_since_is_not_imported(world, as_user, media):
    client = as_user(world.officer)
    batch = _upload(client, "10000001", days_old=95, media=media)
    assert batch.status == ImportStatus.CHECKED
    _purge()
    response = client.post(reverse("imports:apply", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    assert "This file was deleted 90 days after its upload" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and batch.applied_at is None


def test_documents_shared_before_a_meeting_are_kept(world, media):
    """They are the meeting's record, not an upload waiting for its import."""
    notice = notices.publish(
        world.branch_a,
        meeting_date=datetime.date(2025, 3, 10),
        agenda="Chương trình",
        files=[SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.7")],
        by=world.secretary,
    )
    stored = media / notice.files.get().file.name
    written = time.time() - 400 * DAY
    os.utime(stored, (written, written))
    _purge()
    assert stored.read_bytes() == b"%PDF-1.7"
