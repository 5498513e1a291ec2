"""The removal-rule list of a node for a year."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from branchwork.removal import RemovalCandidates
from branchwork.views.overview import int_param, node_in_scope
from members.queries import members_for
from partyorg.rules import removal_rule

PAGE_SIZE = 50


@login_required
def removal_list(request):
    """Members of the node's subtree with 3 or more months of unpaid dues or of unexcused
    absence in the year."""
    node = node_in_scope(request)
    this_year = timezone.localdate().year
    year = int_param(request, "year", this_year, 2000, this_year)
    members = members_for(request.user).in_subtree(node)
    page = Paginator(RemovalCandidates(members, year), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "node": node,
        "year": year,
        "years": range(this_year, this_year - 4, -1),
        "page": page,
        "query": query.urlencode(),
        "limit": removal_rule(year).months,
    }
    return render(request, "branchwork/removal/removal_list.html", context)
