"""Membership figures over a subtree as it stood on given dates, computed from the dated
Membership and NodePlacement rows so a past year's figures never change.

Every function runs a fixed number of queries whatever the size of the subtree.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from branches.domain import subtree_as_of
from members.enums import EventKind, MembershipKind
from members.models import Membership, StatusEvent


def _home():
    return Membership.objects.filter(kind=MembershipKind.HOME)


def memberships_on(node_ids: QuerySet, day: datetime.date) -> QuerySet:
    """Home memberships in the given branches that cover `day` (periods are [start, end))."""
    return _home().filter(branch_id__in=node_ids, start_date__lte=day).exclude(end_date__lte=day)


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


IN_REASONS = ("admitted", "readmitted", "transferred_in", "restructured_in")
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


def movement(root_code: str, start: datetime.date, end: datetime.date) -> Movement:
    """The movement table of the subtree of `root_code` between `start` and `end`.

    Flows are membership periods that begin or end after `start` and up to `end` in any
    branch that belonged to the subtree during the period; moves between two such
    branches are internal and not counted. Branches that joined or left the subtree
    through restructuring bring or take their members as "restructured" lines.
    """
    at_start = subtree_as_of(root_code, start)
    at_end = subtree_as_of(root_code, end)
    union = list(set(at_start) | set(at_end))
    before_start = list(set(union) - set(at_start))
    after_end = list(set(union) - set(at_end))

    same_member = {"member_id": OuterRef("member_id"), "branch_id__in": union}
    came_from_inside = Exists(_home().filter(end_date=OuterRef("start_date"), **same_member))
    went_inside = Exists(_home().filter(start_date=OuterRef("end_date"), **same_member))

    def event_on(kind, date_field):
        return Exists(
            StatusEvent.objects.filter(
                member_id=OuterRef("member_id"), kind=kind, date=OuterRef(date_field)
            )
        )

    # A first membership that begins with an admission in the period; a first membership
    # of someone admitted earlier is a record arriving from outside the system.
    admitted = Q(
        has_earlier=False,
        is_readmission=False,
        member__admission_date__gt=start,
        member__admission_date__lte=end,
    )
    arrivals = (
        _home()
        .filter(branch_id__in=union, start_date__gt=start, start_date__lte=end)
        .annotate(
            is_internal=came_from_inside,
            is_readmission=event_on(EventKind.READMITTED, "start_date"),
            has_earlier=Exists(
                _home().filter(
                    member_id=OuterRef("member_id"), start_date__lt=OuterRef("start_date")
                )
            ),
        )
        .filter(is_internal=False)
        .aggregate(
            admitted=Count("id", filter=admitted),
            readmitted=Count("id", filter=Q(is_readmission=True)),
            transferred_in=Count("id", filter=Q(is_readmission=False) & ~admitted),
        )
    )
    departures = (
        _home()
        .filter(branch_id__in=union, end_date__gt=start, end_date__lte=end)
        .annotate(
            is_internal=went_inside,
            **{f"by_{reason}": event_on(kind, "end_date") for reason, kind in _EXIT_EVENTS.items()},
        )
        .filter(is_internal=False)
        .aggregate(
            **{reason: Count("id", filter=Q(**{f"by_{reason}": True})) for reason in _EXIT_EVENTS},
            transferred_out=Count(
                "id", filter=Q(**{f"by_{reason}": False for reason in _EXIT_EVENTS})
            ),
        )
    )
    # Members on the first and the last day, and those who came or went with their
    # branch: one query.
    on_start = Q(start_date__lte=start) & (Q(end_date__isnull=True) | Q(end_date__gt=start))
    on_end = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gt=end))
    counts = (
        _home()
        .filter(branch_id__in=union)
        .filter(on_start | on_end)
        .aggregate(
            start=Count("id", filter=on_start & Q(branch_id__in=at_start)),
            end=Count("id", filter=on_end & Q(branch_id__in=at_end)),
            restructured_in=Count("id", filter=on_start & Q(branch_id__in=before_start)),
            restructured_out=Count("id", filter=on_end & Q(branch_id__in=after_end)),
        )
    )
    ins = {**arrivals, "restructured_in": counts["restructured_in"]}
    outs = {**departures, "restructured_out": counts["restructured_out"]}
    return Movement(
        start=counts["start"],
        end=counts["end"],
        ins={reason: ins[reason] for reason in IN_REASONS},
        outs={reason: outs[reason] for reason in OUT_REASONS},
    )
