import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from branches.models import OrganizationNode
from branches.queries import organizations_for

FIRST_YEAR = 1930


def scoped_node(request, code: str) -> OrganizationNode:
    return get_object_or_404(organizations_for(request.user), code=code)


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first day of `year` and the day its figures are taken (today while it runs)."""
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), timezone.localdate())
