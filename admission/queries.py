"""Scoped candidate querysets and the pipeline figures, each in a fixed number of queries."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import In

from admission.deadlines import Deadline, FileDates, due_soon_days, file_next_deadline
from admission.domain import missing_before_conversion_vote, missing_before_vote
from admission.enums import (
    BEFORE_CONVERSION_VOTE_DOCUMENTS,
    BEFORE_VOTE_DOCUMENTS,
    DOCUMENTS_AFTER,
    OPEN_STAGES,
    STAGE_ORDER,
    DeadlineKind,
    DocumentCode,
    IntroducerKind,
    Stage,
    VoteKind,
    stage_at_least,
)
from admission.models import (
    AdmissionTarget,
    Candidate,
    DossierDocument,
    Introducer,
)
from branches.models import OrganizationNode
from branches.queries import scope_root
from members.enums import EventKind, MembershipKind
from members.models import Membership, StatusEvent
from partyorg.workdays import WorkingCalendar


def candidates_for(user) -> QuerySet[Candidate]:
    """Candidate files whose branch lies in the user's subtree (all for superusers)."""
    candidates = Candidate.objects.select_related("branch")
    if user.is_superuser:
        return candidates
    root = scope_root(user)
    if root is None:
        return candidates.none()
    return candidates.in_subtree(root)


