"""Run the day's reminders: `manage.py send_reminders [--date YYYY-MM-DD]`, daily from a
timer (docs/deploy.md). The task runs at once with the immediate backend and is queued
for `db_worker` with the database backend."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from personal.enums import ReminderKind
from personal.tasks import send_daily_reminders


class Command(BaseCommand):
    help = "Find what is due or overdue for each person and tell them (inbox and email)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for (default: today)")

    def handle(self, *args, **options):
        try:
            day = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError("--date: give the day as YYYY-MM-DD.") from None
        result = send_daily_reminders.enqueue(day.isoformat())
        if result.status == TaskResultStatus.FAILED:
            raise CommandError(f"The reminders of {day:%d/%m/%Y} failed; see the log.")
        if result.status != TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Reminders of {day:%d/%m/%Y} queued ({result.id}).")
            return
        summary = result.return_value
        self.stdout.write(
            f"Reminders of {day:%d/%m/%Y}: {summary['people']} people, "
            f"{summary['emails']} emails sent."
        )
        for kind in ReminderKind:
            if kind.value in summary["by_kind"]:
                self.stdout.write(
                    f"  {kind.value:<17} {summary['by_kind'][kind.value]:>6} due, "
                    f"for {summary['people_by_kind'][kind.value]} people"
                )
