"""Background runs of large imports and exports (django.tasks API; the immediate backend
in tests).

The services record every failure on their row; a worker starting a task first ends
the rows whose process died."""

from django_tasks import task

from office.imports import exporting
from office.imports.registry import resource_class
from partyorg.bulk import vacuum
from partyorg.imports import services
from partyorg.models import ImportBatch, PreparedExport


def _batch(batch_id: int) -> ImportBatch:
    services.end_stopped_batches()
    return ImportBatch.objects.select_related("user").get(pk=batch_id)


@task()
def check_import(batch_id: int) -> None:
    batch = _batch(batch_id)
    services.check_batch(batch, resource_class=resource_class(batch.kind))


@task()
def apply_import(batch_id: int) -> None:
    batch = _batch(batch_id)
    resource = resource_class(batch.kind)
    if services.apply_batch(batch, resource_class=resource).ok:
        # Only large imports run here: the tables of the app they wrote, once committed.
        written = resource._meta.model._meta.app_config
        vacuum(written.get_models())


@task()
def prepare_export(prepared_id: int) -> None:
    exporting.end_stopped_exports()
    exporting.prepare(PreparedExport.objects.select_related("user").get(pk=prepared_id))