def with_checklist(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """The rows missing_documents() reads, prefetched: two queries."""
    return candidates.prefetch_related(
        "documents",
        Prefetch("introducers", queryset=Introducer.objects.open()),
    )


def with_file(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """The rows deadlines and the checklist need, prefetched: four queries in all."""
    return with_checklist(candidates).prefetch_related("votes", "decisions")


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


def missing_for_next_step(candidate: Candidate) -> list[str]:
    """missing_documents(), and during probation the conversion dossier the branch needs
    before its conversion vote."""
    missing = missing_documents(candidate)
    if candidate.stage == Stage.PROBATION:
        missing += missing_before_conversion_vote({d.code for d in candidate.documents.all()})
    return missing


def checklist_codes(candidate: Candidate) -> list[str]:
    """The forms a file's checklist lists: the conversion dossier once on probation."""
    on_probation = stage_at_least(candidate.stage, Stage.PROBATION)
    return [
        code
        for code in DocumentCode
        if on_probation or code not in BEFORE_CONVERSION_VOTE_DOCUMENTS
    ]


@dataclass
class LateFiles:
    """Open files whose next deadline has passed or is near, earliest first, as
    (candidate id, deadline) pairs: every such file, none of them loaded."""

    overdue: list[tuple[int, Deadline]] = field(default_factory=list)
    due_soon: list[tuple[int, Deadline]] = field(default_factory=list)


@dataclass
class Attention:
    overdue: list[tuple[Candidate, Deadline]] = field(default_factory=list)
    due_soon: list[tuple[Candidate, Deadline]] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0


def next_deadlines(candidates: QuerySet[Candidate], cal: WorkingCalendar) -> dict[int, Deadline]:
    """The next unmet deadline of each file, by candidate id. One query of plain rows and
    no model instances: a province has thousands of open files."""

    def passing(kind):
        return Q(votes__passed=True, votes__kind=kind)

    rows = candidates.order_by().annotate(
        # As passed_vote() and decision_of(): the latest passing vote, the one decision.
        last_admission_vote=Max("votes__date", filter=passing(VoteKind.ADMISSION)),
        admission_decision=Max("decisions__date", filter=Q(decisions__kind=VoteKind.ADMISSION)),
        decision_received=Max(
            "decisions__received_on", filter=Q(decisions__kind=VoteKind.ADMISSION)
        ),
        last_conversion_vote=Max("votes__date", filter=passing(VoteKind.CONVERSION)),
    ).values_list(  # the dates in FileDates' order
        "pk", "stage", "course_date", "decision_extended_on", "ceremony_date",
        "removal_proposed_on", "last_admission_vote", "admission_decision",
        "decision_received", "last_conversion_vote",
    )  # fmt: skip
    found, by_dates = {}, {}
    for pk, *dates in rows:
        key = tuple(dates)  # files share their dates (a course, a meeting)
        if key not in by_dates:
            by_dates[key] = file_next_deadline(FileDates(*key), cal)
        if by_dates[key] is not None:
            found[pk] = by_dates[key]
    return found


def late_files(candidates: QuerySet[Candidate], today: datetime.date) -> LateFiles:
    """The open files that are overdue or due soon, from their kept next deadlines
    (admission.kept_deadlines): one query of plain rows."""
    horizon = today + datetime.timedelta(days=due_soon_days())
    rows = (
        candidates.filter(kept_deadline__due__lte=horizon)
        .order_by("kept_deadline__due", "pk")
        .values_list("pk", "kept_deadline__kind", "kept_deadline__due")
    )
    late = LateFiles()
    for pk, kind, due in rows:
        deadline = Deadline(DeadlineKind(kind), due)
        listed = late.overdue if deadline.state(today) == "overdue" else late.due_soon
        listed.append((pk, deadline))
    return late


def attention(
    candidates: QuerySet[Candidate], today: datetime.date, *, shown: int | None = None
) -> Attention:
    """Open files that are overdue or due soon, earliest first: the first `shown` of each
    (all for None) loaded, the counts covering all. Three queries."""
    late = late_files(candidates, today)
    overdue, soon = late.overdue[:shown], late.due_soon[:shown]
    by_pk = candidates.in_bulk([pk for pk, _ in overdue + soon])
    return Attention(
        overdue=[(by_pk[pk], deadline) for pk, deadline in overdue],
        due_soon=[(by_pk[pk], deadline) for pk, deadline in soon],
        overdue_count=len(late.overdue),
        due_soon_count=len(late.due_soon),
    )


# Before verification a file is still being put together; from then on a gap is late.
CHECKED_STAGES = [stage for stage in OPEN_STAGES if stage_at_least(stage, Stage.VERIFIED)]


def incomplete_files(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Checked open files missing a document their stage needs, in name order: the rule
    of missing_documents() in SQL, so that a province's thousands of files are counted
    without being loaded. One count of held forms per file (an index-only probe of
    one_document_per_form) and the Youth Union introductions lacking their letter as an
    IN subquery (hashed once): a NOT EXISTS per form cost ten probes per file and a plan
    PostgreSQL compiled with JIT."""
    always = [c for c in BEFORE_VOTE_DOCUMENTS if c != DocumentCode.YOUTH_UNION_INTRODUCTION]
    needed = Q(code__in=always)
    required = Value(len(always))
    for after, codes in DOCUMENTS_AFTER.items():
        reached = [stage for stage in CHECKED_STAGES if stage_at_least(stage, after)]
        needed |= Q(code__in=codes) & In(OuterRef("stage"), reached)
        required += Case(When(stage__in=reached, then=len(codes)), default=0)
    held = DossierDocument.objects.filter(needed, candidate=OuterRef("pk")).order_by()
    held_count = Subquery(held.annotate(n=Func(F("code"), function="COUNT")).values("n"))
    youth_letter_missing = (
        Introducer.objects.open()
        .filter(kind=IntroducerKind.YOUTH_UNION)
        .exclude(candidate__documents__code=DocumentCode.YOUTH_UNION_INTRODUCTION)
    )
    return (
        candidates.filter(stage__in=CHECKED_STAGES)
        .alias(required=required, held=held_count)
        .filter(Q(held__lt=F("required")) | Q(pk__in=youth_letter_missing.values("candidate")))
    )


@dataclass
class TargetRow:
    node: OrganizationNode
    admitted: int
    target: int | None

    @property
    def percent(self) -> float | None:
        return self.admitted * 100 / self.target if self.target else None


# --- admissions counted -----------------------------------------------------------------
# One definition for the board, the report and its movement table: an admission belongs to
# the year of its admission decision, as party statistics count it (DOMAIN.md §3: party age
# runs from the decision), in the branch the member was admitted to.


def with_admission_marks(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Home memberships annotated with what admitted_q() reads: whether the member had an
    earlier home membership, whether this one began with a readmission."""
    return memberships.annotate(
        has_earlier=Exists(
            Membership.objects.filter(
                kind=MembershipKind.HOME, member_id=OuterRef("member_id")
            ).started_before(OuterRef("start_date"))
        ),
        is_readmission=Exists(
            StatusEvent.objects.filter(
                member_id=OuterRef("member_id"),
                kind=EventKind.READMITTED,
                date=OuterRef("start_date"),
            )
        ),
    )


def first_admission_q() -> Q:
    """Over with_admission_marks(): the member's first home membership, not a readmission:
    the one that began with the admission ceremony."""
    return Q(has_earlier=False, is_readmission=False)


def admitted_q(start: datetime.date, end: datetime.date) -> Q:
    """Over with_admission_marks(): the membership an admission decided after `start` and
    up to `end` began."""
    return first_admission_q() & Q(
        member__admission_decision_date__gt=start, member__admission_decision_date__lte=end
    )


def admissions(start: datetime.date, end: datetime.date) -> QuerySet[Membership]:
    """The admissions decided after `start` and up to `end`, as the first home membership
    each began at its ceremony (its branch: where the member was admitted), the ceremony
    held in the period or after it."""
    home = Membership.objects.filter(kind=MembershipKind.HOME)
    return with_admission_marks(home).filter(admitted_q(start, end))


def admitted_against_target(node: OrganizationNode, year: int) -> list[TargetRow]:
    """Admissions of `year` (admissions(): by decision date, in the branch that admitted the
    member, whatever their status or branch today) against the target, for `node` and each
    of its children. Three queries."""
    children = list(OrganizationNode.objects.get_children(node))
    admitted_by_branch = (
        admissions(datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31))
        .filter(branch__path__startswith=node.path)
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
