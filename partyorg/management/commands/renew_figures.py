"""Queue the renewal of the figures kept for large subtrees: `manage.py renew_figures`,
every SUBTREE_CACHE_FRESH_SECONDS from a timer (docs/deploy.md). The task runs at once
with the immediate backend and is queued for `db_worker` with the database backend."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks.base import TaskResultStatus

from partyorg.tasks import renew_kept_figures


class Command(BaseCommand):
    help = "Renew the figures kept for large organizations, in the task worker."

    def handle(self, *args, **options):
        result = renew_kept_figures.enqueue()
        if result.status == TaskResultStatus.FAILED:
            raise CommandError("Renewing the kept figures failed; see the log.")
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"{result.return_value} kept figures renewed.")
        else:
            self.stdout.write(f"Renewal of the kept figures queued ({result.id}).")
