"""Exports of records in their import template's columns for a user's subtree (the
recorded records of a kind, or the member list with its filters): at once in the request
while small, prepared by the task worker (a PreparedExport row, then its download) once
they exceed EXPORT_BACKGROUND_ROWS. The worker also writes the badge list PDFs too long
for a request (branchwork.badge_document)."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.enums import BRANCH_KINDS
from branches.queries import is_officer, organizations_for
from branchwork import badge_document
from members.forms import ACTIVE, MemberFilterForm
from members.queries import members_for, with_branch_since
from members.resources import MemberResource
from office.imports.registry import TEMPLATE_NAMES, resource_class
from partyorg import work
from partyorg.collector import cycle_collection_paused
from partyorg.enums import RUNNING_EXPORT_STATUSES, ExportKind, ImportKind
from partyorg.enums import PreparedExportStatus as Status
from partyorg.imports.files import csv_bytes, workbook
from partyorg.models import PreparedExport

logger = logging.getLogger(__name__)


MEMBERS = ExportKind.MEMBERS.value
BADGE_LIST = ExportKind.BADGE_LIST.value  # a PDF (branchwork.badge_document)
FILE_FORMATS = {"xlsx", "csv"}  # the member list's; the other kinds are workbooks


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    name: str
    rows: int


@dataclass(frozen=True)
class Request:
    """What to export: a kind with an export, or the member list with its filters (the
    list page's query) and format."""

    kind: str
    filters: dict = field(default_factory=dict)
    file_format: str = "xlsx"


def _source(asked: Request, user):
    """(resource, records) of an export for `user`."""
    if asked.kind == MEMBERS:
        branches = organizations_for(user).open().filter(kind__in=BRANCH_KINDS)
        filters = MemberFilterForm(asked.filters or {"status": ACTIVE}, branches=branches)
        members = members_for(user)
        members = filters.filter(members) if filters.is_valid() else members.none()
        resource = MemberResource(user=user, personal_data=is_officer(user))
        return resource, with_branch_since(members)
    resource = resource_class(asked.kind)
    return resource(user=user), resource.exported(organizations_for(user))


def row_count(asked: Request, user) -> int:
    _resource, records = _source(asked, user)
    # The areas' export is built as a list (one row per year of figures), and small.
    return records.count() if isinstance(records, QuerySet) else len(records)


def is_large(rows: int) -> bool:
    return rows > settings.EXPORT_BACKGROUND_ROWS


def file_name(asked: Request, day: datetime.date) -> str:
    """An export's file name: its template's (or the member list's) and the day it was
    written, whatever name the storage gave the prepared file."""
    if asked.kind == MEMBERS:
        return f"dang-vien-{day:%Y%m%d}.{asked.file_format}"
    if asked.kind == BADGE_LIST:
        award_date = datetime.date.fromisoformat(asked.filters["date"])
        return badge_document.file_name(asked.filters["node"], award_date)
    stem = TEMPLATE_NAMES[ImportKind(asked.kind)].removeprefix("mau-")
    return f"{stem}-{day:%Y%m%d}.xlsx"


@cycle_collection_paused()
def export_file(asked: Request, user) -> ExportFile:
    """The file of the user's records, named after its template (or the member list) and
    today; a badge list's PDF, named after its organization and award day."""
    if asked.kind == BADGE_LIST:
        return ExportFile(*badge_document.written_later(user, asked.filters))
    resource, records = _source(asked, user)
    dataset = resource.export(records)
    name = file_name(asked, timezone.localdate())
    if asked.kind == MEMBERS:
        if asked.file_format == "csv":
            return ExportFile(csv_bytes(dataset), name, len(dataset))
        return ExportFile(workbook(resource, dataset, title="Đảng viên"), name, len(dataset))
    title = str(ImportKind(asked.kind).label)
    return ExportFile(workbook(resource, dataset, title=title), name, len(dataset))


def request_of(prepared: PreparedExport) -> Request:
    return Request(prepared.kind, prepared.filters, prepared.file_format)


def described(prepared: PreparedExport) -> str:
    """What a prepared file holds beyond its kind: a badge list's organization and day."""
    if prepared.kind != BADGE_LIST:
        return ""
    node = organizations_for(prepared.user).filter(code=prepared.filters["node"]).first()
    award_date = datetime.date.fromisoformat(prepared.filters["date"])
    return f"{node.name if node else prepared.filters['node']} · {award_date:%d/%m/%Y}"


def download_name(prepared: PreparedExport) -> str:
    """The name a prepared file is downloaded under: the one the request would have sent
    on the day it was written (the storage may have added a suffix to its own)."""
    return file_name(request_of(prepared), timezone.localtime(prepared.finished_at).date())


def prepared_exports_for(user):
    return PreparedExport.objects.filter(user=user)


def request_export(asked: Request, user) -> tuple[PreparedExport, bool]:
    """The user's same export still waiting or being prepared, else a new one queued; and
    whether it is new (then the caller enqueues it)."""
    end_stopped_exports()
    same = {"kind": asked.kind, "filters": asked.filters, "file_format": asked.file_format}
    waiting = prepared_exports_for(user).filter(status__in=RUNNING_EXPORT_STATUSES, **same)
    if found := waiting.first():
        return found, False
    try:
        with transaction.atomic():
            return PreparedExport.objects.create(user=user, **same), True
    except IntegrityError:  # the same request committed a moment before (a double click)
        return waiting.get(), False


def _update(pk: int, *, expected: str = Status.RUNNING, **fields) -> bool:
    return work.update_if(PreparedExport, pk, expected, **fields)


def prepare(prepared: PreparedExport) -> None:
    """Write the file of a queued export.

    Effects: status queued → running → done with the file and its row count, or failed
    with the reason. An export no longer queued (ended as stopped) is left as it is.
    """
    pk = prepared.pk
    if not _update(pk, expected=Status.QUEUED, status=Status.RUNNING):
        return
    try:
        exported = export_file(request_of(prepared), prepared.user)
    except Exception:
        logger.exception("prepared export #%s failed", pk)
        _update(
            pk,
            status=Status.FAILED,
            message=_("The export stopped on an unexpected error."),
            finished_at=timezone.now(),
        )
        return
    work.finish_with_file(
        PreparedExport,
        pk,
        running=Status.RUNNING,
        done=Status.DONE,
        name=exported.name,
        content=exported.content,
        rows=exported.rows,
    )


def end_stopped_exports() -> int:
    """Mark failed the exports whose process stopped (no progress for the timeout)."""
    return work.end_stale(
        PreparedExport,
        running=RUNNING_EXPORT_STATUSES,
        status=Status.FAILED,
        message=_("The export stopped: the process preparing it ended. Ask for it again."),
        finished_at=timezone.now(),
    )
