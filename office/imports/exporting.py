"""Exports of the recorded records of a kind, in its import template's columns, for a
user's subtree: at once in the request while small, prepared by the task worker (a
PreparedExport row, then its download) once they exceed EXPORT_BACKGROUND_ROWS."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.queries import organizations_for
from office.imports.registry import TEMPLATE_NAMES, resource_class
from partyorg import work
from partyorg.enums import RUNNING_EXPORT_STATUSES, ImportKind
from partyorg.enums import PreparedExportStatus as Status
from partyorg.imports.files import workbook
from partyorg.models import PreparedExport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    name: str
    rows: int


def _records(kind: str, user):
    return resource_class(kind).exported(organizations_for(user))


def row_count(kind: str, user) -> int:
    records = _records(kind, user)
    # The areas' export is built as a list (one row per year of figures), and small.
    return records.count() if isinstance(records, QuerySet) else len(records)


def is_large(rows: int) -> bool:
    return rows > settings.EXPORT_BACKGROUND_ROWS


def export_file(kind: str, user) -> ExportFile:
    """The workbook of the user's records of `kind`, named after its template and today."""
    resource = resource_class(kind)(user=user)
    dataset = resource.export(_records(kind, user))
    label = str(ImportKind(kind).label)
    stem = TEMPLATE_NAMES[ImportKind(kind)].removeprefix("mau-")
    name = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    return ExportFile(workbook(resource, dataset, title=label), name, len(dataset))


def prepared_exports_for(user):
    return PreparedExport.objects.filter(user=user)


def request_export(kind: str, user) -> tuple[PreparedExport, bool]:
    """The user's export of `kind` still waiting or being prepared, else a new one queued;
    and whether it is new (then the caller enqueues it)."""
    end_stopped_exports()
    waiting = prepared_exports_for(user).filter(kind=kind, status__in=RUNNING_EXPORT_STATUSES)
    if found := waiting.first():
        return found, False
    return PreparedExport.objects.create(user=user, kind=kind), True


def _update(pk: int, *, expected: str = Status.RUNNING, **fields) -> bool:
    fields.setdefault("heartbeat_at", timezone.now())
    return PreparedExport.objects.filter(pk=pk, status=expected).update(**fields) == 1


def prepare(prepared: PreparedExport) -> None:
    """Write the file of a queued export.

    Effects: status queued → running → done with the file and its row count, or failed
    with the reason. An export no longer queued (ended as stopped) is left as it is.
    """
    pk = prepared.pk
    if not _update(pk, expected=Status.QUEUED, status=Status.RUNNING):
        return
    try:
        exported = export_file(prepared.kind, prepared.user)
    except Exception:
        logger.exception("prepared export #%s failed", pk)
        _update(
            pk,
            status=Status.FAILED,
            message=_("The export stopped on an unexpected error."),
            finished_at=timezone.now(),
        )
        return
    with transaction.atomic():
        try:
            prepared = PreparedExport.objects.select_for_update().get(pk=pk, status=Status.RUNNING)
        except PreparedExport.DoesNotExist:
            return
        prepared.file.save(exported.name, ContentFile(exported.content), save=False)
        prepared.status = Status.DONE
        prepared.rows = exported.rows
        prepared.finished_at = prepared.heartbeat_at = timezone.now()
        prepared.save(update_fields=["file", "status", "rows", "finished_at", "heartbeat_at"])


def end_stopped_exports() -> int:
    """Mark failed the exports whose process stopped (no progress for the timeout)."""
    return work.end_stale(
        PreparedExport,
        running=RUNNING_EXPORT_STATUSES,
        status=Status.FAILED,
        message=_("The export stopped: the process preparing it ended. Ask for it again."),
        finished_at=timezone.now(),
    )
