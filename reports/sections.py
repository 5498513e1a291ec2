"""The sections of the annual report, each from the subtree as it stood in the period
(Period) in a fixed number of queries whatever its size.

Per-branch figures come from grouped queries and are rolled up in Python to the whole
subtree and to each child node, so the children's table costs no query per child.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from admission.models import AdmissionTarget
from admission.queries import admissions
from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS, SECTOR_KINDS, AreaKind, Sector
from branches.models import AreaCoverage
from branches.models import OrganizationNode as Node
from branchwork.enums import EvaluationLevel, MeetingKind
from branchwork.meeting_queries import THEMATIC, held_by_branch, held_in_year, rate
from branchwork.models import (
    BadgeAward,
    Evaluation,
    Inspection,
    Meeting,
    MeetingGuest,
    OrganizationEvaluation,
)
from branchwork.months import quarter
from members.enums import Gender, MembershipKind, Occupation
from members.exemptions import exempted_on
from members.models import Membership
from members.queries import official_on
from partyorg.rules import inspection_target
from reports.numbers import share
from reports.period import (
    NodeInfo,
    Period,
    months_due,
    months_of_period,
)

LEVELS = list(EvaluationLevel.values)
# A choices enum's `values` builds its list on every access; the province's 8,000
# branch rows each read it.
OCCUPATIONS = list(Occupation.values)
GOOD_ATTENDANCE = 90  # a branch "at 90% or more" (the articles' yardstick)


# The figures of Figures that add up as plain numbers (the target does not).
SUMMED = (
    "members",
    "official",
    "women",
    "exempted",
    "admitted",
    "expected_regular",
    "regular_held",
    "expected_thematic",
    "thematic_held",
    "present",
    "counted",
    "inspections",
    "inspection_target",
    "inspection_branches",
    "inspection_met",
)


@dataclass
class Figures:
    """Figures that add up over branches: one per branch, per child node and in total."""

    members: int = 0
    official: int = 0
    women: int = 0
    exempted: int = 0
    admitted: int = 0
    target: int | None = None
    expected_regular: int = 0
    regular_held: int = 0
    expected_thematic: int = 0
    thematic_held: int = 0
    present: int = 0
    counted: int = 0
    inspections: int = 0
    inspection_target: int = 0
    inspection_branches: int = 0
    inspection_met: int = 0
    evaluations: Counter = field(default_factory=Counter)
    occupations: Counter = field(default_factory=Counter)

    def add(self, other: "Figures") -> None:
        # Through the instances' dicts: a province's report adds some 25,000 of them.
        mine, theirs = self.__dict__, other.__dict__
        for name in SUMMED:
            mine[name] += theirs[name]
        if other.evaluations:
            self.evaluations.update(other.evaluations)
        if other.occupations:
            self.occupations.update(other.occupations)

    @property
    def probationary(self) -> int:
        return self.members - self.official

    @property
    def attendance(self) -> float | None:
        return rate(self.present, self.counted)

    @property
    def target_percent(self) -> float | None:
        return share(self.admitted, self.target) if self.target else None

    @property
    def classified(self) -> int:
        return sum(self.evaluations[level] for level in LEVELS)

    @property
    def full_attendance(self) -> bool:
        """Every member counted was present at every regular meeting recorded."""
        return bool(self.counted) and self.present == self.counted

    @property
    def good_or_better(self) -> int:
        return self.evaluations[EvaluationLevel.EXCELLENT] + self.evaluations[EvaluationLevel.GOOD]

    @property
    def good_or_better_percent(self) -> float | None:
        return share(self.good_or_better, self.classified)


@dataclass
class ChildRow:
    node: NodeInfo
    figures: Figures
    evaluation: str = ""  # the child organization's own level for the year


def _home() -> QuerySet:
    return Membership.objects.filter(kind=MembershipKind.HOME)


PerBranch = dict[int, Figures]


def add_members_at_end(period: Period, per_branch: PerBranch) -> None:
    """Members on the as-of date, in branches of the subtree then: one query."""
    end = period.end
    on_end = _home().on(end).filter(branch_id__in=period.branches_at_end)
    for row in (
        on_end.order_by()
        .values("branch_id")
        .annotate(
            total=Count("id"),
            official=Count("id", filter=official_on(end, "member__")),
            women=Count("id", filter=Q(member__gender=Gender.FEMALE)),
            exempted=Count("id", filter=Q(member_id__in=exempted_on(end))),
            **{
                f"occupation:{value}": Count("id", filter=Q(member__occupation=value))
                for value in OCCUPATIONS
            },
        )
    ):
        figures = per_branch[row["branch_id"]]
        figures.members, figures.official = row["total"], row["official"]
        figures.women, figures.exempted = row["women"], row["exempted"]
        figures.occupations = Counter(
            {value: n for value in OCCUPATIONS if (n := row[f"occupation:{value}"])}
        )


def add_admissions(period: Period, per_branch: PerBranch) -> None:
    """Admissions by the branch that admitted the member (admission.queries.admissions, the
    movement table's and the admission board's definition): one query."""
    for row in (
        admissions(period.start, period.end)
        .filter(branch_id__in=period.branch_set)
        .order_by()
        .values("branch_id")
        .annotate(n=Count("id"))
    ):
        per_branch[row["branch_id"]].admitted = row["n"]


def meetings_section(period: Period, per_branch: PerBranch) -> dict:
    """Regular meetings held in the months due, thematic ones in the quarters due,
    attendance of the regular meetings (from each meeting's totals), superior committee
    visits: three queries, grouped in the database by branch (from the rows kept per
    branch and year when the period holds the whole year) and by month. Adds each
    branch's meeting figures to `per_branch`; returns the report's meetings table."""
    first, end, year = period.first, period.end, period.year
    meetings = Meeting.objects.filter(
        branch_id__in=period.branch_set, month__gte=first, month__lte=end
    ).order_by()
    regular = Q(kind=MeetingKind.REGULAR)
    period_months = months_of_period(first, end)
    if period.holds_its_whole_year:
        by_branch = held_in_year(period.branch_set, year)
    else:
        by_branch = held_by_branch(meetings, [month for month, _ in period_months])
    held: dict[int, set] = defaultdict(set)
    thematic_quarters: dict[int, set] = defaultdict(set)
    for branch_id, row in by_branch.items():
        figures = per_branch[branch_id]
        figures.present += row.present
        figures.counted += row.counted
        held[branch_id] = row.regular_months
        thematic_quarters[branch_id] = row.thematic_quarters
    recorded = bool(held)  # before the branches without meetings get their empty sets
    by_month: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    thematic_meetings: Counter = Counter()
    for row in meetings.values("month").annotate(
        present=Sum("present_count", filter=regular, default=0),
        counted=Sum("counted_count", filter=regular, default=0),
        thematic=Count("id", filter=THEMATIC),
    ):
        by_month[row["month"]] = [row["present"], row["counted"]]
        thematic_meetings[quarter(row["month"])] += row["thematic"]
    quarters_due: Counter = Counter()
    quarters_held: Counter = Counter()
    # Most branches share their lifetime (the whole period): their months due once.
    due_in: dict[tuple, list[datetime.date]] = {}
    for branch_id in period.branch_ids:
        figures = per_branch[branch_id]
        node = period.nodes[branch_id]
        lifetime = (node.established_on, node.dissolved_on)
        if lifetime not in due_in:
            due_in[lifetime] = months_due(node, period_months)
        due = due_in[lifetime]
        figures.expected_regular = len(due)
        figures.regular_held = len(held[branch_id].intersection(due))
        due_quarters = {quarter(m) for m in due if m.month % 3 == 0}
        done = due_quarters & thematic_quarters[branch_id]
        figures.expected_thematic = len(due_quarters)
        figures.thematic_held = len(done)
        quarters_due.update(due_quarters)
        quarters_held.update(done)
    visits = MeetingGuest.objects.filter(
        meeting__branch_id__in=period.branch_set, meeting__month__gte=first, meeting__month__lte=end
    ).aggregate(visits=Count("id"), meetings=Count("meeting", distinct=True))
    rates = [per_branch[b].attendance for b in period.branch_ids if per_branch[b].counted]
    return {
        "branches": sum(1 for b in period.branch_ids if per_branch[b].expected_regular),
        "thematic_by_quarter": [
            {
                "quarter": q,
                "due": quarters_due[(year, q)],
                "held": quarters_held[(year, q)],
                "meetings": thematic_meetings[(year, q)],
            }
            for q in range(1, 5)
        ],
        "attendance_by_month": [
            {"month": m, "rate": rate(*by_month[datetime.date(year, m, 1)])}
            for m in range(1, 13)
            if datetime.date(year, m, 1) >= first.replace(day=1)
            and datetime.date(year, m, 1) <= end
        ],
        "branches_rated": len(rates),
        "branches_90": sum(1 for r in rates if r >= GOOD_ATTENDANCE),
        "branches_100": sum(1 for b in period.branch_ids if per_branch[b].full_attendance),
        "recorded": recorded,
        "visits": visits["visits"],
        "visited_meetings": visits["meetings"],
    }


def add_member_evaluations(period: Period, per_branch: PerBranch) -> int:
    """Member evaluations of the year, in the branch that evaluated them: one query.
    Returns the number of members not classified."""
    not_classified = 0
    for row in (
        Evaluation.objects.filter(year=period.year, branch_id__in=period.branch_set)
        .order_by()
        .values("branch_id", "level")
        .annotate(n=Count("id"))
    ):
        if row["level"]:
            per_branch[row["branch_id"]].evaluations[row["level"]] += row["n"]
        else:
            not_classified += row["n"]
    return not_classified


def add_inspections(period: Period, per_branch: PerBranch) -> dict[int, int]:
    """Inspections made in the period and the target of each branch standing at the end
    (by its official members, so after add_members_at_end): one query. Returns the
    inspections by inspecting node, committees included."""
    inspections = dict(
        Inspection.objects.filter(inspecting_node_id__in=period.node_set, date__gte=period.first)
        .filter(date__lte=period.end)
        .order_by()
        .values_list("inspecting_node_id")
        .annotate(n=Count("id"))
    )
    for branch_id in period.branch_ids:
        figures = per_branch[branch_id]
        figures.inspections = inspections.get(branch_id, 0)
        if period.nodes[branch_id].at_end and figures.official:
            figures.inspection_target = inspection_target(figures.official, period.end)
            figures.inspection_branches = 1
            figures.inspection_met = int(figures.inspections >= figures.inspection_target)
    return inspections


def roll_up(
    period: Period, per_branch: PerBranch, inspections: dict[int, int]
) -> tuple[Figures, dict[int, Figures]]:
    """The branches' figures added up to the whole subtree and to each child of the root;
    no query. Committees inspect too: every inspection made in a child's subtree is the
    child's."""
    child_of = period.child_of
    totals = Figures()
    by_child: dict[int, Figures] = defaultdict(Figures)
    # Each branch is added once, to its child or else to the totals, and the children
    # then to the totals: a province's 8,000 branches are not added up twice.
    for branch_id in period.branch_ids:
        if branch_id in child_of:
            by_child[child_of[branch_id]].add(per_branch[branch_id])
        else:
            totals.add(per_branch[branch_id])
    for figures in by_child.values():
        totals.add(figures)
    totals.inspections = sum(inspections.values())
    for child_id in by_child:
        by_child[child_id].inspections = 0
    for node_id, n in inspections.items():
        if node_id in child_of:
            by_child[child_of[node_id]].inspections += n
    return totals, by_child


def children_of(period: Period) -> list[NodeInfo]:
    """The root's children during the period, in tree order; no query."""
    return sorted(
        (n for n in period.nodes.values() if period.child_of.get(n.id) == n.id),
        key=lambda n: n.path,
    )


def admission_targets(period: Period, children: list[NodeInfo]) -> dict[int, int]:
    """The year's admission targets of the root and its children: one query."""
    return dict(
        AdmissionTarget.objects.filter(
            node_id__in=[period.root.id, *(c.id for c in children)], year=period.year
        )
        .order_by()
        .values_list("node_id", "target")
    )


def organization_levels(period: Period) -> dict[int, str]:
    """The year's evaluation level of each organization of the subtree but the root:
    one query."""
    return dict(
        OrganizationEvaluation.objects.filter(year=period.year, node_id__in=period.node_set)
        .exclude(node_id=period.root.id)
        .values_list("node_id", "level")
    )


def child_rows(
    children: list[NodeInfo],
    by_child: dict[int, Figures],
    targets: dict[int, int],
    levels: dict[int, str],
) -> list[ChildRow]:
    """The children's table: each child's figures, target and own evaluation; no query."""
    rows = []
    for child in children:
        figures = by_child[child.id]
        figures.target = targets.get(child.id)
        rows.append(ChildRow(child, figures, levels.get(child.id, "")))
    return rows


def organization_evaluations(period: Period, levels: dict[int, str]) -> dict[str, Counter]:
    """Organizations by evaluation level, grassroots organizations and branches apart;
    no query. A grassroots branch is both."""
    counts: dict[str, Counter] = {"grassroots": Counter(), "branches": Counter()}
    for node_id, level in levels.items():
        kind = period.nodes[node_id].kind
        if kind in GRASSROOTS_KINDS:
            counts["grassroots"][level or "not_classified"] += 1
        if kind in BRANCH_KINDS:
            counts["branches"][level or "not_classified"] += 1
    return counts


def badges_section(period: Period) -> dict[int, int]:
    """Badges awarded in the period to members of the subtree's branches on the award day,
    by years of party age: one query."""
    in_subtree = (
        _home()
        .on(OuterRef("award_date"))
        .filter(member_id=OuterRef("member_id"), branch_id__in=period.branch_set)
    )
    return dict(
        BadgeAward.objects.filter(award_date__gte=period.first, award_date__lte=period.end)
        .filter(Exists(in_subtree))
        .order_by("years")
        .values_list("years")
        .annotate(n=Count("id"))
    )


# Kinds of branch the statistics report apart (DOMAIN.md §2, §9): a branch covering a
# village (thôn) or only residential groups (tổ dân phố); else by the sector of the branch
# or of the nearest organization above it that has one.
VILLAGE, RESIDENTIAL_GROUP, OTHER = "village", "residential_group", "other"
BRANCH_GROUPS = [
    VILLAGE,
    RESIDENTIAL_GROUP,
    Sector.AGENCY.value,
    Sector.SCHOOL.value,
    Sector.ENTERPRISE.value,
    Sector.ARMED_FORCES.value,
    OTHER,
]
VILLAGE_GROUPS = {VILLAGE, RESIDENTIAL_GROUP}


@dataclass
class GroupRow:
    """The branches of one kind: how many stood at the end, their figures added up, their
    own evaluation levels, and how many had attendance recorded and at 100%."""

    key: str
    branches: int = 0
    figures: Figures = field(default_factory=Figures)
    levels: Counter = field(default_factory=Counter)
    attendance_recorded: int = 0
    full_attendance: int = 0

    def add(self, node: NodeInfo, figures: Figures, level: str) -> None:
        self.branches += node.at_end
        self.figures.add(figures)
        if level:
            self.levels[level] += 1
        self.attendance_recorded += bool(figures.counted)
        self.full_attendance += figures.full_attendance

    @property
    def rated(self) -> int:
        return sum(self.levels[level] for level in LEVELS)


def sector_of(by_path: dict[str, NodeInfo], node: NodeInfo) -> str:
    """The node's sector, or that of the nearest node above it (`by_path`: the period's
    nodes by path) that has one."""
    path = node.path
    while path:
        found = by_path.get(path)
        if found and found.sector:
            return found.sector
        path = path[: -Node.steplen]
    return ""


def branch_groups(period: Period, per_branch: PerBranch, levels: dict[int, str]) -> list[GroupRow]:
    """Every branch of the period by kind (BRANCH_GROUPS), after the branch sections and
    organization_levels: one query (the kinds of the areas each branch covered in the
    period)."""
    covers: dict[int, set] = defaultdict(set)
    for branch_id, kind in (
        AreaCoverage.objects.during(period.first, period.end)
        .filter(branch_id__in=period.branch_set)
        .order_by()
        .values_list("branch_id", "area__kind")
        .distinct()
    ):
        covers[branch_id].add(kind)
    rows = {key: GroupRow(key) for key in BRANCH_GROUPS}
    by_path = {n.path: n for n in period.nodes.values()}
    for branch_id in period.branch_ids:
        node = period.nodes[branch_id]
        if AreaKind.VILLAGE in covers[branch_id]:
            key = VILLAGE
        elif covers[branch_id]:
            key = RESIDENTIAL_GROUP
        else:
            key = sector_of(by_path, node)
            key = key if key in rows else OTHER
        rows[key].add(node, per_branch[branch_id], levels.get(branch_id, ""))
    return [row for row in rows.values() if row.branches or row.figures.expected_regular]


# The kind of commune-level unit is part of its organization's name ("Đảng bộ xã Hương
# Phú", "Đảng bộ thị trấn Khe Tre"), and the dated names keep it for past years.
LOCALITY_WORDS = {"thi_tran": "thị trấn", "phuong": "phường", "dac_khu": "đặc khu", "xa": "xã"}


def localities(period: Period) -> Counter:
    """Grassroots and commune-level organizations of the commune sector standing at the end,
    by the kind of unit their name gives (LOCALITY_WORDS; "" when it names none); no query."""
    counts: Counter = Counter()
    for node in period.nodes.values():
        if node.id == period.root.id or not node.at_end or node.kind not in SECTOR_KINDS:
            continue
        if node.sector not in (Sector.COMMUNE, Sector.SPECIAL_ZONE):
            continue
        words = f" {' '.join(node.name.lower().split())} "
        counts[next((k for k, w in LOCALITY_WORDS.items() if f" {w} " in words), "")] += 1
    return counts
