"""Password pages: users change their own; officers and superusers set a new one for the
users of their subtree, branch secretaries for the members' own accounts of the branch
(a forgotten password, a lockout)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from branches.accounts import set_password
from branches.queries import (
    accounts_for,
    is_officer,
    managed_accounts,
    require_account_manager,
)

ACCOUNTS_PER_PAGE = 50


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def change_own(request):
    """Change one's own password, confirming the current one."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        set_password(request.user, form.cleaned_data["new_password1"], by=request.user)
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


@login_required
@require_GET
def account_list(request):
    """The users an officer manages, each with links to their role and a new password."""
    if not is_officer(request.user):
        raise PermissionDenied
    accounts = managed_accounts(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    accounts = accounts.select_related("party_role__node").order_by(
        "party_role__node__path", "username"
    )
    page = Paginator(accounts, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "registration/account_list.html",
        {"page": page, "q": query, "query": f"q={query}" if query else ""},
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def account_password(request, pk):
    """Set a new password for a user of the subtree, without knowing the old one. An
    officer comes from the list of users and returns to it, a secretary from the member's
    page."""
    accounts = accounts_for(request.user).select_related("party_role__node", "person__member")
    account = get_object_or_404(accounts, pk=pk)
    require_account_manager(request.user, account)
    if is_officer(request.user):
        back = (reverse("account_list"), _("Users of your organization"))
    else:
        member = account.person.member
        back = (member.get_absolute_url(), member.full_name)
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        set_password(account, form.cleaned_data["new_password1"], by=request.user)
        messages.success(
            request,
            _("A new password was set for %(name)s. Tell it to them in person or by phone.")
            % {"name": account.get_full_name() or account.username},
        )
        return redirect(back[0])
    return render(
        request,
        "registration/account_password.html",
        {"form": form, "account": account, "back": back},
    )
