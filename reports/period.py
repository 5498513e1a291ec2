"""The period of a report and its subtree as it stood then: the nodes from their dated
placements (with the names and kinds of the period), the months and quarters a meeting
was due."""

import copy
import datetime
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.enums import BRANCH_KINDS, NodeKind
from branches.models import NodePlacement
from branches.models import OrganizationNode as Node
from branches.names import kind_on, name_on
from branches.queries import subtree_placements
from partyorg.dated import covers, covers_all

ONE_DAY = datetime.timedelta(days=1)


@dataclass
class NodeInfo:
    """A node of the subtree during the period (from its last placement in the period)."""

    id: int
    code: str
    name: str
    kind: str
    sector: str
    path: str
    established_on: datetime.date
    dissolved_on: datetime.date | None
    at_end: bool

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    def get_kind_display(self) -> str:
        return NodeKind(self.kind).label


def subtree_nodes(
    root: Node, first: datetime.date, end: datetime.date, windows: Q | None = None
) -> dict[int, NodeInfo]:
    """Every node that stood in the subtree of `root` on some day from `first` to `end`,
    with its last placement of the period and its name and kind on `end`: two queries
    (one with `windows`, the result of branches.queries.subtree_placements)."""
    windows = windows or subtree_placements(root.placements.all(), first, end)
    if windows is None:
        return {}
    rows = (
        NodePlacement.objects.filter(windows)
        .annotate(name_then=name_on(end, "node"), kind_then=kind_on(end, "node"))
        .order_by("valid_from")
        .values_list(
            "node_id",
            "path",
            "valid_from",
            "valid_to",
            "node__code",
            "name_then",
            "kind_then",
            "node__sector",
            "node__established_on",
            "node__dissolved_on",
        )
    )
    nodes = {}
    for node_id, path, valid_from, valid_to, code, name, kind, sector, *lifetime in rows:
        nodes[node_id] = NodeInfo(
            node_id,
            code,
            name,
            kind,
            sector,
            path,
            *lifetime,
            at_end=covers(valid_from, valid_to, end),
        )
    return nodes


@dataclass
class Period:
    """The subtree of a report and the days it covers, as every section reads them."""

    node: Node
    first: datetime.date  # first day of the period
    start: datetime.date  # the day before: members "at the start" are counted on it
    end: datetime.date  # the as-of date
    nodes: dict[int, NodeInfo]  # every node that stood in the subtree during the period
    root: NodeInfo
    windows: Q  # the placements of those nodes in the period

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def holds_its_whole_year(self) -> bool:
        """Whether every meeting of its year falls in the period, so that the rows kept per
        branch and year hold the period's meetings: it starts on 1 January and ends in the
        last month of the year, or in the month of today or later (minutes are never dated
        in the future: branchwork.meetings.date_error)."""
        last_month = min(timezone.localdate().replace(day=1), datetime.date(self.year, 12, 1))
        return self.first == datetime.date(self.year, 1, 1) and self.end >= last_month

    @cached_property
    def child_of(self) -> dict[int, int]:
        return children_of_root(self.nodes, self.root)

    @cached_property
    def branch_ids(self) -> list[int]:
        return [n.id for n in self.nodes.values() if n.is_branch]

    # The node sets as subqueries: a few hundred literal ids in each query cost more to
    # build, send and parse than the subquery costs to run.
    @property
    def node_set(self) -> QuerySet:
        return NodePlacement.objects.filter(self.windows).values("node_id")

    @property
    def branch_set(self) -> QuerySet:
        return self.node_set.filter(node__kind__in=BRANCH_KINDS)

    @property
    def branches_at_end(self) -> QuerySet:
        # A node's last placement of the period is open at the end when any of them is.
        return self.branch_set.on(self.end)


def node_last_day(node: Node, first: datetime.date, last: datetime.date) -> datetime.date:
    """The last day of the period `node` existed (the day before it ended, when it ended
    in the period); ValidationError when it did not exist on any day of the period."""
    period = {"name": node.name, "first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}
    if node.established_on > last:
        raise ValidationError(
            _("%(name)s was established on %(date)s, after the period %(first)s–%(last)s.")
            % {**period, "date": f"{node.established_on:%d/%m/%Y}"}
        )
    ended = node.dissolved_on
    if ended is None:
        return last
    if ended <= first:
        raise ValidationError(
            _("%(name)s existed until %(date)s, before the period %(first)s–%(last)s.")
            % {**period, "date": f"{ended - ONE_DAY:%d/%m/%Y}"}
        )
    return min(last, ended - ONE_DAY)


def report_period(
    node: Node, first: datetime.date, last: datetime.date, as_of: datetime.date | None = None
) -> Period:
    """The period `first` to `last` with the figures taken on `as_of` (default: `last`, or
    today while the period is running), and the subtree of `node` in it: two queries.
    ValidationError when `node` did not stand on the as-of date."""
    today = timezone.localdate()
    end = min(as_of or last, last, max(today, first), node_last_day(node, first, last))
    # A node established in the period is reported from its first day, as one that ended
    # is to its last: what its branches did before belongs to the reports of their
    # predecessors, and its members arrive on the restructuring line.
    first = max(first, node.established_on)
    start = first - ONE_DAY
    windows = subtree_placements(node.placements.all(), start, end)
    nodes = subtree_nodes(node, start, end, windows)
    root = nodes.get(node.pk)
    if root is None or not root.at_end:
        raise ValidationError(
            _("%(name)s did not exist on %(date)s.")
            % {"name": node.name, "date": end.strftime("%d/%m/%Y")}
        )
    # The node as named on the last day (a copy: never saved).
    node = copy.copy(node)
    node.name, node.kind = root.name, root.kind
    return Period(node, first, start, end, nodes, root, windows)


def children_of_root(nodes: dict[int, NodeInfo], root: NodeInfo) -> dict[int, int]:
    """Node id → the id of the child of the root it sat under (itself for a child)."""
    width = len(root.path) + Node.steplen
    by_path = {n.path: n.id for n in nodes.values() if len(n.path) == width}
    return {
        n.id: by_path[n.path[:width]]
        for n in nodes.values()
        if len(n.path) >= width and n.path[:width] in by_path
    }


def months_of_period(first: datetime.date, end: datetime.date) -> list[tuple]:
    """(first day, last day) of each month of the period that is over by `end`."""
    months, month = [], first.replace(day=1)
    while True:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        if last > end:
            return months
        if month >= first:
            months.append((month, last))
        month = following


def months_due(branch: NodeInfo, months: list[tuple]) -> list[datetime.date]:
    """The months (from months_of_period) the branch existed for in full: a regular meeting
    was due in each."""
    return [
        month
        for month, last in months
        if covers_all(branch.established_on, branch.dissolved_on, month, last)
    ]
