"""Background preparation of large reports (django.tasks API; immediate backend in tests)."""

from django_tasks import task

from reports import generation
from reports.models import GeneratedReport


@task()
def generate_report(generated_id: int) -> None:
    generation.run(GeneratedReport.objects.select_related("node").get(pk=generated_id))
