"""Background preparation of large reports (django.tasks API; immediate backend in tests).

A worker starting a task first ends the report files whose process died."""

from django_tasks import task

from reports import generation
from reports.models import GeneratedReport


@task()
def generate_report(generated_id: int) -> None:
    generation.end_stopped_reports()
    generation.run(GeneratedReport.objects.select_related("node").get(pk=generated_id))
