"""Running an import: read the file, check every row, then write all or nothing.

The same functions serve the import page, the background task and the import_xlsx
command, so each gives the same checks and the same report. The caller names the
resource class that reads the file's kind.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partyorg import work
from partyorg.collector import cycle_collection_paused
from partyorg.enums import RUNNING_IMPORT_STATUSES, ImportStatus
from partyorg.imports import cleaned
from partyorg.imports.files import FileProblem, oversized_cells, parse_dataset, read_stored
from partyorg.imports.history import recorded_as
from partyorg.imports.resources import RefusedRows
from partyorg.models import DeletedUpload, ImportBatch

logger = logging.getLogger(__name__)
# Larger files are checked and applied by a background task, with progress shown.
BACKGROUND_BYTES = getattr(settings, "IMPORT_BACKGROUND_BYTES", 256 * 1024)
BACKGROUND_ROWS = getattr(settings, "IMPORT_BACKGROUND_ROWS", 2000)
MAX_REPORTED_ERRORS = 1000


@dataclass
class Report:
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, message, *, row=None, column=""):
        self.errors.append({"row": row, "column": column, "message": str(message)})


class Refused(Exception):
    """A step the batch's state does not allow; the message says why, for the user."""


def check_headers(resource, headers: list[str]) -> Report:
    """Unknown, repeated and missing columns, reported before any row is read."""
    report = Report()
    columns = {f.column_name: f for f in resource.get_import_fields()}
    seen = set()
    for header in headers:
        if header in seen:
            report.add(_("The column appears twice."), row=1, column=header)
        elif header not in columns:
            report.add(
                _("Unknown column; the columns are: %(columns)s.")
                % {"columns": ", ".join(columns)},
                row=1,
                column=header or "?",
            )
        seen.add(header)
    for name, column in columns.items():
        if column.required and name not in seen:
            report.add(_("This required column is missing."), row=1, column=name)
    return report


@cycle_collection_paused()
def check_rows(resource_class, stored_name, *, user, label, on_progress=None, applying=False):
    """Read the stored file and check every row; nothing is written.

    A file without errors leaves its cleaned cells in partyorg.imports.cleaned; when
    `applying` (the check before write_rows) they are taken from there when kept, instead
    of reading and cleaning the file again, and a kind leaves out the checks its write()
    makes itself (SpreadsheetResource.applying). Every other check against the database
    runs either way. Returns the report and the resource holding the checked rows for
    write_rows().
    """
    try:
        content = read_stored(stored_name)
        kept = cleaned.kept(resource_class, content) if applying else None
        dataset = kept.cells if kept else parse_dataset(stored_name, content)
    except FileProblem as problem:
        report = Report()
        report.add(problem)
        return report, None
    resource = resource_class(
        user=user,
        label=label,
        on_progress=(lambda done: on_progress(done, len(dataset))) if on_progress else None,
        cleaned=kept.cleaned if kept else None,
        applying=applying,
    )
    report = check_headers(resource, dataset.headers)
    report.total = len(dataset)
    if not kept:  # a kept file had none
        report.errors += oversized_cells(dataset)
    if not report.ok:
        return report, resource
    if not len(dataset):
        report.add(_("The file has no data rows."))
        return report, resource
    if on_progress:
        on_progress(0, len(dataset))
    _collect(report, resource.check(dataset), resource)
    if report.ok:
        problems = resource.check_file()
        for row, column, message in problems:
            report.add(message, row=row, column=column)
        report.invalid = len({row for row, _column, _message in problems})
    if report.ok and not kept:
        cleaned.keep(resource_class, content, dataset, resource)
    return report, resource


@cycle_collection_paused()
def write_rows(resource, report: Report, *, user, label) -> None:
    """Write the checked rows in one savepoint of the caller's transaction: all or
    nothing. Whatever the database refuses becomes errors in `report`."""
    try:
        with transaction.atomic(), recorded_as(user=user, reason=label):
            resource.write()
    except RefusedRows as refusal:
        for row, column, message in refusal.problems:
            report.add(message, row=row, column=column)
        report.invalid = len({row for row, _column, _message in refusal.problems})
    except ValidationError as error:
        for message in error.messages:
            report.add(message)
    except DatabaseError as error:
        logger.warning("import %s refused by the database: %r", label, error)
        for row, column, message in resource.database_problems(error):
            report.add(message, row=row, column=column)


