"""The removal-rule list of a node for a year."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from branchwork.removal import RemovalCandidates
from branchwork.views.overview import node_in_scope
from members.queries import members_for
from partyorg.rules import removal_rule
from partyorg.years import offered_years, parse_year

PAGE_SIZE = 50
FIRST_YEAR = 2000


@login_required
def removal_list(request):
    """Members of the node's subtree with 3 or more months of unpaid dues or of unexcused
    absence in the year."""
    node = node_in_scope(request)
    this_year = timezone.localdate().year
    year = parse_year(
        request.GET.get("year"),
        first=FIRST_YEAR,
        last=this_year,
        kept=_(
            "The removal list is shown for the years %(first)d to %(last)d; "
            "“%(value)s” is not one of them."
        ),
    )
    members = members_for(request.user).in_subtree(node)
    page = Paginator(RemovalCandidates(members, year), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "node": node,
        "year": year,
        "years": offered_years(year, newest=this_year, count=4),
        "page": page,
        "query": query.urlencode(),
        "limit": removal_rule(year).months,
    }
    return render(request, "branchwork/removal/removal_list.html", context)
