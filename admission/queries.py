"""Scoped candidate querysets and the pipeline figures, each in a fixed number of queries."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from admission.deadlines import Deadline, WorkCalendar, next_deadline
from admission.domain import missing_before_vote
from admission.enums import DOCUMENTS_AFTER, OPEN_STAGES, STAGE_ORDER, Stage, stage_at_least
from admission.models import AdmissionTarget, Candidate, Introducer
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


def attention(candidates: QuerySet[Candidate], today: datetime.date) -> Attention:
    """Open files that are overdue, due soon or missing documents (six queries)."""
    cal = WorkCalendar()
    result = Attention()
    for candidate in with_file(candidates.filter(stage__in=OPEN_STAGES)):
        deadline = next_deadline(candidate, cal)
        if deadline is not None:
            state = deadline.state(today)
            if state == "overdue":
                result.overdue.append((candidate, deadline))
            elif state == "soon":
                result.due_soon.append((candidate, deadline))
        # Before verification a file is still being put together; from then on a gap is late.
        if stage_at_least(candidate.stage, Stage.VERIFIED):
            missing = missing_documents(candidate)
            if missing:
                result.incomplete.append((candidate, missing))
    result.overdue.sort(key=lambda row: row[1].due)
    result.due_soon.sort(key=lambda row: row[1].due)
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