def run_import(resource_class, stored_name, *, user, label, dry_run, on_progress=None) -> Report:
    """Check every row of the stored file; unless `dry_run`, then write all rows in one
    transaction: all or nothing."""
    report, resource = check_rows(
        resource_class,
        stored_name,
        user=user,
        label=label,
        on_progress=on_progress,
        applying=not dry_run,
    )
    if report.ok and not dry_run:
        with transaction.atomic():
            write_rows(resource, report, user=user, label=label)
    return report


def _collect(report: Report, checked, resource) -> None:
    report.new = checked.new
    report.updated = checked.updated
    report.unchanged = checked.unchanged
    report.invalid = len(checked.invalid) + len({row for row, _error in checked.failures if row})
    for row, error in checked.failures:
        logger.error("import row %s failed", row, exc_info=error)
        if isinstance(error, DatabaseError):
            for found_row, column, message in resource.database_problems(error):
                report.add(message, row=row or found_row, column=column)
        elif row is None:
            report.add(_("The file could not be checked: %(error)s") % {"error": error})
        else:
            report.add(_("Unexpected error: %(error)s") % {"error": error}, row=row)
    for row, errors in checked.invalid:
        for key, messages in errors.items():
            for message in messages:
                report.add(message, row=row, column=resource.header_of(key))
    report.errors.sort(key=lambda e: e["row"] or 0)


# --- batches: the import page, the background task and the command ---------------------------
#
# A batch moves QUEUED → CHECKING → CHECKED or REJECTED, then CHECKED → APPLYING →
# APPLIED or FAILED. Each move happens once: it is made only from the state before it,
# so a second press, a second officer or a late worker finds the batch moved on.


def _report_fields(report: Report, status: str) -> dict:
    fields = {
        "status": status,
        "rows_total": report.total,
        "rows_done": report.total,
        "rows_new": report.new,
        "rows_updated": report.updated,
        "rows_unchanged": report.unchanged,
        "rows_invalid": report.invalid,
        "errors": report.errors[:MAX_REPORTED_ERRORS],
        "heartbeat_at": timezone.now(),
    }
    if status == ImportStatus.APPLIED:
        fields["applied_at"] = timezone.now()
    return fields


def _move(batch: ImportBatch, *, expected: str, **fields) -> bool:
    """Update the batch only if it is still in the `expected` status."""
    fields.setdefault("heartbeat_at", timezone.now())
    return ImportBatch.objects.filter(pk=batch.pk, status=expected).update(**fields) == 1


def _progress(batch: ImportBatch):
    def record(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )

    return record


def _batch_error(message) -> list[dict]:
    return [{"row": None, "column": "", "message": str(message)}]


def _stopped_report(message) -> Report:
    report = Report()
    report.add(message)
    return report


UNEXPECTED = gettext_lazy("The import stopped on an unexpected error; nothing was saved.")


def _failed_unexpectedly(batch: ImportBatch, stage: str) -> Report:
    """Log the error being handled; the batch fails unless it has left `stage` meanwhile."""
    logger.exception("import #%s failed while %s", batch.pk, stage)
    _move(batch, expected=stage, status=ImportStatus.FAILED, errors=_batch_error(UNEXPECTED))
    return _stopped_report(UNEXPECTED)


def check_batch(batch: ImportBatch, *, resource_class) -> Report:
    """The dry run of an uploaded file (QUEUED → CHECKING → CHECKED or REJECTED): fills
    the batch's counts and errors. A batch no longer queued (cancelled, or ended as
    stopped) is left as it is."""
    if not _move(batch, expected=ImportStatus.QUEUED, status=ImportStatus.CHECKING, rows_done=0):
        return _stopped_report(_("This import is no longer waiting to be checked."))
    try:
        report, _resource = check_rows(
            resource_class,
            batch.stored_file,
            user=batch.user,
            label=batch.label,
            on_progress=_progress(batch),
        )
    except Exception:
        return _failed_unexpectedly(batch, ImportStatus.CHECKING)
    status = ImportStatus.CHECKED if report.ok else ImportStatus.REJECTED
    _move(batch, expected=ImportStatus.CHECKING, **_report_fields(report, status))
    return report


