"""Inspections of a node's subtree and the yearly target of each branch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches.queries import organizations_for, require_write
from branchwork.forms import InspectionForm
from branchwork.inspections import (
    inspection_targets,
    inspections_for,
    record_inspection,
    target_summary,
    with_targets,
)
from members.queries import members_for
from partyorg.years import offered_years, parse_year

PAGE_SIZE = 50


FIRST_INSPECTION_YEAR = 2000


def _year(request) -> int:
    return parse_year(
        request.GET.get("year"),
        first=FIRST_INSPECTION_YEAR,
        last=timezone.localdate().year,
        kept=_(
            "Inspections are shown for the years %(first)d to %(last)d; "
            "“%(value)s” is not one of them."
        ),
    )


@login_required
def inspection_list(request, code):
    """Branches of the subtree against their target for the year, and the inspections made."""
    node = get_object_or_404(organizations_for(request.user), code=code)
    year = _year(request)
    targets = inspection_targets(node, year)
    target_page = Paginator(targets, PAGE_SIZE).get_page(request.GET.get("page"))
    inspections = inspections_for(request.user).filter(
        inspecting_node__path__startswith=node.path, date__year=year
    )
    this_year = timezone.localdate().year
    context = {
        "node": node,
        "year": year,
        "years": offered_years(year, newest=this_year, count=4),
        "page": target_page,
        "branches": with_targets(target_page, year),
        "query": f"year={year}",
        "summary": target_summary(targets, year),
        "inspections": inspections[:PAGE_SIZE],
    }
    return render(request, "branchwork/inspections/inspection_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request, code):
    node = get_object_or_404(organizations_for(request.user), code=code)
    require_write(request.user)
    nodes = organizations_for(request.user).filter(path__startswith=node.path)
    form = InspectionForm(
        request.POST or None,
        nodes=nodes.open(),
        initial={"inspecting_node": node.code, "date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("inspected_member")
        member = None
        if number:
            member = members_for(request.user).filter(member_number=number.strip()).first()
            if member is None:
                form.add_error("inspected_member", _("No member you manage has this number."))
        if not form.errors:
            try:
                record_inspection(inspected_member=member, by=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The inspection was recorded."))
                return redirect("record_work:inspections", node.code)
    return render(
        request, "branchwork/inspections/inspection_form.html", {"form": form, "node": node}
    )
