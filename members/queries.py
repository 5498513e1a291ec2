"""Scoped member querysets: every member view and import starts here."""

import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from branches.models import OrganizationNode
from branches.queries import scope_root
from members.enums import ACTIVE_STATUSES, MembershipKind, MemberStatus
from members.models import BranchMemberCount, Member, Membership
from partyorg.rules import last_ceremony_with_probation_ended


def members_for(user) -> QuerySet[Member]:
    """Members whose current branch lies in the user's subtree (all of them for superusers)."""
    members = Member.objects.select_related("branch")
    if user.is_superuser:
        return members
    root = scope_root(user)
    if root is None:
        return members.none()
    return members.in_subtree(root)


def counts_in(root: OrganizationNode | None) -> QuerySet[BranchMemberCount]:
    """The kept member counts of `root`'s subtree (everywhere for None), to be added up
    (`summed`) where members would otherwise be counted: a province's 8,000 branches have
    a few rows each, against 150,000 members. Their `official` is official_on(today), the
    official dates being never in the future."""
    counts = BranchMemberCount.objects.all()
    return counts if root is None else counts.filter(branch__path__startswith=root.path)


def active_counts(root: OrganizationNode | None) -> QuerySet[BranchMemberCount]:
    return counts_in(root).filter(status__in=ACTIVE_STATUSES)


def member_counts_for(user) -> QuerySet[BranchMemberCount]:
    """The kept counts of the members members_for(user) holds."""
    if user.is_superuser:
        return counts_in(None)
    root = scope_root(user)
    return BranchMemberCount.objects.none() if root is None else counts_in(root)


def summed(condition: Q | None = None, via: str = "") -> Coalesce:
    """The members of the counts (reached through `via`, "member_counts__") that meet
    `condition`, 0 for none."""
    return Coalesce(Sum(f"{via}members", filter=condition), 0)


def official_on(day: datetime.date, via: str = "") -> Q:
    """Members who were official members on `day`: converted (or admitted as official) by
    then. An exempted member keeps that standing (DOMAIN.md: exempted members stay in the
    membership count), so this is the member's official date, not the status, in every
    figure: today's on the home page and the tree as a report's. `via` reaches Member
    through a relation ("member__")."""
    return Q(**{f"{via}official_date__lte": day})


def conversion_due(members: QuerySet[Member], on: datetime.date) -> QuerySet[Member]:
    """Probationary members whose probation has ended by `on` (partyorg.rules.probation_end)."""
    return members.filter(
        status=MemberStatus.PROBATIONARY,
        admission_date__lte=last_ceremony_with_probation_ended(on),
    )


def with_branch_since(members: QuerySet[Member]) -> QuerySet[Member]:
    """`branch_since` on each member: the first day of their open home membership."""
    since = Membership.objects.open().filter(member=OuterRef("pk"), kind=MembershipKind.HOME)
    return members.annotate(branch_since=Subquery(since.values("start_date")[:1]))