REFUSALS = {
    ImportStatus.APPLYING: gettext_lazy("This file is being imported already."),
    ImportStatus.APPLIED: gettext_lazy("This file has been imported already."),
    ImportStatus.CANCELLED: gettext_lazy("This import was cancelled; upload the file again."),
}


def start_apply(batch: ImportBatch) -> None:
    """CHECKED → APPLYING, with the batch row locked; raise Refused in any other state,
    or while another request holds the batch."""
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update(nowait=True).get(pk=batch.pk)
            if locked.status != ImportStatus.CHECKED:
                raise Refused(
                    REFUSALS.get(
                        locked.status, _("Only a checked file without errors can be imported.")
                    )
                )
            if DeletedUpload.objects.filter(batch=locked).exists():
                raise Refused(
                    _("This file was deleted %(days)d days after its upload: upload it again.")
                    % {"days": settings.UPLOAD_RETENTION_DAYS}
                )
            locked.status = ImportStatus.APPLYING
            locked.rows_done = 0
            locked.heartbeat_at = timezone.now()
            locked.save(update_fields=["status", "rows_done", "heartbeat_at"])
    except OperationalError as error:  # the row is locked: another request is applying it
        raise Refused(REFUSALS[ImportStatus.APPLYING]) from error
    batch.status = ImportStatus.APPLYING


def apply_batch(batch: ImportBatch, *, resource_class) -> Report:
    """Apply a batch start_apply moved to APPLYING, all or nothing; the rows are checked
    again first against the database as it is now (the cells cleaned by the batch's check
    are reused). Ends APPLIED or FAILED, in the transaction that writes the rows, with
    the batch row locked: a batch that was meanwhile ended (as stopped, or by another
    worker) is left as it is and nothing is written."""
    try:
        report, resource = check_rows(
            resource_class,
            batch.stored_file,
            user=batch.user,
            label=batch.label,
            on_progress=_progress(batch),
            applying=True,
        )
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportStatus.APPLYING:
                return _stopped_report(
                    REFUSALS.get(locked.status, _("This import was stopped; nothing was imported."))
                )
            if report.ok:
                write_rows(resource, report, user=batch.user, label=batch.label)
            status = ImportStatus.APPLIED if report.ok else ImportStatus.FAILED
            ImportBatch.objects.filter(pk=batch.pk).update(**_report_fields(report, status))
    except Exception:
        return _failed_unexpectedly(batch, ImportStatus.APPLYING)
    return report


def check_in_background(size: int) -> bool:
    return size > BACKGROUND_BYTES


def apply_in_background(batch: ImportBatch) -> bool:
    return batch.rows_total > BACKGROUND_ROWS


def _lock_failed(batch: ImportBatch) -> None:
    """Lock the batch row if the batch failed; else Refused. Call inside a transaction."""
    try:
        locked = ImportBatch.objects.select_for_update(nowait=True).get(pk=batch.pk)
    except OperationalError as error:
        raise Refused(_("This import is running; wait until it ends.")) from error
    if locked.status != ImportStatus.FAILED:
        raise Refused(_("Only a failed import can be retried or cancelled."))


def requeue(batch: ImportBatch) -> int:
    """FAILED → QUEUED: the same stored file is to be checked again (check_batch).
    Returns the file's size, which decides where the check runs."""
    with transaction.atomic():
        _lock_failed(batch)
        try:
            size = default_storage.size(batch.stored_file)
        except OSError as error:  # removed after its retention period
            raise Refused(_("The file is no longer kept; upload it again.")) from error
        fields = {**_report_fields(Report(), ImportStatus.QUEUED), "applied_at": None}
        ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    batch.status = ImportStatus.QUEUED
    return size


def cancel(batch: ImportBatch) -> None:
    """FAILED → CANCELLED: the person gives up on this file."""
    with transaction.atomic():
        _lock_failed(batch)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.CANCELLED, heartbeat_at=timezone.now()
        )
    batch.status = ImportStatus.CANCELLED


# --- work whose process died ------------------------------------------------------------------


def end_stopped_batches() -> int:
    """Mark failed the batches whose process stopped (no progress for the timeout)."""
    return work.end_stale(
        ImportBatch,
        running=RUNNING_IMPORT_STATUSES,
        status=ImportStatus.FAILED,
        errors=_batch_error(_("The process stopped; nothing was imported.")),
    )
