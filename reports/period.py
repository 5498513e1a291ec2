"""The subtree and its members as they stood in a period: the nodes from their dated
placements, the months and quarters a meeting was due, who was exempted on a day."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from branches.enums import BRANCH_KINDS, NodeKind
from branches.models import NodePlacement
from branches.models import OrganizationNode as Node
from branches.names import kind_on, name_on
from branches.queries import subtree_placements
from partyorg.dated import covers, covers_all


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


def quarter(month: datetime.date) -> tuple[int, int]:
    return month.year, (month.month - 1) // 3 + 1
