"""Preparing report files: at once for small subtrees, in the background (django.tasks)
for large ones, with the progress kept on a GeneratedReport row."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrganizationNode
from branches.queries import organizations_for
from members.enums import MembershipKind
from members.models import Membership
from partyorg.documents import DocumentFailed
from partyorg.routers import reading_for_reports
from reports.enums import ReportStatus
from reports.models import GeneratedReport
from reports.output import NotBalanced, file_name, render
from reports.service import build_annual_report

logger = logging.getLogger(__name__)


def background_threshold() -> int:
    """Subtrees with more members than this are prepared in the background."""
    return getattr(settings, "REPORT_BACKGROUND_MEMBERS", 3000)


def is_large(node: OrganizationNode) -> bool:
    members = Membership.objects.filter(
        branch__path__startswith=node.path, kind=MembershipKind.HOME, end_date__isnull=True
    )
    return members.count() > background_threshold()


def generated_reports_for(user) -> QuerySet[GeneratedReport]:
    """Report files of organizations in the user's subtree."""
    return GeneratedReport.objects.filter(node__in=organizations_for(user)).select_related(
        "node", "requested_by"
    )


def _update(pk: int, **fields) -> None:
    GeneratedReport.objects.filter(pk=pk).update(**fields)


def run(generated: GeneratedReport) -> None:
    """Build the report, render it and keep the file on the row, noting progress.

    Effects: status running → done with the file, or failed with the reason (a movement
    table that does not balance, a node that did not exist in the year, a document that
    could not be rendered).
    """
    pk = generated.pk
    _update(pk, status=ReportStatus.RUNNING, progress=5)
    try:
        # The building only: this row was written a moment ago, the replica may not have it.
        with reading_for_reports():
            report = build_annual_report(generated.node, generated.year)
            _update(pk, progress=40)
            content = render(report, generated.format)
    except NotBalanced as error:
        message = f"{error.report.imbalance_message_vi()}\n{error}"
        _update(pk, status=ReportStatus.FAILED, message=message, finished_at=timezone.now())
        return
    except ValidationError as error:
        _update(
            pk,
            status=ReportStatus.FAILED,
            message=" ".join(error.messages),
            finished_at=timezone.now(),
        )
        return
    except DocumentFailed as error:
        _update(pk, status=ReportStatus.FAILED, message=str(error), finished_at=timezone.now())
        return
    except Exception:
        logger.exception("report file #%s failed", pk)
        _update(
            pk,
            status=ReportStatus.FAILED,
            message=_("The report stopped on an unexpected error."),
            finished_at=timezone.now(),
        )
        raise
    generated.refresh_from_db()
    generated.file.save(file_name(report, generated.format), ContentFile(content), save=False)
    generated.status = ReportStatus.DONE
    generated.progress = 100
    generated.finished_at = timezone.now()
    generated.save(update_fields=["file", "status", "progress", "finished_at"])
