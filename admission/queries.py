"""Scoped candidate querysets and the pipeline figures, each in a fixed number of queries."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from admission.deadlines import (
    Deadline,
    FileDates,
    WorkCalendar,
    file_next_deadline,
    next_deadline,
)
from admission.domain import missing_before_vote
from admission.enums import (
    DOCUMENTS_AFTER,
    OPEN_STAGES,
    STAGE_ORDER,
    Stage,
    VoteKind,
    stage_at_least,
)
from admission.models import AdmissionDecision, AdmissionTarget, BranchVote, Candidate, Introducer
from branches.models import OrganizationNode
from branches.queries import scope_root
from members.models import Member


def candidates_for(user) -> QuerySet[Candidate]:
    """Candidate files whose branch lies in the user's subtree (all for superusers)."""
    candidates = Candidate.objects.select_related("branch")
    if user.is_superuser:
        return candidates
    root = scope_root(user)
    if root is None:
        return candidates.none()
    return candidates.in_subtree(root)


def with_file(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """The rows deadlines and the checklist need, prefetched: four queries in all."""
    return candidates.prefetch_related(
        "votes",
        "decisions",
        "documents",
        Prefetch("introducers", queryset=Introducer.objects.filter(released_on__isnull=True)),
    )


def stage_counts(candidates: QuerySet[Candidate]) -> list[tuple[Stage, int]]:
    """(stage, count) for every stage, in pipeline order: one query."""
    counts = dict(candidates.order_by().values_list("stage").annotate(n=Count("id")))
    return [(stage, counts.get(stage, 0)) for stage in STAGE_ORDER]


def missing_documents(candidate: Candidate) -> list[str]:
    """Forms the file should hold by its stage and does not (prefetched rows)."""
    held = {document.code for document in candidate.documents.all()}
    missing = []
    if candidate.stage in OPEN_STAGES and candidate.stage != Stage.IDENTIFIED:
        missing = missing_before_vote(candidate, held)
    for stage, codes in DOCUMENTS_AFTER.items():
        if stage_at_least(candidate.stage, stage):
            missing += [code for code in codes if code not in held]
    return missing


@dataclass
class Attention:
    overdue: list[tuple[Candidate, Deadline]] = field(default_factory=list)
    due_soon: list[tuple[Candidate, Deadline]] = field(default_factory=list)
    incomplete: list[tuple[Candidate, list[str]]] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0


def next_deadlines(candidates: QuerySet[Candidate], cal: WorkCalendar) -> dict[int, Deadline]:
    """The next unmet deadline of each file, by candidate id. Three queries of plain rows
    and no model instances: a province has thousands of open files."""
    votes = {}
    passing = BranchVote.objects.filter(candidate__in=candidates, passed=True).order_by(
        "date", "id"
    )
    for candidate_id, kind, day in passing.values_list("candidate_id", "kind", "date"):
        votes[(candidate_id, kind)] = day  # the latest one wins, as in passed_vote()
    decisions = {}
    admission = AdmissionDecision.objects.filter(
        candidate__in=candidates, kind=VoteKind.ADMISSION
    ).order_by("id")
    for candidate_id, day in admission.values_list("candidate_id", "date"):
        decisions.setdefault(candidate_id, day)
    rows = candidates.order_by().values_list(
        "pk", "stage", "course_date", "decision_extended_on", "ceremony_date",
        "removal_proposed_on",
    )  # fmt: skip
    found = {}
    for pk, stage, course, extended, ceremony, removal in rows:
        file = FileDates(
            stage=stage,
            course_date=course,
            decision_extended_on=extended,
            ceremony_date=ceremony,
            removal_proposed_on=removal,
            admission_vote=votes.get((pk, VoteKind.ADMISSION)),
            decision=decisions.get(pk),
            conversion_vote=votes.get((pk, VoteKind.CONVERSION)),
        )
        deadline = file_next_deadline(file, cal)
        if deadline is not None:
            found[pk] = deadline
    return found


def attention(
    candidates: QuerySet[Candidate], today: datetime.date, *, shown: int | None = None
) -> Attention:
    """Open files that are overdue or due soon, earliest first, and those missing
    documents (six queries). With `shown` (the home page of a province, thousands of open
    files), the deadlines come from plain rows, only the first `shown` overdue and
    due-soon files are loaded (the counts cover all) and documents are not looked at:
    five queries."""
    open_files = candidates.filter(stage__in=OPEN_STAGES)
    cal = WorkCalendar()
    if shown is None:
        by_pk = {candidate.pk: candidate for candidate in with_file(open_files)}
        deadlines = {pk: next_deadline(candidate, cal) for pk, candidate in by_pk.items()}
    else:
        deadlines = next_deadlines(open_files, cal)
    by_state = {"overdue": [], "soon": []}
    for pk, deadline in deadlines.items():
        state = deadline.state(today) if deadline is not None else None
        if state in by_state:
            by_state[state].append((deadline.due, pk, deadline))
    overdue = sorted(by_state["overdue"])[:shown]
    soon = sorted(by_state["soon"])[:shown]
    result = Attention(overdue_count=len(by_state["overdue"]), due_soon_count=len(by_state["soon"]))
    if shown is not None:
        listed = open_files.filter(pk__in=[pk for _, pk, _ in overdue + soon])
        by_pk = {candidate.pk: candidate for candidate in listed}
    result.overdue = [(by_pk[pk], deadline) for _, pk, deadline in overdue]
    result.due_soon = [(by_pk[pk], deadline) for _, pk, deadline in soon]
    if shown is None:
        # Before verification a file is still being put together; from then on a gap is late.
        for candidate in by_pk.values():
            if stage_at_least(candidate.stage, Stage.VERIFIED):
                missing = missing_documents(candidate)
                if missing:
                    result.incomplete.append((candidate, missing))
    return result


@dataclass
class TargetRow:
    node: OrganizationNode
    admitted: int
    target: int | None

    @property
    def percent(self) -> float | None:
        return self.admitted * 100 / self.target if self.target else None


def admitted_against_target(node: OrganizationNode, year: int) -> list[TargetRow]:
    """Admissions decided in `year` (members by their admission decision date, whatever
    their status today) against the target, for `node` and each of its children.
    Three queries."""
    children = list(OrganizationNode.objects.get_children(node))
    admitted_by_branch = (
        Member.objects.filter(
            branch__path__startswith=node.path, admission_decision_date__year=year
        )
        .order_by()
        .values_list("branch__path")
        .annotate(n=Count("id"))
    )
    admitted = Counter()
    steplen = OrganizationNode.steplen
    child_paths = {child.path for child in children}
    for path, count in admitted_by_branch:
        admitted[node.path] += count
        prefix = path[: len(node.path) + steplen]
        if prefix in child_paths:
            admitted[prefix] += count
    targets = dict(
        AdmissionTarget.objects.filter(node__in=[node, *children], year=year).values_list(
            "node_id", "target"
        )
    )
    return [TargetRow(n, admitted[n.path], targets.get(n.pk)) for n in [node, *children]]
