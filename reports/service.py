"""The annual report of a subtree (DOMAIN.md §9): every figure, computed from dated rows as
the subtree stood in the period, in a fixed number of queries whatever its size.

Per-branch figures come from grouped queries and are rolled up in Python to the whole
subtree and to each child node, so the children's table costs no query per child.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.models import AdmissionTarget
from branches.domain import subtree_as_of
from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS
from branches.models import NodePlacement
from branches.models import OrganizationNode as Node
from branchwork.enums import EvaluationLevel
from branchwork.meeting_queries import THEMATIC, counted, present, rate
from branchwork.models import (
    Attendance,
    BadgeAward,
    Evaluation,
    Inspection,
    Meeting,
    MeetingGuest,
    OrganizationEvaluation,
)
from members.enums import EventKind, Gender, MembershipKind
from members.models import Membership, StatusEvent
from partyorg.rules import inspection_target
from reports.composition import member_composition, organization_counts, residential_figures
from reports.membership import Movement, movement
from reports.numbers import number, share
from reports.period import (
    NodeInfo,
    children_of_root,
    exempted_on,
    months_due,
    months_of_period,
    period_placements,
    quarter,
    subtree_nodes,
)

LEVELS = list(EvaluationLevel.values)
GOOD_ATTENDANCE = 90  # a branch "at 90% or more" (the articles' yardstick)


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

    def add(self, other: "Figures") -> None:
        for name in (
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
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.evaluations.update(other.evaluations)

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
    def meetings_percent(self) -> float | None:
        return share(self.regular_held, self.expected_regular)

    @property
    def classified(self) -> int:
        return sum(self.evaluations[level] for level in LEVELS)

    def evaluation_percent(self, level: str) -> float | None:
        return share(self.evaluations[level], self.classified)

    @property
    def excellent_percent(self) -> float | None:
        return self.evaluation_percent(EvaluationLevel.EXCELLENT)

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


@dataclass
class AnnualReport:
    node: Node
    year: int
    first: datetime.date  # first day of the period
    start: datetime.date  # the day "members at the start" are counted (the day before)
    end: datetime.date  # the as-of date: the last day the figures cover
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

    @property
    def balances(self) -> bool:
        return self.movement.balances

    @property
    def is_whole_year(self) -> bool:
        return self.end == datetime.date(self.year, 12, 31)

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


def _admitted_in(start: datetime.date, end: datetime.date) -> Q:
    """First home memberships that begin with an admission in the period (as movement())."""
    return Q(
        has_earlier=False,
        is_readmission=False,
        member__admission_date__gt=start,
        member__admission_date__lte=end,
    )


def build_report(
    node: Node, first: datetime.date, last: datetime.date, as_of: datetime.date | None = None
) -> AnnualReport:
    """The report of `node`'s subtree for the days `first` to `last`, with the figures
    taken on `as_of` (default: `last`, or today while the period is running)."""
    today = timezone.localdate()
    end = min(as_of or last, last, max(today, first))
    start = first - datetime.timedelta(days=1)
    year = end.year
    windows = period_placements(node, start, end)
    nodes = subtree_nodes(node, start, end, windows)
    root = nodes.get(node.pk)
    if root is None or not root.at_end:
        raise ValidationError(
            _("%(name)s did not exist on %(date)s.")
            % {"name": node.name, "date": end.strftime("%d/%m/%Y")}
        )
    child_of = children_of_root(nodes, root)
    branch_ids = [n.id for n in nodes.values() if n.is_branch]
    per_branch: dict[int, Figures] = defaultdict(Figures)
    # The same node sets as subqueries: a few hundred literal ids in each query cost more
    # to build, send and parse than the subquery costs to run.
    placements = NodePlacement.objects.filter(windows)
    node_set = placements.values("node_id")
    branch_set = placements.filter(node__kind__in=BRANCH_KINDS).values("node_id")
    # A node's last placement of the period is open at the end when any of them is.
    at_end = branch_set.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=end))

    # Members on the as-of date, in branches of the subtree then.
    home = Membership.objects.filter(kind=MembershipKind.HOME)
    on_end = home.filter(branch_id__in=at_end, start_date__lte=end).exclude(end_date__lte=end)
    for row in (
        on_end.order_by()
        .values("branch_id")
        .annotate(
            total=Count("id"),
            official=Count("id", filter=Q(member__official_date__lte=end)),
            women=Count("id", filter=Q(member__gender=Gender.FEMALE)),
            exempted=Count("id", filter=Q(member_id__in=exempted_on(end))),
        )
    ):
        figures = per_branch[row["branch_id"]]
        figures.members, figures.official = row["total"], row["official"]
        figures.women, figures.exempted = row["women"], row["exempted"]

    # Admissions by branch, counted as the movement table counts them.
    same_member = {"member_id": OuterRef("member_id"), "branch_id__in": branch_set}
    for row in (
        home.filter(branch_id__in=branch_set, start_date__gt=start, start_date__lte=end)
        .annotate(
            internal=Exists(home.filter(end_date=OuterRef("start_date"), **same_member)),
            is_readmission=Exists(
                StatusEvent.objects.filter(
                    member_id=OuterRef("member_id"),
                    kind=EventKind.READMITTED,
                    date=OuterRef("start_date"),
                )
            ),
            has_earlier=Exists(
                Membership.objects.filter(
                    kind=MembershipKind.HOME,
                    member_id=OuterRef("member_id"),
                    start_date__lt=OuterRef("start_date"),
                )
            ),
        )
        .filter(_admitted_in(start, end), internal=False)
        .order_by()
        .values("branch_id")
        .annotate(n=Count("id"))
    ):
        per_branch[row["branch_id"]].admitted = row["n"]

    # Meetings: regular meetings held in the months due, thematic ones in the quarters
    # due, attendance of the regular meetings, superior committee visits.
    meetings = Meeting.objects.filter(branch_id__in=branch_set, month__gte=first, month__lte=end)
    held = {
        (row["branch_id"], row["month"]): row
        for row in meetings.order_by()
        .values("branch_id", "month")
        .annotate(
            regular=Count("id", filter=Q(kind="regular")),
            thematic=Count("id", filter=THEMATIC),
        )
    }
    attendance_rows = (
        Attendance.objects.filter(
            meeting__branch_id__in=branch_set,
            meeting__month__gte=first,
            meeting__month__lte=end,
            meeting__kind="regular",
        )
        .order_by()
        .values("meeting__branch_id", "meeting__month")
        .annotate(present=Count("id", filter=present()), counted=Count("id", filter=counted()))
    )
    by_month: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in attendance_rows:
        figures = per_branch[row["meeting__branch_id"]]
        figures.present += row["present"]
        figures.counted += row["counted"]
        month = by_month[row["meeting__month"]]
        month[0] += row["present"]
        month[1] += row["counted"]
    quarters_due: Counter = Counter()
    quarters_held: Counter = Counter()
    thematic_meetings: Counter = Counter()
    thematic_quarters: dict[int, set] = defaultdict(set)
    for (branch_id, month), row in held.items():
        thematic_meetings[quarter(month)] += row["thematic"]
        if row["thematic"]:
            thematic_quarters[branch_id].add(quarter(month))
    period_months = months_of_period(first, end)
    for branch_id in branch_ids:
        figures = per_branch[branch_id]
        due = months_due(nodes[branch_id], period_months)
        figures.expected_regular = len(due)
        figures.regular_held = sum(1 for m in due if held.get((branch_id, m), {}).get("regular"))
        due_quarters = {quarter(m) for m in due if m.month % 3 == 0}
        done = due_quarters & thematic_quarters[branch_id]
        figures.expected_thematic = len(due_quarters)
        figures.thematic_held = len(done)
        quarters_due.update(due_quarters)
        quarters_held.update(done)
    visits = MeetingGuest.objects.filter(
        meeting__branch_id__in=branch_set, meeting__month__gte=first, meeting__month__lte=end
    ).aggregate(visits=Count("id"), meetings=Count("meeting", distinct=True))

    # Member evaluations of the year, in the branch that evaluated them.
    not_classified = 0
    for row in (
        Evaluation.objects.filter(year=year, branch_id__in=branch_set)
        .order_by()
        .values("branch_id", "level")
        .annotate(n=Count("id"))
    ):
        if row["level"]:
            per_branch[row["branch_id"]].evaluations[row["level"]] += row["n"]
        else:
            not_classified += row["n"]

    # Inspections made in the period; the target of each branch standing at the end.
    inspections = dict(
        Inspection.objects.filter(inspecting_node_id__in=node_set, date__gte=first)
        .filter(date__lte=end)
        .order_by()
        .values_list("inspecting_node_id")
        .annotate(n=Count("id"))
    )
    for branch_id in branch_ids:
        figures = per_branch[branch_id]
        figures.inspections = inspections.get(branch_id, 0)
        if nodes[branch_id].at_end and figures.official:
            figures.inspection_target = inspection_target(figures.official, end)
            figures.inspection_branches = 1
            figures.inspection_met = int(figures.inspections >= figures.inspection_target)

    # The subtree on the day before and on the last day, shared by the movement table and
    # the composition (each fetches the root's path once).
    subtree_start, subtree_end = subtree_as_of(node.code, start), subtree_as_of(node.code, end)
    moves = movement(node.code, start, end, subtree_start, subtree_end)
    # Roll the branches up to the children and the whole subtree.
    totals = Figures()
    by_child: dict[int, Figures] = defaultdict(Figures)
    for branch_id in branch_ids:
        totals.add(per_branch[branch_id])
        if branch_id in child_of:
            by_child[child_of[branch_id]].add(per_branch[branch_id])
    # Committees inspect too: every inspection made in a child's subtree is the child's.
    totals.inspections = sum(inspections.values())
    totals.admitted = moves.ins["admitted"]
    for child_id in by_child:
        by_child[child_id].inspections = 0
    for node_id, n in inspections.items():
        if node_id in child_of:
            by_child[child_of[node_id]].inspections += n
    children = sorted(
        (n for n in nodes.values() if child_of.get(n.id) == n.id), key=lambda n: n.path
    )
    targets = dict(
        AdmissionTarget.objects.filter(node_id__in=[root.id, *(c.id for c in children)], year=year)
        .order_by()
        .values_list("node_id", "target")
    )
    totals.target = targets.get(root.id)
    org_levels = dict(
        OrganizationEvaluation.objects.filter(year=year, node_id__in=node_set)
        .exclude(node_id=root.id)
        .values_list("node_id", "level")
    )
    child_rows = []
    for child in children:
        figures = by_child[child.id]
        figures.target = targets.get(child.id)
        child_rows.append(ChildRow(child, figures, org_levels.get(child.id, "")))

    org_evaluations: dict[str, Counter] = {"grassroots": Counter(), "branches": Counter()}
    for node_id, level in org_levels.items():
        kind = nodes[node_id].kind
        # A grassroots branch is both a grassroots organization and a branch.
        if kind in GRASSROOTS_KINDS:
            org_evaluations["grassroots"][level or "not_classified"] += 1
        if kind in BRANCH_KINDS:
            org_evaluations["branches"][level or "not_classified"] += 1

    badges = dict(
        BadgeAward.objects.filter(award_date__gte=first, award_date__lte=end)
        .filter(
            Exists(
                home.filter(
                    member_id=OuterRef("member_id"),
                    branch_id__in=branch_set,
                    start_date__lte=OuterRef("award_date"),
                ).exclude(end_date__lte=OuterRef("award_date"))
            )
        )
        .order_by("years")
        .values_list("years")
        .annotate(n=Count("id"))
    )

    rates = [per_branch[b].attendance for b in branch_ids if per_branch[b].counted]
    return AnnualReport(
        node=node,
        year=year,
        first=first,
        start=start,
        end=end,
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
        organization_evaluations=org_evaluations,
        meetings={
            "branches": sum(1 for b in branch_ids if per_branch[b].expected_regular),
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
            "visits": visits["visits"],
            "visited_meetings": visits["meetings"],
        },
        badges=badges,
        children=child_rows,
    )


def build_annual_report(node: Node, year: int, as_of: datetime.date | None = None) -> AnnualReport:
    """The annual report of `node`'s subtree for `year`, as of `as_of` (default: the end
    of the year, or today during the year)."""
    return build_report(node, datetime.date(year, 1, 1), datetime.date(year, 12, 31), as_of)
