"""Uploaded spreadsheets are kept only while they can be needed: between the preview and
the import, and for checking an import soon after. After UPLOAD_RETENTION_DAYS the file
is deleted; the import's row, its counts and errors stay, and a DeletedUpload row (on
the audit page, done by the system) says which file of which import went when.

Prepared exports (PreparedExport) hold whole lists of members' records, so their files
go sooner: EXPORT_RETENTION_DAYS after they were written, the row staying as expired
(its history, on the audit page, says who asked for it and when the file went).
The prepared annual report files (reports.GeneratedReport) hold figures, not people's
records, and are kept; each download of either is recorded as an export."""

import dataclasses
import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partyorg.enums import PreparedExportStatus
from partyorg.imports.files import STORAGE_DIR
from partyorg.models import DeletedUpload, ImportBatch, PreparedExport


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


def expired_exports(now: datetime.datetime | None = None):
    """The ready prepared exports finished more than EXPORT_RETENTION_DAYS before `now`."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    return PreparedExport.objects.filter(status=PreparedExportStatus.DONE, finished_at__lt=cutoff)


def expire_export(prepared: PreparedExport) -> None:
    """Delete the file of one prepared export; its row stays, marked expired."""
    with transaction.atomic():
        name = prepared.file.name
        prepared.file = ""
        prepared.status = PreparedExportStatus.EXPIRED
        prepared.message = _(
            "The file was deleted %(days)s days after it was written, as it holds people's "
            "records. Prepare it again if you need it."
        ) % {"days": settings.EXPORT_RETENTION_DAYS}
        prepared.save(update_fields=["file", "status", "message"])
        default_storage.delete(name)
