"""The overview of yearly and monthly record work, and the node and period pickers."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from branches.models import OrganizationNode
from branches.queries import branches_for, organizations_for, start_node
from branchwork.badges import next_award_day
from members.forms import BranchPickForm


def node_in_scope(request, code: str | None = None) -> OrganizationNode:
    """The node named by `code` (or ?node=), inside the user's subtree; else the scope root."""
    code = code or request.GET.get("node")
    if code:
        return get_object_or_404(organizations_for(request.user), code=code)
    root = start_node(request.user)
    if root is None:
        raise Http404
    return root


@login_required
def overview(request):
    """Links to the badge list, the removal-rule list, inspections and, per branch, the
    evaluation and dues sheets. Picking a branch goes straight to its sheet."""
    node = node_in_scope(request)
    today = timezone.localdate()
    branches = branches_for(request.user).filter(path__startswith=node.path).order_by("name")
    picker = BranchPickForm(
        request.GET if "branch" in request.GET else None, branches=branches.only("code", "name")
    )
    sheet = request.GET.get("sheet")
    if sheet in {"evaluations", "dues"} and picker.is_valid():
        branch = picker.cleaned_data["branch"]
        if sheet == "evaluations":
            return redirect("record_work:evaluation_members", branch.code, today.year - 1)
        return redirect("record_work:dues_sheet", branch.code, today.year, today.month)
    context = {
        "node": node,
        "picker": picker,
        "year": today.year,
        "last_year": today.year - 1,
        "month": today.month,
        "award_day": next_award_day(today),
    }
    return render(request, "branchwork/lifecycle/overview.html", context)


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
