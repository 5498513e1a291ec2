"""Scoped querysets: every view and import starts here."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from branches.enums import BRANCH_KINDS, RoleKind
from branches.models import NodePlacement, OrganizationNode, UserRole
from partyorg.dated import during_q


def role_of(user) -> UserRole | None:
    """The role the user holds today; None without one, or once it has ended."""
    if not user.is_authenticated:
        return None
    try:
        role = user.party_role
    except UserRole.DoesNotExist:
        return None
    return role if role.is_held_on(timezone.localdate()) else None


def scope_root(user) -> OrganizationNode | None:
    """The node whose subtree the user sees; None for superusers (everything), strangers
    and members' own accounts (who see no subtree, only their own record)."""
    role = role_of(user)
    return role.node if role and not role.own_record_only else None


def own_record_only(user) -> bool:
    """Whether the user holds a member's own account today (personal pages only)."""
    role = role_of(user)
    return bool(role and role.own_record_only)


def organizations_for(user) -> QuerySet[OrganizationNode]:
    nodes = OrganizationNode.objects.all()
    if user.is_superuser:
        return nodes
    root = scope_root(user)
    if root is None:
        return nodes.none()
    return nodes.filter(path__startswith=root.path)


def branches_for(user) -> QuerySet[OrganizationNode]:
    """The active branches of the user's subtree: where members and candidates may be put."""
    return organizations_for(user).open().filter(kind__in=BRANCH_KINDS)


def can_write(user) -> bool:
    if user.is_superuser:
        return True
    role = role_of(user)
    return bool(role and role.can_write)


def oversees(user, node: OrganizationNode | None) -> bool:
    """Whether `user` may write in a subtree that holds `node`: who may retry or cancel
    work that someone else left behind there (an officer above, the branch's secretary)."""
    if user.is_superuser:
        return True
    role = role_of(user)
    return bool(
        node is not None and role and role.can_write and node.path.startswith(role.node.path)
    )


def require_write(user) -> None:
    """Read-only roles get 403 on every write; call after the object was found in scope."""
    if not can_write(user):
        raise PermissionDenied


def start_node(user) -> OrganizationNode | None:
    """The node a user's pages open on: their scope root, the tree's first root for
    superusers, None for a user without a role (who sees nothing)."""
    root = scope_root(user)
    if root is None and user.is_superuser:
        root = OrganizationNode.objects.get_first_root_node()
    return root


def accounts_for(user) -> QuerySet:
    """The other users holding a role in the user's subtree (every other user for a
    superuser). Superusers' accounts are left to superusers."""
    accounts = get_user_model().objects.exclude(pk=user.pk)
    if user.is_superuser:
        return accounts
    root = scope_root(user)
    if root is None:
        return accounts.none()
    return accounts.filter(party_role__node__path__startswith=root.path, is_superuser=False)


def is_officer(user) -> bool:
    """Officers and superusers: they manage accounts and export personal data."""
    role = role_of(user)
    return user.is_superuser or (role is not None and role.role == RoleKind.OFFICER)


def require_restructure(user) -> None:
    """Restructuring is an officer's (or a superuser's) work within their subtree: a
    district officer restructures the district, a province officer across districts.
    403 for everyone else; call after the node was found in organizations_for(user)."""
    if not is_officer(user):
        raise PermissionDenied


def manages_accounts(user) -> bool:
    """Officers and superusers manage accounts of any role; a branch secretary the own
    accounts of the members of their branch: opens them and sets their passwords."""
    role = role_of(user)
    return is_officer(user) or (role is not None and role.role == RoleKind.SECRETARY)


def managed_accounts(user) -> QuerySet:
    """The accounts of accounts_for(user) whose password and role the user may set. Never a
    fellow officer of the same node: setting their password would let one officer sign in
    and act as the other. A branch secretary: the members' own accounts of the branch."""
    accounts = accounts_for(user)
    if user.is_superuser:
        return accounts
    role = role_of(user)
    if role is None:
        return accounts.none()
    if role.role == RoleKind.OFFICER:
        return accounts.exclude(party_role__node=role.node, party_role__role=RoleKind.OFFICER)
    if role.role == RoleKind.SECRETARY:
        return accounts.filter(party_role__node=role.node, party_role__role=RoleKind.MEMBER)
    return accounts.none()


def require_account_manager(user, account) -> None:
    """403 unless the user may set this account's password and role; call after the
    account was found in accounts_for(user)."""
    if not managed_accounts(user).filter(pk=account.pk).exists():
        raise PermissionDenied


def subtree_placements(root_rows: QuerySet, first: datetime.date, last: datetime.date) -> Q | None:
    """The placements of the nodes that stood under the root (its placements `root_rows`)
    on some day from `first` to `last`, itself included; None when the root did not stand
    then. One query, for the root's own placements."""
    windows = Q()
    root_rows = root_rows.during(first, last).values_list("path", "valid_from", "valid_to")
    for path, valid_from, valid_to in root_rows:
        # The days both the period and this placement of the root cover.
        since = max(first, valid_from)
        until = last if valid_to is None else min(last, valid_to - datetime.timedelta(days=1))
        windows |= Q(during_q(NodePlacement, since, until), path__startswith=path)
    return windows or None


def subtree_as_of(root_code: str, on: datetime.date) -> QuerySet:
    """Node ids of the subtree of `root_code` as it stood on `on`."""
    windows = subtree_placements(NodePlacement.objects.filter(node__code=root_code), on, on)
    if windows is None:
        return NodePlacement.objects.none().values_list("node_id", flat=True)
    return NodePlacement.objects.filter(windows).values_list("node_id", flat=True)
