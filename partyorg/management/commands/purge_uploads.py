"""Delete uploaded files older than UPLOAD_RETENTION_DAYS and prepared export files older
than EXPORT_RETENTION_DAYS; run daily by a systemd timer
(deploy/systemd/partyorg-purge-uploads.timer)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from partyorg.imports.retention import (
    expire_export,
    expired_exports,
    expired_uploads,
    purge_upload,
)


class Command(BaseCommand):
    help = (
        "Delete uploaded import files kept longer than UPLOAD_RETENTION_DAYS and prepared "
        "export files kept longer than EXPORT_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the files that would be deleted."
        )

    def handle(self, *args, dry_run, **options):
        uploads = expired_uploads()
        for upload in uploads:
            if not dry_run:
                purge_upload(upload)
            self.stdout.write(f"{upload.name} (uploaded {upload.uploaded_at:%Y-%m-%d})")
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {len(uploads)} uploaded file(s) older than "
            f"{settings.UPLOAD_RETENTION_DAYS} days."
        )
        exports = list(expired_exports())
        for prepared in exports:
            name = prepared.file.name
            if not dry_run:
                expire_export(prepared)
            self.stdout.write(f"{name} (prepared {prepared.finished_at:%Y-%m-%d})")
        self.stdout.write(
            f"{verb} {len(exports)} prepared export file(s) older than "
            f"{settings.EXPORT_RETENTION_DAYS} days."
        )
