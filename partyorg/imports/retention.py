"""Uploaded spreadsheets are kept only while they can be needed: between the preview and
the import, and for checking an import soon after. After UPLOAD_RETENTION_DAYS the file
is deleted; the import's row, its counts and errors stay, and a DeletedUpload row (on
the audit page, done by the system) says which file of which import went when.

Only uploads are purged. The prepared annual report files (reports.GeneratedReport) are
the application's own output, rebuilt from the records at any time; each download of
one is recorded as an export."""

import dataclasses
import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from partyorg.imports.files import STORAGE_DIR
from partyorg.models import DeletedUpload, ImportBatch


@dataclasses.dataclass(frozen=True)
class Upload:
    """A stored upload older than the retention period."""

    name: str
    uploaded_at: datetime.datetime


def expired_uploads(now: datetime.datetime | None = None) -> list[Upload]:
    """The stored uploads last written more than UPLOAD_RETENTION_DAYS before `now`."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    if not default_storage.exists(STORAGE_DIR):
        return []
    _folders, files = default_storage.listdir(STORAGE_DIR)
    uploads = []
    for file in sorted(files):
        name = f"{STORAGE_DIR}/{file}"
        written = default_storage.get_modified_time(name)
        if written < cutoff:
            uploads.append(Upload(name, written))
    return uploads


def purge_upload(upload: Upload) -> DeletedUpload:
    """Delete one expired upload.

    Effects: the file is removed from storage; a DeletedUpload row naming it and its
    import (when one has it) with a history row without a user (the system). The record
    is written first and the file deleted inside the same transaction, so a file that
    cannot be deleted leaves no record of a deletion."""
    with transaction.atomic():
        record = DeletedUpload.objects.create(
            stored_file=upload.name,
            batch=ImportBatch.objects.filter(stored_file=upload.name).order_by("pk").first(),
            uploaded_at=upload.uploaded_at,
        )
        default_storage.delete(upload.name)
    return record
