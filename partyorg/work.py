"""Work a background process does while others watch it: an import, a report file.

The process records a heartbeat with each step. A process that was killed (a worker
restarted, the web process stopped mid-request) never finishes its row; once the
heartbeat is older than WORK_STALE_AFTER_SECONDS, whoever looks at the work (a page,
the worker) marks it failed, so it can be retried or cancelled.
"""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partyorg.choices import ChoiceLabels


class BackgroundWork(ChoiceLabels, models.Model):
    """A row of such work; the model defines `status` and `is_running`."""

    heartbeat_at = models.DateTimeField(_("last progress"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_stopped(self) -> bool:
        """Running by its status, but without progress for the timeout: its process died."""
        return self.is_running and self.heartbeat_at < timezone.now() - stale_after()


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORK_STALE_AFTER_SECONDS)


def shown_after_ending_stopped(load, end_stopped) -> list:
    """The rows `load()` returns, after `end_stopped()` if any of them had stopped: a page
    never shows dead work as running, and pays no query when none is."""
    rows = load()
    if any(row.is_stopped for row in rows):
        end_stopped()
        rows = load()
    return rows


def end_stale(model, *, running, **failed) -> int:
    """Set `failed` (field values) on the rows of `model` in a `running` status whose
    heartbeat is older than the timeout; return how many.

    A live process holds its row locked while it writes: such rows are skipped, so only
    work whose process is gone is ended.
    """
    cutoff = timezone.now() - stale_after()
    with transaction.atomic():
        stale = list(
            model.objects.filter(status__in=running, heartbeat_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if stale:
            model.objects.filter(pk__in=stale).update(**failed)
    return len(stale)


def update_if(model, pk: int, expected: str, **fields) -> bool:
    """Set `fields` and a heartbeat on the row only while it is in the `expected` status:
    an ending decided meanwhile by someone else (cancelled, ended as stopped) is kept."""
    fields.setdefault("heartbeat_at", timezone.now())
    return model.objects.filter(pk=pk, status=expected).update(**fields) == 1


def finish_with_file(
    model, pk: int, *, running: str, done: str, name: str, content: bytes, **fields
):
    """Keep the work's file on its row and mark it `done` (with `fields`), if the row is
    still `running`; otherwise leave the row's ending as it is and drop the file."""
    with transaction.atomic():
        try:
            row = model.objects.select_for_update().get(pk=pk, status=running)
        except model.DoesNotExist:
            return
        row.file.save(name, ContentFile(content), save=False)
        for name_of_field, value in fields.items():
            setattr(row, name_of_field, value)
        row.status = done
        row.finished_at = row.heartbeat_at = timezone.now()
        row.save(update_fields=["file", "status", "finished_at", "heartbeat_at", *fields])
