"""Membership figures over a subtree as it stood on given dates, computed from the dated
Membership and NodePlacement rows so a past year's figures never change.

Every function runs a fixed number of queries whatever the size of the subtree.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from admission.queries import admitted_q, first_admission_q, with_admission_marks
from branches.queries import subtree_as_of
from members.enums import EventKind, MembershipKind
from members.models import Membership, StatusEvent
from partyorg.dated import on_q


def _home():
    return Membership.objects.filter(kind=MembershipKind.HOME)


def memberships_on(node_ids: QuerySet, day: datetime.date) -> QuerySet:
    """Home memberships in the given branches that cover `day` (periods are [start, end))."""
    return _home().on(day).filter(branch_id__in=node_ids)


@dataclass
class Movement:
    """Members at the start + every way in − every way out = members at the end."""

    start: int
    end: int
    ins: dict[str, int] = field(default_factory=dict)
    outs: dict[str, int] = field(default_factory=dict)

    @property
    def computed_end(self) -> int:
        return self.start + sum(self.ins.values()) - sum(self.outs.values())

    @property
    def balances(self) -> bool:
        return self.computed_end == self.end


IN_REASONS = ("admitted", "admitted_earlier", "readmitted", "transferred_in", "restructured_in")
OUT_REASONS = (
    "deceased",
    "removed",
    "expelled",
    "left",
    "transferred_out",
    "restructured_out",
)
_EXIT_EVENTS = {
    "deceased": EventKind.DECEASED,
    "removed": EventKind.REMOVED,
    "expelled": EventKind.EXPELLED,
    "left": EventKind.LEFT,
}


def _count_by_marks(memberships: QuerySet, marks: dict[str, str], unmarked: str) -> dict[str, int]:
    """The memberships on each line of `marks` (line → the boolean annotation that puts a
    membership on it), and on the line `unmarked` those on none. Grouped by the marks, so
    the subquery behind each is worked out once a membership; a count filtered per line
    worked them out again for every line that reads them."""
    counts = dict.fromkeys((*marks, unmarked), 0)
    rows = memberships.order_by().values_list(*marks.values()).annotate(n=Count("id"))
    for *marked, n in rows:
        for line, on_it in zip(marks, marked, strict=True):
            if on_it:
                counts[line] += n
        if not any(marked):
            counts[unmarked] += n
    return counts


def movement(
    root_code: str,
    start: datetime.date,
    end: datetime.date,
    at_start: QuerySet | None = None,
    at_end: QuerySet | None = None,
) -> Movement:
    """The movement table of the subtree of `root_code` between `start` and `end`.

    Flows are membership periods that begin or end after `start` and up to `end` in any
    branch that belonged to the subtree during the period; moves between two such
    branches are internal and not counted. Branches that joined or left the subtree
    through restructuring bring or take their members as "restructured" lines, and so
    do members a merge or split moved across its edge.
    `at_start` and `at_end` are subtree_as_of's node sets when the caller has them.
    """
    at_start = subtree_as_of(root_code, start) if at_start is None else at_start
    at_end = subtree_as_of(root_code, end) if at_end is None else at_end
    # Node sets as subqueries: a province's thousands of ids would otherwise travel in
    # every query.
    in_start, in_end = Q(branch_id__in=at_start), Q(branch_id__in=at_end)
    in_union = Q(branch_id__in=at_start.union(at_end))

    # A move inside: the member's membership in the subtree that ended the day this one
    # began (or began the day it ended), itself within the period, which lets the database
    # read only the subtree's memberships that started or ended in the period.
    came_from_inside = Exists(
        _home()
        .ended(start, end)
        .filter(in_union, member_id=OuterRef("member_id"), end_date=OuterRef("start_date"))
    )
    went_inside = Exists(
        _home()
        .started(start, end)
        .filter(in_union, member_id=OuterRef("member_id"), start_date=OuterRef("end_date"))
    )

    def event_on(kind, date_field):
        return Exists(
            StatusEvent.objects.filter(
                member_id=OuterRef("member_id"), kind=kind, date=OuterRef(date_field)
            )
        )

    def restructured_on(date_field):
        """Moved by restructuring from or to a branch outside the subtree that day."""
        return Exists(
            StatusEvent.objects.filter(
                member_id=OuterRef("member_id"),
                kind=EventKind.RESTRUCTURED,
                date=OuterRef(date_field),
            )
        )

    # Admissions by the decision's date (admission.queries); a ceremony in the period for a
    # decision of before it is its own line, so the table balances; a first membership of
    # someone admitted before the period is a record arriving from outside the system.
    admitted = admitted_q(start, end)
    admitted_earlier = (
        first_admission_q()
        & Q(member__admission_date__gt=start)
        & ~Q(member__admission_decision_date__gt=start)
    )
    arrivals = _count_by_marks(
        with_admission_marks(_home().started(start, end).filter(in_union))
        .annotate(
            is_internal=came_from_inside,
            is_restructuring=restructured_on("start_date"),
            is_admitted=ExpressionWrapper(admitted, output_field=BooleanField()),
            is_admitted_earlier=ExpressionWrapper(admitted_earlier, output_field=BooleanField()),
        )
        .filter(is_internal=False),
        {
            "admitted": "is_admitted",
            "admitted_earlier": "is_admitted_earlier",
            "readmitted": "is_readmission",
            "moved_in": "is_restructuring",
        },
        unmarked="transferred_in",
    )
    departures = _count_by_marks(
        _home()
        .ended(start, end)
        .filter(in_union)
        .annotate(
            is_internal=went_inside,
            is_restructuring=restructured_on("end_date"),
            **{f"by_{reason}": event_on(kind, "end_date") for reason, kind in _EXIT_EVENTS.items()},
        )
        .filter(is_internal=False),
        {**{reason: f"by_{reason}" for reason in _EXIT_EVENTS}, "moved_out": "is_restructuring"},
        unmarked="transferred_out",
    )
    # Members on the first and the last day, and those who came or went with their
    # branch: one query, counted per branch before the node sets are tested (testing them
    # once per membership cost a province 120 ms).
    on_start, on_end = on_q(Membership, start), on_q(Membership, end)
    counts = (
        _home()
        .filter(in_union)
        .filter(on_start | on_end)
        .order_by()
        .values("branch_id")
        .annotate(starting=Count("id", filter=on_start), ending=Count("id", filter=on_end))
        .aggregate(
            start=Sum("starting", filter=in_start, default=0),
            end=Sum("ending", filter=in_end, default=0),
            restructured_in=Sum("starting", filter=in_end & ~in_start, default=0),
            restructured_out=Sum("ending", filter=in_start & ~in_end, default=0),
        )
    )
    # Restructuring moves members two ways: with their branch (the node sets differ) or
    # from branch to branch (a "restructured" event).
    moved_in, moved_out = arrivals.pop("moved_in"), departures.pop("moved_out")
    ins = {**arrivals, "restructured_in": counts["restructured_in"] + moved_in}
    outs = {**departures, "restructured_out": counts["restructured_out"] + moved_out}
    return Movement(
        start=counts["start"],
        end=counts["end"],
        ins={reason: ins[reason] for reason in IN_REASONS},
        outs={reason: outs[reason] for reason in OUT_REASONS},
    )
