"""Member and branch counts per node, aggregated in the database and rolled up the tree."""

import datetime
from collections import Counter

from django.db.models import Count, Q
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
    of the tree."""
    per_branch = (
        active_counts(root)
        .order_by()
        .values_list("branch__path")
        .annotate(active_members=summed(), official_members=summed(Q(official=True)))
    )
    branch_paths = (
        OrganizationNode.objects.open()
        .filter(path__startswith=root.path, kind__in=BRANCH_KINDS)
        .values_list("path", flat=True)
    )
    return _roll_up({node.path: node.pk for node in nodes}, per_branch, branch_paths)


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
    return _roll_up(nodes, rows, branches.values())


def _roll_up(wanted: dict[str, int], per_branch, branch_paths) -> dict[int, dict[str, int]]:
    """Sum each branch's (path, members, official) and count `branch_paths` into every
    wanted node (path → id) above or at it."""
    depths = sorted({len(path) for path in wanted})
    members, official, branches = Counter(), Counter(), Counter()

    def owners(path):
        for length in depths:
            if length > len(path):
                break
            owner = wanted.get(path[:length])
            if owner is not None:
                yield owner

    for path, count, official_count in per_branch:
        for owner in owners(path):
            members[owner] += count
            official[owner] += official_count
    for path in branch_paths:
        for owner in owners(path):
            branches[owner] += 1
    return {
        pk: {"members": members[pk], "official": official[pk], "branches": branches[pk]}
        for pk in wanted.values()
    }


def branches_needing_attention(root: OrganizationNode):
    """Active branches in the subtree that break a size rule of the Charter, one query over
    the kept counts:
    fewer official members than a branch needs, or a grassroots branch large enough to
    become a grassroots committee."""
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
