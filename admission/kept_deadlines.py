"""The next deadline of each open admission file, kept in KeptDeadline where the file is
written: the board, the home page and the reminders list the late files of a province's
thousands by reading these rows (admission.queries.late_files).

A deadline is computed in Python (working days, rules in force), so no database trigger
can keep it: the signals below write a file's row again in the transaction that saves the
file, one of its votes or its decision, and every file's row when the holiday table
changes. A write that sends no signal (COPY, bulk_create, QuerySet.update: `seed_demo`)
calls keep() itself. `manage.py check_totals` computes every open file's deadline again
from the files with their votes and decisions read as models (admission.deadlines
.next_deadline, not the grouped query keep() uses) and names each row that differs; after
a deploy that changes the rules or the holidays package, its --rebuild writes them all.
"""

import datetime

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from admission.deadlines import next_deadline
from admission.enums import OPEN_STAGES
from admission.models import AdmissionDecision, BranchVote, Candidate, KeptDeadline
from admission.queries import next_deadlines
from partyorg.kept_totals import KeptTotals
from partyorg.models import Holiday
from partyorg.workdays import WorkingCalendar

# candidate id → (kind, due)
Deadlines = dict[int, tuple[str, datetime.date]]


@transaction.atomic
def keep(candidates: QuerySet[Candidate]) -> None:
    """Write the kept next deadline of `candidates` again from their dated rows."""
    found = next_deadlines(candidates.filter(stage__in=OPEN_STAGES), WorkingCalendar())
    KeptDeadline.objects.filter(candidate__in=candidates).delete()
    KeptDeadline.objects.bulk_create(
        _rows({pk: (deadline.kind, deadline.due) for pk, deadline in found.items()}),
        batch_size=5_000,
    )


def kept() -> Deadlines:
    return {
        pk: (kind, due)
        for pk, kind, due in KeptDeadline.objects.values_list("candidate_id", "kind", "due")
    }


def recounted() -> Deadlines:
    cal = WorkingCalendar()
    files = Candidate.objects.filter(stage__in=OPEN_STAGES).prefetch_related("votes", "decisions")
    return {
        candidate.pk: (deadline.kind, deadline.due)
        for candidate in files.iterator(chunk_size=2_000)
        if (deadline := next_deadline(candidate, cal)) is not None
    }


def _rows(deadlines: Deadlines):
    for pk, (kind, due) in deadlines.items():
        yield KeptDeadline(candidate_id=pk, kind=kind, due=due)


KEPT_DEADLINES = KeptTotals(
    name="admission deadlines",
    model=KeptDeadline,
    sources=(Candidate, BranchVote, AdmissionDecision, Holiday),
    kept=kept,
    recounted=recounted,
    rows=_rows,
    nothing=None,
)


@receiver(post_save, sender=Candidate)
@receiver(post_save, sender=BranchVote)
@receiver(post_save, sender=AdmissionDecision)
@receiver(post_delete, sender=BranchVote)
@receiver(post_delete, sender=AdmissionDecision)
def _file_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        file_id = instance.pk if sender is Candidate else instance.candidate_id
        keep(Candidate.objects.filter(pk=file_id))


@receiver(post_save, sender=Holiday)
@receiver(post_delete, sender=Holiday)
def _calendar_changed(sender, raw=False, **kwargs):
    """Every open file's deadline moves with the calendar."""
    if raw:
        return
    with transaction.atomic():
        _wait_for_writes_to_files()
        keep(Candidate.objects.all())


# Any number that no other advisory lock of the project uses.
CALENDAR_CHANGE_LOCK = 7_301_925


def _wait_for_writes_to_files() -> None:
    """On PostgreSQL, a file, vote or decision saved meanwhile is then computed before
    this change (this one waits for it to commit) or after it (its own keep() waits for
    this one), and two changes of the calendar compute one after the other, the second
    seeing the first's day. Taken after the day is written, so it cannot lock the holiday
    table itself: two changes would each wait for the other's row. SQLite writes one
    transaction at a time."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(model._meta.db_table for model in (Candidate, BranchVote, AdmissionDecision))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CALENDAR_CHANGE_LOCK])
        cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
