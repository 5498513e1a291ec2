"""Running an import: read the file, check every row, then write all or nothing.

The same functions serve the import page, the background task and the import_xlsx
command, so each gives the same checks and the same report.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult

from partyorg.enums import ImportStatus
from partyorg.imports.files import FileProblem, oversized_cells, read_dataset
from partyorg.imports.history import recorded_as
from partyorg.imports.registry import resource_class
from partyorg.models import ImportBatch

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


def run_import(kind, stored_name, *, user, label, dry_run, on_progress=None) -> Report:
    """Check every row of the stored file; unless `dry_run`, then write all rows in one
    transaction: all or nothing. The checks cover the database's constraints, so a dry
    run does not write; should the database still refuse a row, nothing is saved."""
    try:
        dataset = read_dataset(stored_name)
    except FileProblem as problem:
        report = Report()
        report.add(problem)
        return report
    resource = resource_class(kind)(
        user=user,
        label=label,
        on_progress=(lambda done: on_progress(done, len(dataset))) if on_progress else None,
    )
    report = check_headers(resource, dataset.headers)
    report.total = len(dataset)
    report.errors += oversized_cells(dataset)
    if not report.ok:
        return report
    if not len(dataset):
        report.add(_("The file has no data rows."))
        return report
    if on_progress:
        on_progress(0, len(dataset))
    result = resource.import_data(dataset, dry_run=False, use_transactions=False)
    _collect(report, result, resource)
    if not report.ok or dry_run:
        return report
    try:
        with transaction.atomic(), recorded_as(user=user, reason=label):
            resource.write()
    except (ValidationError, DatabaseError) as error:
        logger.warning("import %s failed while writing: %s", label, error)
        report.add(_("The database refused the data: %(error)s") % {"error": error})
    return report


def _collect(report: Report, result, resource) -> None:
    totals = result.totals
    report.new = totals[RowResult.IMPORT_TYPE_NEW]
    report.updated = totals[RowResult.IMPORT_TYPE_UPDATE]
    report.unchanged = totals[RowResult.IMPORT_TYPE_SKIP]
    report.invalid = totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]
    for error in result.base_errors:
        logger.error("import failed", exc_info=error.error)
        report.add(_("The file could not be checked: %(error)s") % {"error": error.error})
    for number, errors in result.row_errors():
        for error in errors:
            logger.error("import row %s failed", number, exc_info=error.error)
            report.add(_("Unexpected error: %(error)s") % {"error": error.error}, row=number + 1)
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = resource.header_of(key) if key != NON_FIELD_ERRORS else ""
            for message in messages:
                report.add(message, row=invalid.number + 1, column=column)
    report.errors.sort(key=lambda e: e["row"] or 0)


# --- batches: the import page and the background task ---------------------------------------


def _save_report(batch: ImportBatch, report: Report, status: str) -> None:
    batch.status = status
    batch.rows_total = report.total
    batch.rows_done = report.total
    batch.rows_new = report.new
    batch.rows_updated = report.updated
    batch.rows_unchanged = report.unchanged
    batch.rows_invalid = report.invalid
    batch.errors = report.errors[:MAX_REPORTED_ERRORS]
    if status == ImportStatus.APPLIED:
        batch.applied_at = timezone.now()
    batch.save()


def _progress(batch: ImportBatch):
    def record(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done, rows_total=total)

    return record


def check_batch(batch: ImportBatch) -> Report:
    """The dry run of an uploaded file: fills the batch's counts and errors."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING)
    report = run_import(
        batch.kind,
        batch.stored_file,
        user=batch.user,
        label=batch.label,
        dry_run=True,
        on_progress=_progress(batch),
    )
    _save_report(batch, report, ImportStatus.CHECKED if report.ok else ImportStatus.REJECTED)
    return report


def apply_batch(batch: ImportBatch) -> Report:
    """Apply a checked file, all or nothing; the rows are checked again first."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.APPLYING, rows_done=0)
    report = run_import(
        batch.kind,
        batch.stored_file,
        user=batch.user,
        label=batch.label,
        dry_run=False,
        on_progress=_progress(batch),
    )
    _save_report(batch, report, ImportStatus.APPLIED if report.ok else ImportStatus.FAILED)
    return report


def check_in_background(size: int) -> bool:
    return size > BACKGROUND_BYTES


def apply_in_background(batch: ImportBatch) -> bool:
    return batch.rows_total > BACKGROUND_ROWS
