"""Member and branch counts per node, aggregated in the database and rolled up the tree."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Left
from django.utils import timezone

from branches.enums import BRANCH_KINDS, NodeKind
from branches.models import NodePlacement, OrganizationNode
from members.enums import ACTIVE_STATUSES, MembershipKind
from members.models import Membership
from members.queries import active_counts, official_on, summed
from partyorg.rules import RuleKind, rule_in_force


def rolled_up_counts(root: OrganizationNode, nodes) -> dict[int, dict[str, int]]:
    """For each of `nodes` (all inside `root`'s subtree): active members, official members
    and active branches in its subtree, from the kept counts. Two queries whatever the size
    of the tree, grouped by the deepest of the nodes' paths: a province's tree of a few
    hundred organizations reads a few hundred rows, not one per branch."""
    wanted = {node.path: node.pk for node in nodes}
    if not wanted:  # the tree today of an organization that has ended
        return {}
    deepest = max(map(len, wanted))
    per_prefix = (
        active_counts(root)
        .order_by()
        .values_list(Left("branch__path", deepest))
        .annotate(active_members=summed(), official_members=summed(Q(official=True)))
    )
    branches = (
        OrganizationNode.objects.open()
        .filter(path__startswith=root.path, kind__in=BRANCH_KINDS)
        .order_by()
        .values_list(Left("path", deepest))
        .annotate(Count("id"))
    )
    return _roll_up(wanted, per_prefix, branches)


def rolled_up_counts_on(
    day: datetime.date, root_path: str, nodes: dict[str, int]
) -> dict[int, dict[str, int]]:
    """rolled_up_counts as the tree stood on `day`: `nodes` maps the paths the nodes had
    then (under `root_path`) to their ids; members are those with a home membership on the
    day, official when they were by then. Two queries whatever the size of the tree."""
    branches = dict(
        NodePlacement.objects.on(day)
        .filter(path__startswith=root_path, node__kind__in=BRANCH_KINDS)
        .values_list("node_id", "path")
    )
    per_branch = (
        Membership.objects.on(day)
        .filter(kind=MembershipKind.HOME, branch_id__in=list(branches))
        .order_by()
        .values_list("branch_id")
        .annotate(
            members=Count("id"),
            official=Count("id", filter=official_on(day, "member__")),
        )
    )
    rows = [(branches[branch], members, official) for branch, members, official in per_branch]
    return _roll_up(nodes, rows, [(path, 1) for path in branches.values()])


def _roll_up(wanted: dict[str, int], per_branch, branches) -> dict[int, dict[str, int]]:
    """Sum the (path, members, official) of `per_branch` and the (path, branches) of
    `branches` into every wanted node (path → id) at or above the path: into the prefixes
    of the deepest wanted length, then each shallower length from the one below."""
    sums: dict[str, list[int]] = {}
    for path, count, official_count in per_branch:
        add = sums.setdefault(path, [0, 0, 0])
        add[0] += count
        add[1] += official_count
    for path, count in branches:
        sums.setdefault(path, [0, 0, 0])[2] += count
    counts = {}
    for length in sorted({len(path) for path in wanted}, reverse=True):
        rolled: dict[str, list[int]] = {}
        for path, (members, official, branch_count) in sums.items():
            add = rolled.get(path[:length])
            if add is None:
                rolled[path[:length]] = [members, official, branch_count]
            else:
                add[0] += members
                add[1] += official
                add[2] += branch_count
        sums = rolled
        for path, pk in wanted.items():
            if len(path) == length:
                members, official, branch_count = sums.get(path, (0, 0, 0))
                counts[pk] = {"members": members, "official": official, "branches": branch_count}
    return counts


def branches_needing_attention(root: OrganizationNode):
    """Active branches in the subtree that break a size rule of the Charter, one query over
    the kept counts: fewer official members than a branch needs, or a grassroots branch
    large enough to become a grassroots committee."""
    rule = rule_in_force(RuleKind.BRANCH_SIZE, timezone.localdate())
    active = Q(member_counts__status__in=ACTIVE_STATUSES)
    branches = (
        OrganizationNode.objects.open()
        .filter(path__startswith=root.path, kind__in=BRANCH_KINDS)
        .annotate(
            official=summed(active & Q(member_counts__official=True), "member_counts__"),
            active=summed(active, "member_counts__"),
        )
        .filter(
            Q(official__lt=rule.branch_min_official)
            | Q(
                kind=NodeKind.GRASSROOTS_BRANCH,
                active__gte=rule.grassroots_committee_min_members,
            )
        )
        .order_by("path")
    )
    return branches
