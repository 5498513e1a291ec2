"""Who the members of a subtree were on a date, and how its organizations were made up.

Fixed number of queries; every count comes from the database.
"""

import datetime

from django.db.models import Count, Q, Sum

from branches.domain import subtree_as_of
from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS, NodeKind
from branches.models import OrganizationNode, ResidentialArea, ResidentialAreaYear
from members.enums import AGE_BAND_LIMITS, Ethnicity, Gender, PositionRole, Religion
from members.models import Member, Position
from reports.membership import memberships_on


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def members_on(root_code: str, day: datetime.date):
    """Members of the subtree on `day` (home memberships; temporary ones do not count)."""
    ids = memberships_on(subtree_as_of(root_code, day), day).values("member_id")
    return Member.objects.filter(pk__in=ids)


def member_composition(root_code: str, day: datetime.date) -> dict:
    """Counts of the members on `day`: official and probationary, women, ethnic minorities,
    religious, each age band, and the distributions the statistics forms ask for."""
    members = members_on(root_code, day)
    bands = {}
    for band, (lowest, highest) in AGE_BAND_LIMITS.items():
        condition = Q()
        if highest is not None:
            condition &= Q(date_of_birth__gt=_years_before(day, highest + 1))
        if lowest is not None:
            condition &= Q(date_of_birth__lte=_years_before(day, lowest))
        bands[f"age_{band.value}"] = Count("id", filter=condition)
    figures = members.aggregate(
        total=Count("id"),
        official=Count("id", filter=Q(official_date__lte=day)),
        women=Count("id", filter=Q(gender=Gender.FEMALE)),
        minorities=Count("id", filter=~Q(ethnicity=Ethnicity.KINH)),
        religious=Count("id", filter=~Q(religion=Religion.NONE)),
        **bands,
    )
    figures["probationary"] = figures["total"] - figures["official"]
    births = members.order_by().values("date_of_birth__year").annotate(n=Count("id"))
    if figures["total"]:
        # Mid-year birthdays: the average is exact to about half a year per member,
        # and to well under that over any real organization.
        years = sum((day.year - row["date_of_birth__year"] - 0.5) * row["n"] for row in births)
        figures["average_age"] = years / figures["total"]
    else:
        figures["average_age"] = None
    for field in (
        "general_education",
        "qualification",
        "political_theory",
        "occupation",
        "ethnicity",
        "religion",
    ):
        figures[field] = dict(members.values_list(field).annotate(n=Count("id")).order_by("-n"))
    return figures


def organization_counts(root_code: str, day: datetime.date) -> dict:
    """Grassroots organizations by kind and by sector, and branches under grassroots
    committees, in the subtree as it stood on `day` (the root itself excluded)."""
    nodes = OrganizationNode.objects.filter(pk__in=subtree_as_of(root_code, day)).exclude(
        code=root_code
    )
    by_kind = dict(nodes.order_by().values_list("kind").annotate(n=Count("id")))
    by_sector = {}
    for sector, kind, n in (
        nodes.filter(kind__in=GRASSROOTS_KINDS)
        .order_by()
        .values_list("sector", "kind")
        .annotate(n=Count("id"))
    ):
        by_sector.setdefault(sector, {})[kind] = n
    return {
        "grassroots": sum(by_kind.get(k, 0) for k in GRASSROOTS_KINDS),
        "grassroots_committees": by_kind.get(NodeKind.GRASSROOTS_COMMITTEE, 0),
        "grassroots_branches": by_kind.get(NodeKind.GRASSROOTS_BRANCH, 0),
        "partial_committees": by_kind.get(NodeKind.PARTIAL_COMMITTEE, 0),
        "branches_under_committees": by_kind.get(NodeKind.BRANCH, 0),
        "all_branches": sum(by_kind.get(k, 0) for k in BRANCH_KINDS),
        "party_cells": by_kind.get(NodeKind.PARTY_CELL, 0),
        "by_sector": by_sector,
    }


def residential_figures(root_code: str, day: datetime.date) -> dict:
    """Population of the residential areas covered by the subtree's branches in `day`'s
    year, and the concurrent roles: village heads who are members, secretaries who are
    also village heads."""
    branch_ids = subtree_as_of(root_code, day)
    area_years = ResidentialAreaYear.objects.filter(area__branch_id__in=branch_ids, year=day.year)
    population = area_years.aggregate(households=Sum("households"), population=Sum("population"))
    current = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))
    heads = Position.objects.filter(
        current, role=PositionRole.VILLAGE_HEAD, residential_area__branch_id__in=branch_ids
    )
    secretaries = Position.objects.filter(
        current, role=PositionRole.SECRETARY, node_id__in=branch_ids
    )
    return {
        "areas": ResidentialArea.objects.filter(branch_id__in=branch_ids).count(),
        "households": population["households"] or 0,
        "population": population["population"] or 0,
        "village_heads_members": heads.values("residential_area").distinct().count(),
        "secretaries": secretaries.count(),
        "secretaries_village_heads": secretaries.filter(member__in=heads.values("member")).count(),
    }
