"""Background runs of large imports (django.tasks API; the immediate backend in tests)."""

from django_tasks import task

from partyorg.imports import services
from partyorg.models import ImportBatch


@task()
def check_import(batch_id: int) -> None:
    services.check_batch(ImportBatch.objects.get(pk=batch_id))


@task()
def apply_import(batch_id: int) -> None:
    services.apply_batch(ImportBatch.objects.get(pk=batch_id))
