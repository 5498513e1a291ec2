"""Admission deadlines in working days (partyorg.workdays), computed from the dated rows.

A file's page computes its schedule when read. The next deadline of every open file is
also kept (admission.kept_deadlines), written with each change to the file and, for all
of them, with each change to the holiday table, so that the lists of late files read
rows instead of computing thousands of schedules.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from admission.enums import CANDIDATE_STAGES, DeadlineKind, Stage, VoteKind
from admission.rules import course_valid_until, rule_on
from partyorg.rules import probation_end
from partyorg.workdays import WorkingCalendar


def due_soon_days() -> int:
    """Calendar days ahead in which a deadline counts as due soon."""
    return getattr(settings, "PARTYORG", {}).get("ADMISSION_DUE_SOON_DAYS", 14)


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: datetime.date
    done_on: datetime.date | None = None

    @property
    def what(self) -> str:
        return self.kind.label

    def state(self, today: datetime.date) -> str:
        if self.done_on is not None:
            return "late" if self.done_on > self.due else "met"
        if self.due < today:
            return "overdue"
        if (self.due - today).days <= due_soon_days():
            return "soon"
        return "open"


def passed_vote(candidate, kind: str):
    """The latest passing vote of `kind` among the candidate's (prefetched) votes."""
    passed = [v for v in candidate.votes.all() if v.kind == kind and v.passed]
    return max(passed, key=lambda v: (v.date, v.pk)) if passed else None


def decision_of(candidate, kind: str = VoteKind.ADMISSION):
    return next((d for d in candidate.decisions.all() if d.kind == kind), None)


def decision_due(resolution_date: datetime.date, *, extended: bool, cal: WorkingCalendar):
    rule = rule_on(resolution_date)
    extension = rule.decision_extension_working_days if extended else 0
    return cal.add(resolution_date, rule.decision_working_days + extension)


def ceremony_due(received_on: datetime.date, cal: WorkingCalendar) -> datetime.date:
    """Counted from the day the branch received the decision."""
    return cal.add(received_on, rule_on(received_on).ceremony_working_days)


def conversion_vote_due(ceremony_date: datetime.date, cal: WorkingCalendar) -> datetime.date:
    ended = probation_end(ceremony_date)
    return cal.add(ended, rule_on(ended).conversion_vote_working_days)


@dataclass(frozen=True)
class FileDates:
    """The dates a file's deadlines depend on: read from a candidate with its votes and
    decisions prefetched, or built from plain rows when many files are checked at once."""

    stage: str
    course_date: datetime.date | None
    decision_extended_on: datetime.date | None
    ceremony_date: datetime.date | None
    removal_proposed_on: datetime.date | None
    admission_vote: datetime.date | None  # the latest passing admission vote
    decision: datetime.date | None  # the admission decision
    # The day the branch received it; until it is recorded, the ceremony's deadline counts
    # from the decision's date, the earliest it can be.
    decision_received: datetime.date | None
    conversion_vote: datetime.date | None  # the latest passing conversion vote

    @classmethod
    def of(cls, candidate) -> "FileDates":
        vote = passed_vote(candidate, VoteKind.ADMISSION)
        decision = decision_of(candidate)
        conversion = passed_vote(candidate, VoteKind.CONVERSION)
        return cls(
            stage=candidate.stage,
            course_date=candidate.course_date,
            decision_extended_on=candidate.decision_extended_on,
            ceremony_date=candidate.ceremony_date,
            removal_proposed_on=candidate.removal_proposed_on,
            admission_vote=vote.date if vote else None,
            decision=decision.date if decision else None,
            decision_received=decision.received_on if decision else None,
            conversion_vote=conversion.date if conversion else None,
        )


def schedule(candidate, cal: WorkingCalendar) -> list[Deadline]:
    """Every deadline the file has reached so far, met or not, in order."""
    return file_schedule(FileDates.of(candidate), cal)


def file_schedule(file: FileDates, cal: WorkingCalendar) -> list[Deadline]:
    rows = []
    if file.course_date and file.stage in CANDIDATE_STAGES:
        rows.append(
            Deadline(
                DeadlineKind.COURSE_VALID_UNTIL,
                course_valid_until(file.course_date, file.course_date),
            )
        )
    if file.admission_vote:
        due = decision_due(file.admission_vote, extended=bool(file.decision_extended_on), cal=cal)
        rows.append(Deadline(DeadlineKind.ADMISSION_DECISION, due, file.decision))
    if file.decision:
        due = ceremony_due(file.decision_received or file.decision, cal)
        rows.append(Deadline(DeadlineKind.ADMISSION_CEREMONY, due, file.ceremony_date))
    if file.ceremony_date:
        voted_on = file.conversion_vote or file.removal_proposed_on
        due = conversion_vote_due(file.ceremony_date, cal)
        rows.append(Deadline(DeadlineKind.CONVERSION_VOTE, due, voted_on))
    return rows


def next_deadline(candidate, cal: WorkingCalendar) -> Deadline | None:
    """The earliest deadline of an open file that has not been met."""
    return file_next_deadline(FileDates.of(candidate), cal)


def file_next_deadline(file: FileDates, cal: WorkingCalendar) -> Deadline | None:
    if file.stage in {Stage.OFFICIAL, Stage.REMOVAL_PROPOSED, Stage.CONVERSION_VOTED}:
        return None
    pending = [d for d in file_schedule(file, cal) if d.done_on is None]
    return min(pending, key=lambda d: d.due) if pending else None
