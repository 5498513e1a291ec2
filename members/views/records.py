from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches import competence
from branches.competence import Step
from branches.queries import (
    branches_for,
    managed_accounts,
    manages_accounts,
    require_write,
)
from members import domain
from members.enums import ACTIVE_STATUSES
from members.forms import ACTIVE, MemberFilterForm, MemberForm, NewMemberForm
from members.party_age import party_age
from members.queries import member_counts_for, members_for, summed
from partyorg.locking import Stale, show_conflict
from partyorg.pagination import IdsFirstPaginator
from partyorg.posting import saved

PAGE_SIZE = 50
# The steps the member page offers, each shown only to those competent to record it.
MEMBER_PAGE_STEPS = [
    Step.TRANSFER_WITHIN,
    Step.EXEMPTION,
    Step.DEATH,
    Step.DISCIPLINE_EXIT,
    Step.READMISSION,
]


def member_total(user, filters: MemberFilterForm) -> int:
    """How many members the list of `user` with these valid `filters` (no name search)
    shows: the kept member counts added up when the filters allow, else the members
    counted (an age band: 29–36 ms for a province's 140,000)."""
    if filters.countable():
        return filters.filter(member_counts_for(user)).aggregate(total=summed())["total"]
    return filters.filter(members_for(user)).count()


@login_required
def member_list(request):
    filters = MemberFilterForm(
        request.GET or {"status": ACTIVE}, branches=branches_for(request.user).order_by("name")
    )
    members = members_for(request.user)
    valid = filters.is_valid()
    members = filters.filter(members) if valid else members.none()
    query = request.GET.copy()
    query.pop("page", None)
    if valid and not filters.cleaned_data["q"]:
        paginator = IdsFirstPaginator(
            members, PAGE_SIZE, total=lambda: member_total(request.user, filters)
        )
    else:
        # A name search is quick to count whatever the scope.
        paginator = IdsFirstPaginator(members, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "members/member_list.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@login_required
def member_detail(request, number):
    # With its own account, if any: the page offers to open one.
    member = get_object_or_404(
        members_for(request.user).select_related("account"), member_number=number
    )
    events = list(member.events.select_related("from_branch", "to_branch", "recorded_by"))
    memberships = member.memberships.select_related("branch").order_by("-start_date")
    positions = member.positions.select_related("node", "residential_area").order_by("-start_date")
    changes = member.history.select_related("history_user").order_by("-history_date")[:20]
    context = {
        "member": member,
        "events": reversed(events),
        "memberships": memberships,
        "positions": positions,
        "changes": changes,
        "party_age": party_age(member.admission_decision_date, events, timezone.localdate()),
        "steps": competence.recordable(request.user, MEMBER_PAGE_STEPS, member.branch),
        "may_open_account": member.status in ACTIVE_STATUSES
        and not hasattr(member, "account")
        and manages_accounts(request.user),
        "may_set_password": hasattr(member, "account")
        and managed_accounts(request.user).filter(pk=member.account.account_id).exists(),
    }
    return render(request, "members/member_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    require_write(request.user)
    branches = branches_for(request.user).order_by("name")
    initial = {}
    if request.GET.get("branch"):
        initial["branch"] = branches.filter(code=request.GET["branch"]).first()
    form = NewMemberForm(request.POST or None, branches=branches, initial=initial)

    def save(data):
        return domain.register_member(
            form.instance,
            branch=data["branch"],
            joined_branch_on=data["joined_branch_on"],
            admission_document=data["admission_document"],
            by=request.user,
        )

    return saved(request, form, save, _("The member record was saved.")) or render(
        request, "members/member_form.html", {"form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, number):
    member = get_object_or_404(members_for(request.user), member_number=number)
    require_write(request.user)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_member(
                form.instance, version=form.cleaned_data["version"], by=request.user
            )
        except Stale as stale:
            show_conflict(form, stale)
        else:
            messages.success(request, _("The member record was saved."))
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "member": member})
