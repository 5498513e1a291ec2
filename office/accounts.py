"""Account pages for officers: open an account for a member of the subtree, give a user
of the subtree a role or end it. Passwords are set on the pages of office/passwords.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from admission.views.common import add_domain_errors
from branches import accounts as branch_accounts
from branches.enums import RoleKind
from branches.models import UserRole
from branches.queries import (
    accounts_for,
    is_officer,
    manages_accounts,
    organizations_for,
    require_account_manager,
)
from members import accounts as member_accounts
from members.enums import ACTIVE_STATUSES
from members.queries import members_for
from office.account_forms import AccountForm, EndRoleForm, RoleForm


def _nodes(user):
    return organizations_for(user).open()


@sensitive_post_parameters("password1", "password2")
@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    """A new account for a party member of the subtree, with its role and password. A
    branch secretary opens members' own accounts only, for the members of the branch."""
    if not manages_accounts(request.user):
        raise PermissionDenied
    officer = is_officer(request.user)
    members = members_for(request.user).filter(status__in=ACTIVE_STATUSES, account__isnull=True)
    form = AccountForm(
        request.POST or None,
        members=members,
        nodes=_nodes(request.user),
        roles=RoleKind.choices if officer else [(RoleKind.MEMBER, RoleKind.MEMBER.label)],
        initial={"member_number": request.GET.get("member", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = member_accounts.open_account(
                member=data["member"],
                username=data["username"],
                password=data["password1"],
                node=data["node"],
                role=data["role"],
                started_on=data["started_on"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("The account %(username)s was opened for %(name)s.")
                % {"username": account.username, "name": account.first_name},
            )
            return redirect("account_list" if officer else data["member"])
    return render(request, "registration/account_form.html", {"form": form, "officer": officer})


@login_required
@require_http_methods(["GET", "POST"])
def account_role(request, pk):
    """Give a user of the subtree a new role, or end the one they hold."""
    accounts = accounts_for(request.user).select_related("party_role__node", "person__member")
    account = get_object_or_404(accounts, pk=pk)
    # Roles are given by officers only: a secretary could otherwise make a member an officer.
    if not is_officer(request.user):
        raise PermissionDenied
    require_account_manager(request.user, account)
    role = UserRole.objects.filter(user=account).select_related("node").first()
    ending = request.method == "POST" and "end" in request.POST
    data = request.POST if request.method == "POST" else None
    role_form = RoleForm(None if ending else data, nodes=_nodes(request.user))
    end_form = EndRoleForm(data if ending else None)
    form, change = (
        (end_form, lambda d: branch_accounts.end_role(account, by=request.user, **d))
        if ending
        else (role_form, lambda d: branch_accounts.give_role(account, by=request.user, **d))
    )
    if data is not None and form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The role was recorded."))
            return redirect("account_list")
    context = {
        "account": account,
        "role": role,
        "role_form": role_form,
        "end_form": end_form,
        "history": UserRole.history.filter(user_id=account.pk)
        .select_related("history_user", "node")
        .order_by("-history_date")[:20],
    }
    return render(request, "registration/account_role.html", context)
