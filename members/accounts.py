"""Accounts of party members: an officer opens one for a member of the subtree, and the
account's role ends when the member leaves the party."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches import accounts as branch_accounts
from branches.enums import RoleKind
from branches.models import OrganizationNode, UserRole
from members.models import Member, PersonAccount
from partyorg.bulk import update_with_history


@transaction.atomic
def open_account(
    *,
    member: Member,
    username: str,
    password: str,
    node: OrganizationNode,
    role: str,
    started_on: datetime.date,
    by,
):
    """Open an account for `member`, who will work as `role` on `node`.

    Effects: a user account named after the member (documents print the member's name),
    with the password `by` chose (recorded as a PasswordChange, not kept); the
    PersonAccount link; the role from `started_on` (branches.accounts.give_role, whose
    checks apply). Everything is recorded with `by`. A member's own account (role
    MEMBER) is held on the member's branch, whose secretary manages it.
    """
    if role == RoleKind.MEMBER and node.pk != member.branch_id:
        raise ValidationError(
            {
                "node": _("A member's own account is held on the member's branch (%(code)s).")
                % {"code": member.branch.code}
            }
        )
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this user name exists already.")})
    if PersonAccount.objects.filter(member=member).exists():
        raise ValidationError({"member": _("This member has an account already.")})
    account = User.objects.create_user(username=username, first_name=member.full_name)
    branch_accounts.give_role(account, node=node, role=role, started_on=started_on, by=by)
    branch_accounts.set_password(account, password, by=by)
    link = PersonAccount(member=member, account=account)
    link._history_user = by
    link.save()
    return account


def end_member_roles(member: Member, *, on: datetime.date, by) -> None:
    """The member left the party: the role of their account ends at `on`."""
    roles = (
        UserRole.objects.open()
        .filter(user__person__member=member)
        .started_before(on + datetime.timedelta(days=1))
    )
    for role in roles:
        branch_accounts.end_role(role.user, on=on, by=by)


def follow_members(member_ids, *, to_branch: OrganizationNode, by, reason: str = "") -> None:
    """The members now belong to `to_branch` (a transfer or a restructuring): their own
    accounts move with them, so the new branch's secretary manages them and the old one's
    no longer does. Other roles (a secretary's, an officer's) stay where they were given."""
    update_with_history(
        UserRole.objects.filter(
            user__person__member_id__in=member_ids, role=RoleKind.MEMBER, ended_on=None
        ).exclude(node=to_branch),
        by=by,
        reason=reason,
        node=to_branch,
    )
