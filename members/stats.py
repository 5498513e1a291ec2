"""Member and branch counts per node, aggregated in the database and rolled up the tree."""

from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from branches.enums import BRANCH_KINDS, NodeKind
from branches.models import OrganizationNode
from members.enums import ACTIVE_STATUSES, MemberStatus
from members.models import Member
from partyorg.rules import RuleKind, rule_in_force

NO_COUNTS = {"members": 0, "official": 0, "branches": 0}


def rolled_up_counts(root: OrganizationNode, nodes) -> dict[int, dict[str, int]]:
    """For each of `nodes` (all inside `root`'s subtree): active members, official members
    and active branches in its subtree. Two queries whatever the size of the tree."""
    per_branch = (
        Member.objects.filter(branch__path__startswith=root.path, status__in=ACTIVE_STATUSES)
        .order_by()
        .values("branch__path")
        .annotate(
            members=Count("id"),
            official=Count("id", filter=Q(status=MemberStatus.OFFICIAL)),
        )
    )
    branch_paths = (
        OrganizationNode.objects.open()
        .filter(path__startswith=root.path, kind__in=BRANCH_KINDS)
        .values_list("path", flat=True)
    )
    wanted = {node.path: node.pk for node in nodes}
    depths = sorted({len(path) for path in wanted})
    members, official, branches = Counter(), Counter(), Counter()

    def owners(path):
        for length in depths:
            if length > len(path):
                break
            owner = wanted.get(path[:length])
            if owner is not None:
                yield owner

    for row in per_branch:
        for owner in owners(row["branch__path"]):
            members[owner] += row["members"]
            official[owner] += row["official"]
    for path in branch_paths:
        for owner in owners(path):
            branches[owner] += 1
    return {
        node.pk: {
            "members": members[node.pk],
            "official": official[node.pk],
            "branches": branches[node.pk],
        }
        for node in nodes
    }


def branches_needing_attention(root: OrganizationNode):
    """Active branches in the subtree that break a size rule of the Charter, one query:
    fewer official members than a branch needs, or a grassroots branch large enough to
    become a grassroots committee."""
    rule = rule_in_force(RuleKind.BRANCH_SIZE, timezone.localdate())
    branches = (
        OrganizationNode.objects.open()
        .filter(path__startswith=root.path, kind__in=BRANCH_KINDS)
        .annotate(
            official=Count("members", filter=Q(members__status=MemberStatus.OFFICIAL)),
            active=Count("members", filter=Q(members__status__in=ACTIVE_STATUSES)),
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
