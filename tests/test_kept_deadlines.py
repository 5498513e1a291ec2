"""The next deadline of each open admission file is kept (KeptDeadline) by every step that
changes the file and by every change to the holiday table; the lists of late files read
it; `manage.py check_totals` finds and mends a difference."""

import datetime
import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from admission import kept_deadlines
from admission.deadlines import next_deadline
from admission.enums import DeadlineKind, Stage
from admission.kept_deadlines import KEPT_DEADLINES
from admission.models import Candidate, KeptDeadline
from partyorg.enums import ImportStatus
from partyorg.models import Holiday
from partyorg.workdays import WorkingCalendar
from tests.factories_admission import WALK, convert, make_candidate, make_officials, walk
from tests.test_imports_candidates import candidate_row
from tests.test_imports_candidates import run as run_import
from tests.threads import together

D = datetime.date
# A Tuesday between the branch's vote (1 July 2024) and the decision it is due by.
DAY_OFF = D(2024, 7, 2)


def kept() -> dict:
    return {row.candidate_id: (row.kind, row.due) for row in KeptDeadline.objects.order_by("pk")}


def computed(candidate) -> tuple | None:
    """The file's next deadline as its own page computes it."""
    deadline = next_deadline(Candidate.objects.get(pk=candidate.pk), WorkingCalendar())
    return None if deadline is None else (deadline.kind, deadline.due)


@pytest.mark.django_db
def test_each_step_of_a_file_keeps_its_next_deadline(world):
    make_officials(world.branch_a, 3)
    candidate = make_candidate(world.branch_a)
    assert kept() == {}  # no course yet: nothing is due
    seen = []
    for stage in [Stage.TRAINED, Stage.BRANCH_RESOLVED, Stage.DECIDED, Stage.PROBATION]:
        walk(candidate, stage)
        assert kept() == {candidate.pk: computed(candidate)}
        seen.append(kept()[candidate.pk][0])
    assert seen == [
        DeadlineKind.COURSE_VALID_UNTIL,
        DeadlineKind.ADMISSION_DECISION,
        DeadlineKind.ADMISSION_CEREMONY,
        DeadlineKind.CONVERSION_VOTE,
    ]
    convert(candidate)
    assert kept() == {}  # an official member's file has nothing due


@pytest.mark.django_db
def test_the_board_lists_the_kept_deadlines(world, as_user):
    make_officials(world.branch_a, 3)
    voted = walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED)
    decided = walk(make_candidate(world.branch_a), Stage.DECIDED)
    page = as_user(world.officer).get(reverse("admission:pipeline"))
    overdue = [(c, d.kind, d.due) for c, d in page.context["overdue"]]
    assert overdue == sorted(
        [(c, *computed(c)) for c in (voted, decided)], key=lambda row: (row[2], row[0].pk)
    )
    assert "Admission decision: " in page.content.decode()
    assert "Admission ceremony: " in page.content.decode()


@pytest.mark.django_db
def test_a_day_off_entered_or_removed_on_its_page_moves_every_open_files_deadline(world, as_user):
    make_officials(world.branch_a, 3)
    files = [walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED) for _ in range(2)]
    before = kept()
    client = as_user(world.officer)
    response = client.post(
        reverse("holidays"), {"date": DAY_OFF.strftime("%d/%m/%Y"), "name": "Nghỉ bù"}
    )
    assert response.status_code == 302
    after = kept()
    assert after == {c.pk: computed(c) for c in files}
    assert all(after[c.pk][1] > before[c.pk][1] for c in files)
    client.post(reverse("holidays"), {"remove": Holiday.objects.get().pk})
    assert kept() == before


@pytest.mark.django_db
def test_files_imported_from_a_workbook_keep_their_course_deadline(world, as_user):
    batch = run_import(as_user(world.officer), [candidate_row()])
    assert batch.status == ImportStatus.APPLIED, batch.errors
    candidate = Candidate.objects.get()
    assert kept() == {candidate.pk: computed(candidate)}
    assert kept()[candidate.pk][0] == DeadlineKind.COURSE_VALID_UNTIL


@pytest.mark.django_db
def test_a_decision_corrected_alone_moves_the_ceremonys_deadline(world):
    """The ceremony counts from the day the branch received the decision: a receipt date
    entered on the decision, with nothing else saved, moves it."""
    make_officials(world.branch_a, 3)
    candidate = walk(make_candidate(world.branch_a), Stage.DECIDED)
    before = kept()[candidate.pk]
    decision = candidate.decisions.get()
    decision.received_on = WALK["decision"] + datetime.timedelta(days=10)
    decision.save()
    assert kept() == {candidate.pk: computed(candidate)}
    assert kept()[candidate.pk][1] > before[1]


@pytest.mark.django_db
def test_check_totals_names_a_wrong_deadline_and_rebuild_mends_it(world):
    make_officials(world.branch_a, 3)
    candidate = walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED)
    call_command("check_totals", stdout=io.StringIO())
    KeptDeadline.objects.filter(pk=candidate.pk).update(due=D(2030, 1, 1))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_totals", stdout=out)
    assert f"admission deadlines, {candidate.pk}: kept" in out.getvalue()
    call_command("check_totals", "--rebuild", stdout=io.StringIO())
    assert kept() == {candidate.pk: computed(candidate)}
    assert KEPT_DEADLINES.differences() == []


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent PostgreSQL writers"
)


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_day_off_entered_while_a_vote_is_recorded_leaves_no_stale_deadline(world):
    """The vote's transaction is still open when the day off is entered: the calendar's
    change waits for it, then computes the file with its vote."""
    make_officials(world.branch_a, 3)
    candidate = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    voted = threading.Event()

    def vote():
        with transaction.atomic():
            walk(candidate, Stage.BRANCH_RESOLVED)
            voted.set()
            time.sleep(0.5)  # the day off arrives before this commits

    def day_off():
        voted.wait(5)
        Holiday.objects.create(date=DAY_OFF, name="Nghỉ bù")

    assert together(vote, day_off) == []
    assert kept() == {candidate.pk: computed(candidate)}
    assert kept()[candidate.pk][0] == DeadlineKind.ADMISSION_DECISION
    assert KEPT_DEADLINES.differences() == []


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_days_off_entered_at_once_both_move_the_deadlines(world, monkeypatch):
    """Each change computes every file; the second waits for the first and sees its day."""
    make_officials(world.branch_a, 3)
    candidate = walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED)
    both_written = threading.Barrier(2)
    wait = kept_deadlines._wait_for_writes_to_files

    def after_both_days_are_written():
        both_written.wait(5)
        wait()

    monkeypatch.setattr(kept_deadlines, "_wait_for_writes_to_files", after_both_days_are_written)

    def day_off(day):
        return lambda: Holiday.objects.create(date=day, name="Nghỉ bù")

    assert together(day_off(DAY_OFF), day_off(D(2024, 7, 3))) == []
    assert Holiday.objects.count() == 2
    assert kept() == {candidate.pk: computed(candidate)}
    assert KEPT_DEADLINES.differences() == []
