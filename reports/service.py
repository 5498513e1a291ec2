"""The annual report of a subtree (DOMAIN.md §9): every figure, computed from dated rows as
the subtree stood in the period, in a fixed number of queries whatever its size. The
sections are in reports.sections; this module puts them together.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from branches.models import OrganizationNode as Node
from branches.queries import subtree_as_of
from reports.composition import member_composition, organization_counts, residential_figures
from reports.membership import Movement, movement
from reports.numbers import number, share
from reports.period import report_period
from reports.sections import (
    LEVELS,
    ChildRow,
    Figures,
    GroupRow,
    PerBranch,
    add_admissions,
    add_inspections,
    add_member_evaluations,
    add_members_at_end,
    admission_targets,
    badges_section,
    branch_groups,
    child_rows,
    children_of,
    localities,
    meetings_section,
    organization_evaluations,
    organization_levels,
    roll_up,
)


@dataclass
class AnnualReport:
    node: Node
    year: int
    first: datetime.date  # first day of the period
    start: datetime.date  # the day "members at the start" are counted (the day before)
    end: datetime.date  # the as-of date: the last day the figures cover
    ended_on: datetime.date | None  # the node ended in the period (end is the day before)
    established_on: datetime.date | None  # the node began in the period (= first)
    totals: Figures
    organizations: dict
    composition: dict
    residential: dict
    movement: Movement
    growth_rate: float | None
    member_evaluations: dict  # level -> count, plus "not_classified"
    organization_evaluations: dict  # "branches" / "grassroots" -> {level: count}
    meetings: dict
    badges: dict[int, int]
    children: list[ChildRow]
    branch_groups: list[GroupRow]  # the branches by kind (sections.BRANCH_GROUPS)
    localities: Counter  # commune-level units by kind (sections.LOCALITY_WORDS)

    @property
    def balances(self) -> bool:
        return self.movement.balances

    @property
    def is_whole_year(self) -> bool:
        return (self.first, self.end) == (
            datetime.date(self.year, 1, 1),
            datetime.date(self.year, 12, 31),
        )

    @property
    def badges_total(self) -> int:
        return sum(self.badges.values())

    @property
    def population_share(self) -> float | None:
        return share(self.totals.members, self.residential["population"])

    def imbalance_message(self) -> str:
        """Why the movement table does not balance ("" when it does), naming the figures."""
        m = self.movement
        if m.balances:
            return ""
        return _(
            "The movement table does not balance: %(start)s members at the start + "
            "%(ins)s in − %(outs)s out = %(computed)s, but %(end)s members are counted at "
            "the end (a difference of %(diff)s). The report cannot be printed until the "
            "membership records are corrected."
        ) % {
            "start": number(m.start),
            "ins": number(sum(m.ins.values())),
            "outs": number(sum(m.outs.values())),
            "computed": number(m.computed_end),
            "end": number(m.end),
            "diff": number(m.end - m.computed_end),
        }

    def imbalance_message_vi(self) -> str:
        m = self.movement
        if m.balances:
            return ""
        return (
            f"Bảng biến động đảng viên không cân đối: đầu kỳ {number(m.start)} + tăng "
            f"{number(sum(m.ins.values()))} − giảm {number(sum(m.outs.values()))} = "
            f"{number(m.computed_end)}, nhưng cuối kỳ có {number(m.end)} đảng viên (chênh "
            f"{number(m.end - m.computed_end)}). Chưa thể in báo cáo khi hồ sơ chưa được sửa."
        )


def build_report(
    node: Node, first: datetime.date, last: datetime.date, as_of: datetime.date | None = None
) -> AnnualReport:
    """The report of `node`'s subtree for the days `first` to `last`, with the figures
    taken on `as_of` (default: `last`, or today while the period is running)."""
    period = report_period(node, first, last, as_of)
    node, start, end = period.node, period.start, period.end
    per_branch: PerBranch = defaultdict(Figures)
    add_members_at_end(period, per_branch)
    add_admissions(period, per_branch)
    meetings = meetings_section(period, per_branch)
    not_classified = add_member_evaluations(period, per_branch)
    inspections = add_inspections(period, per_branch)
    # The subtree on the day before and on the last day, shared by the movement table and
    # the composition (each fetches the root's path once).
    subtree_start, subtree_end = subtree_as_of(node.code, start), subtree_as_of(node.code, end)
    # A node that ended in the period: its movement runs to the day it ended, so the
    # members its successors received leave it on the restructuring line.
    ended_on = node.dissolved_on if node.dissolved_on and node.dissolved_on <= last else None
    moves = (
        movement(node.code, start, ended_on, subtree_start)
        if ended_on
        else movement(node.code, start, end, subtree_start, subtree_end)
    )
    totals, by_child = roll_up(period, per_branch, inspections)
    children = children_of(period)
    targets = admission_targets(period, children)
    totals.target = targets.get(period.root.id)
    levels = organization_levels(period)
    return AnnualReport(
        node=node,
        year=period.year,
        first=period.first,
        established_on=period.first if period.first > first else None,
        start=start,
        end=end,
        ended_on=ended_on,
        totals=totals,
        organizations=organization_counts(node.code, end, subtree_end),
        composition=member_composition(node.code, end, subtree_end),
        residential=residential_figures(node.code, end, subtree_end),
        movement=moves,
        growth_rate=share(totals.admitted, moves.start),
        member_evaluations={
            **{level: totals.evaluations[level] for level in LEVELS},
            "not_classified": not_classified,
        },
        organization_evaluations=organization_evaluations(period, levels),
        meetings=meetings,
        badges=badges_section(period),
        children=child_rows(children, by_child, targets, levels),
        branch_groups=branch_groups(period, per_branch, levels),
        localities=localities(period),
    )


def build_annual_report(node: Node, year: int, as_of: datetime.date | None = None) -> AnnualReport:
    """The annual report of `node`'s subtree for `year`, as of `as_of` (default: the end
    of the year, or today during the year)."""
    return build_report(node, datetime.date(year, 1, 1), datetime.date(year, 12, 31), as_of)
