"""User accounts: their passwords, set by their owners or by an officer over them, and
the roles officers give and end in their subtree."""

import datetime

from axes.utils import reset as reset_lockout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.enums import BRANCH_KINDS, RoleKind
from branches.models import OrganizationNode, PasswordChange, UserRole
from branches.queries import is_officer, organizations_for, role_of


def set_password(account, password: str, *, by) -> PasswordChange:
    """Give `account` a new password, chosen by `by`: the account's owner, or an officer or
    superuser over it (the caller checks which).

    Effects: the password is replaced, which ends the account's other sessions; a
    PasswordChange records who set it, when, and the account's node (no password); the
    account's login lockouts are lifted, so the new password works at once.
    """
    with transaction.atomic():
        account.set_password(password)
        account.save(update_fields=["password"])
        role = role_of(account)
        change = PasswordChange.objects.create(
            account=account, node=role.node if role else None, changed_by=by
        )
    reset_lockout(username=account.get_username())
    return change


def _saved(row: UserRole, by, **fields) -> UserRole:
    for name, value in fields.items():
        setattr(row, name, value)
    row._history_user = by
    row.save()
    return row


@transaction.atomic
def give_role(
    account, *, node: OrganizationNode, role: str, started_on: datetime.date, by
) -> UserRole:
    """Give `account` the role `role` on `node` from `started_on`, replacing the role it
    held (which its history keeps).

    Refused when `by` gives a role to themselves, on a node outside their subtree (above
    their own node, or beside it), a branch secretary's or a member's own role on a node
    that is not a branch, or when `by` is not an officer and gives any role but a
    member's own. Effects: the account's UserRole row, created or rewritten, with `by` in
    its history.
    """
    if account.pk == by.pk:
        raise ValidationError(_("You cannot give a role to yourself."))
    if role != RoleKind.MEMBER and not is_officer(by):
        raise ValidationError({"role": _("A branch secretary opens only members' own accounts.")})
    if not organizations_for(by).filter(pk=node.pk).exists():
        raise ValidationError(
            {"node": _("You can give roles only in your own organization and those below it.")}
        )
    if role == RoleKind.SECRETARY and node.kind not in BRANCH_KINDS:
        raise ValidationError({"role": _("A branch secretary's role is given on a branch.")})
    if role == RoleKind.MEMBER and node.kind not in BRANCH_KINDS:
        raise ValidationError({"role": _("A member's own account is held on their branch.")})
    current = UserRole.objects.select_for_update().filter(user=account).first()
    return _saved(
        current or UserRole(user=account),
        by,
        node=node,
        role=role,
        started_on=started_on,
        ended_on=None,
    )


@transaction.atomic
def end_role(account, *, on: datetime.date, by) -> UserRole:
    """End `account`'s role at `on` (from that day the account sees nothing).

    Effects: ended_on on the account's UserRole, with `by` in its history.
    """
    role = UserRole.objects.select_for_update().filter(user=account).first()
    if role is None or role.ended_on is not None:
        raise ValidationError(_("This user holds no role to end."))
    if on < role.started_on:
        raise ValidationError(
            {
                "on": _("A role cannot end before it started (%(day)s).")
                % {"day": f"{role.started_on:%d/%m/%Y}"}
            }
        )
    return _saved(role, by, ended_on=on)


def end_roles_on_node(node: OrganizationNode, *, on: datetime.date, by) -> int:
    """End every open role on `node` at `on`: the node was restructured away."""
    roles = UserRole.objects.select_for_update().open().filter(node=node)
    for role in roles:
        _saved(role, by, ended_on=max(on, role.started_on))
    return len(roles)
