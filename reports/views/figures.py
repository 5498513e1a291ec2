"""The members behind a number of the report."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members.queries import members_for
from reports.figures import FIGURES, members_behind
from reports.views.common import check_year, scoped_node, year_bounds

PER_PAGE = 50


@login_required
@require_GET
def figure_members(request, code, year, figure):
    """Who was counted: the members of the node's subtree as the report counted them.
    Members who have since left the subtree are listed too, by name: they were counted
    then."""
    node = scoped_node(request, code)
    check_year(year)
    if figure not in FIGURES:
        raise Http404
    first, last = year_bounds(year)
    members = members_behind(node, figure, first, last)
    page = Paginator(members, PER_PAGE).get_page(request.GET.get("page"))
    # Of those who have left the user's part of the tree since, only the name is shown:
    # where they are now, and their page, are another committee's.
    listed = [member.pk for member in page]
    shown = set(members_for(request.user).filter(pk__in=listed).values_list("pk", flat=True))
    context = {
        "node": node,
        "year": year,
        "figure": figure,
        "label": FIGURES[figure],
        "page": page,
        "members_shown": shown,
    }
    return render(request, "reports/figure_members.html", context)
