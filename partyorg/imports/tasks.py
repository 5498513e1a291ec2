"""Background runs of large imports (django.tasks API; the immediate backend in tests)."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from partyorg.enums import ImportStatus
from partyorg.imports import services
from partyorg.models import ImportBatch

logger = logging.getLogger(__name__)


def _run(batch_id: int, step) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        step(batch)
    except Exception:
        logger.exception("import #%s failed", batch_id)
        message = _("The import stopped on an unexpected error; nothing was saved.")
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, errors=[{"row": None, "column": "", "message": message}]
        )
        raise


@task()
def check_import(batch_id: int) -> None:
    _run(batch_id, services.check_batch)


@task()
def apply_import(batch_id: int) -> None:
    _run(batch_id, services.apply_batch)
