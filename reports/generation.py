"""Preparing report files: at once for small subtrees, in the background (django.tasks)
for large ones, with the progress kept on a GeneratedReport row."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrganizationNode
from branches.queries import organizations_for, oversees
from members.enums import MembershipKind
from members.models import Membership
from partyorg import work
from partyorg.documents import DocumentFailed
from partyorg.pagination import has_at_least
from partyorg.routers import reading_for_reports
from reports.enums import RUNNING_STATUSES, ReportStatus
from reports.models import GeneratedReport
from reports.output import NotBalanced, file_name, render
from reports.service import build_annual_report

logger = logging.getLogger(__name__)


def background_threshold() -> int:
    """Subtrees with more members than this are prepared in the background."""
    return getattr(settings, "REPORT_BACKGROUND_MEMBERS", 3000)


def is_large(node: OrganizationNode) -> bool:
    members = Membership.objects.open().filter(
        branch__path__startswith=node.path, kind=MembershipKind.HOME
    )
    # Counted no further than the threshold: the province's dashboard asks on every view.
    return has_at_least(members, background_threshold() + 1)


def generated_reports_for(user) -> QuerySet[GeneratedReport]:
    """Report files of organizations in the user's subtree."""
    return GeneratedReport.objects.filter(node__in=organizations_for(user)).select_related(
        "node", "requested_by"
    )


def _update(pk: int, *, expected: str = ReportStatus.RUNNING, **fields) -> bool:
    return work.update_if(GeneratedReport, pk, expected, **fields)


def _fail(pk: int, message: str) -> None:
    _update(pk, status=ReportStatus.FAILED, message=message, finished_at=timezone.now())


def run(generated: GeneratedReport) -> None:
    """Build the report, render it and keep the file on the row, noting progress.

    Effects: status queued → running → done with the file, or failed with the reason (a
    movement table that does not balance, a node that did not exist in the year, a
    document that could not be rendered). A report no longer queued (cancelled, or ended
    as stopped) is left as it is; one ended while it was being built keeps that ending
    and the file is dropped.
    """
    pk = generated.pk
    if not _update(pk, expected=ReportStatus.QUEUED, status=ReportStatus.RUNNING, progress=5):
        return
    try:
        # The building only: this row was written a moment ago, the replica may not have it.
        with reading_for_reports():
            report = build_annual_report(generated.node, generated.year)
            _update(pk, progress=40)
            content = render(report, generated.format)
    except NotBalanced as error:
        _fail(pk, f"{error.report.imbalance_message_vi()}\n{error}")
        return
    except ValidationError as error:
        _fail(pk, " ".join(error.messages))
        return
    except DocumentFailed as error:
        _fail(pk, str(error))
        return
    except Exception:
        logger.exception("report file #%s failed", pk)
        _fail(pk, _("The report stopped on an unexpected error."))
        return
    work.finish_with_file(
        GeneratedReport,
        pk,
        running=ReportStatus.RUNNING,
        done=ReportStatus.DONE,
        name=file_name(report, generated.format),
        content=content,
        progress=100,
    )


# --- work whose process died ------------------------------------------------------------------


class Refused(Exception):
    """A step the report's state does not allow; the message says why, for the user."""


def may_manage(user, generated: GeneratedReport) -> bool:
    """Retry and cancel: the person who asked for the file, or one who writes above it."""
    return generated.requested_by_id == user.pk or oversees(user, generated.node)


def end_stopped_reports() -> int:
    """Mark failed the report files whose process stopped (no progress for the timeout)."""
    return work.end_stale(
        GeneratedReport,
        running=RUNNING_STATUSES,
        status=ReportStatus.FAILED,
        message=_("The process preparing the report stopped; no file was made."),
        finished_at=timezone.now(),
    )


def _end_failed(generated: GeneratedReport, **fields) -> None:
    if not _update(generated.pk, expected=ReportStatus.FAILED, **fields):
        raise Refused(_("Only a failed report file can be prepared again or cancelled."))


def requeue(generated: GeneratedReport) -> None:
    """FAILED → QUEUED: the same report is to be prepared again (run)."""
    _end_failed(generated, status=ReportStatus.QUEUED, progress=0, message="", finished_at=None)


def cancel(generated: GeneratedReport) -> None:
    """FAILED → CANCELLED."""
    _end_failed(generated, status=ReportStatus.CANCELLED)
