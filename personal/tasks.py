"""The daily reminders as a background task (django.tasks API; the immediate backend in
tests and the demo, the database worker in production)."""

import datetime

from django_tasks import task

from personal import reminders


@task()
def send_daily_reminders(day: str) -> dict:
    """`day` in ISO form (task arguments are JSON)."""
    summary = reminders.send_reminders(datetime.date.fromisoformat(day))
    return {
        "people": summary.people,
        "emails": summary.emails,
        "by_kind": dict(summary.by_kind),
        "people_by_kind": dict(summary.people_by_kind),
    }
