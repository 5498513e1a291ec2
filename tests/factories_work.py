"""Background work as the database holds it: import batches and report files, running or
left behind by a process that died."""

import datetime

from django.conf import settings
from django.utils import timezone

from partyorg.enums import ImportKind
from partyorg.models import ImportBatch
from reports.enums import ReportStatus
from reports.models import GeneratedReport
from tests.factories_reports import YEAR


def stale_heartbeat() -> datetime.datetime:
    """A heartbeat old enough for its work to count as stopped."""
    return timezone.now() - datetime.timedelta(seconds=settings.WORK_STALE_AFTER_SECONDS + 5)


def members_batch(user, **fields) -> ImportBatch:
    defaults = {"file_name": "big.xlsx", "stored_file": "imports/big.xlsx"}
    return ImportBatch.objects.create(kind=ImportKind.MEMBERS, user=user, **defaults | fields)


def running_report(node, user, **fields) -> GeneratedReport:
    return GeneratedReport.objects.create(
        node=node,
        year=YEAR,
        requested_by=user,
        status=ReportStatus.RUNNING,
        **{"format": "xlsx", "progress": 40} | fields,
    )
