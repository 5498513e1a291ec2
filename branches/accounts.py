"""Passwords of user accounts, set by their owners or by an officer over them."""

from axes.utils import reset as reset_lockout
from django.db import transaction

from branches.models import PasswordChange
from branches.queries import role_of


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
