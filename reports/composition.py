"""Who the members of a subtree were on a date, and how its organizations were made up.

Fixed number of queries; every member is counted in the database.
"""

import datetime
from collections import Counter

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from branches.enums import (
    BRANCH_KINDS,
    GRASSROOTS_KINDS,
    SECTOR_KINDS,
    AreaKind,
    NodeKind,
    Sector,
)
from branches.models import AreaCoverage, OrganizationNode
from branches.names import kind_on
from branches.queries import subtree_as_of
from members.enums import AGE_BAND_LIMITS, Ethnicity, Gender, PositionRole, Religion
from members.models import Member, Position
from members.queries import official_on
from partyorg.dated import add_years, on_q
from reports.membership import memberships_on

DISTRIBUTIONS = (
    "general_education",
    "qualification",
    "political_theory",
    "occupation",
    "ethnicity",
    "religion",
)


def member_composition(root_code: str, day: datetime.date, subtree: QuerySet | None = None) -> dict:
    """Counts of the members on `day`: official and probationary, women, ethnic minorities,
    religious, each age band, and the distributions the statistics forms ask for.

    One query: the members grouped by every field the figures count, some 12,000 groups
    for a province's 140,000 members, added up here. A conditional count per choice of
    each field took a sixth longer."""
    # Over the home memberships on `day` (one per member) joined to their members: the
    # database hashes the member table once instead of looking up each member by id.
    subtree = subtree_as_of(root_code, day) if subtree is None else subtree
    bands = []
    for band, (lowest, highest) in AGE_BAND_LIMITS.items():
        condition = Q()
        if highest is not None:
            condition &= Q(member__date_of_birth__gt=add_years(day, -(highest + 1)))
        if lowest is not None:
            condition &= Q(member__date_of_birth__lte=add_years(day, -lowest))
        bands.append(When(condition, then=Value(band.value)))
    groups = (
        memberships_on(subtree, day)
        .order_by()
        .values(
            *(f"member__{name}" for name in DISTRIBUTIONS),
            "member__gender",
            official_then=ExpressionWrapper(official_on(day, "member__"), BooleanField()),
            age_band=Case(*bands, output_field=CharField()),
        )
        .annotate(n=Count("id"), birth_years=Sum(ExtractYear("member__date_of_birth")))
    )
    counted = Counter()
    found = {name: Counter() for name in DISTRIBUTIONS}
    birth_years = 0
    for group in groups:
        n = group["n"]
        counted["total"] += n
        counted["official"] += n if group["official_then"] else 0
        counted["women"] += n if group["member__gender"] == Gender.FEMALE else 0
        counted["minorities"] += n if group["member__ethnicity"] != Ethnicity.KINH else 0
        counted["religious"] += n if group["member__religion"] != Religion.NONE else 0
        if group["age_band"] is not None:
            counted[f"age_{group['age_band']}"] += n
        birth_years += group["birth_years"]
        for name in DISTRIBUTIONS:
            found[name][group[f"member__{name}"]] += n
    total = counted["total"]
    figures = {
        name: counted[name] for name in ("total", "official", "women", "minorities", "religious")
    }
    figures |= {f"age_{band.value}": counted[f"age_{band.value}"] for band in AGE_BAND_LIMITS}
    figures["probationary"] = total - figures["official"]
    # Mid-year birthdays: the average is exact to about half a year per member, and to
    # well under that over any real organization.
    figures["average_age"] = day.year - 0.5 - birth_years / total if total else None
    for name in DISTRIBUTIONS:
        # Largest first; equal counts in the order of the choices, a value outside them last.
        choices = _choices(name)
        values = [*choices, *sorted(set(found[name]) - set(choices))]
        counts = [(value, found[name][value]) for value in values if found[name][value]]
        figures[name] = dict(sorted(counts, key=lambda item: -item[1]))
    return figures


def _choices(name: str) -> list[str]:
    field = Member._meta.get_field(name)
    return [value for value, _ in field.choices] + ([""] if field.blank else [])


def organization_counts(
    root_code: str, day: datetime.date, subtree: QuerySet | None = None
) -> dict:
    """Commune-level committees (special zones among them), grassroots organizations by
    kind and by sector, and branches under grassroots committees, in the subtree as it
    stood on `day` (the root itself excluded)."""
    by_kind, by_sector = Counter(), {}
    for kind, sector, n in (
        OrganizationNode.objects.filter(
            pk__in=subtree_as_of(root_code, day) if subtree is None else subtree
        )
        .exclude(code=root_code)
        .annotate(kind_then=kind_on(day))
        .order_by()
        .values_list("kind_then", "sector")
        .annotate(n=Count("id"))
    ):
        by_kind[kind] += n
        if kind in SECTOR_KINDS:
            by_sector.setdefault(sector, {})[kind] = n
    return {
        "district_committees": by_kind.get(NodeKind.DISTRICT_COMMITTEE, 0),
        "commune_committees": by_kind.get(NodeKind.COMMUNE_COMMITTEE, 0),
        "special_zones": by_sector.get(Sector.SPECIAL_ZONE, {}).get(NodeKind.COMMUNE_COMMITTEE, 0),
        "grassroots": sum(by_kind.get(k, 0) for k in GRASSROOTS_KINDS),
        "grassroots_committees": by_kind.get(NodeKind.GRASSROOTS_COMMITTEE, 0),
        "grassroots_branches": by_kind.get(NodeKind.GRASSROOTS_BRANCH, 0),
        "partial_committees": by_kind.get(NodeKind.PARTIAL_COMMITTEE, 0),
        "branches_under_committees": by_kind.get(NodeKind.BRANCH, 0),
        "all_branches": sum(by_kind.get(k, 0) for k in BRANCH_KINDS),
        "party_cells": by_kind.get(NodeKind.PARTY_CELL, 0),
        "by_sector": by_sector,
    }


def residential_figures(
    root_code: str, day: datetime.date, subtree: QuerySet | None = None
) -> dict:
    """The residential areas (thôn, tổ dân phố) covered by the subtree's branches, their
    households and population in `day`'s year (None when that year's were never entered),
    and the concurrent roles on `day`: areas whose head is a member; village and residential
    branches whose secretary heads an area the branch covers, or its front work committee.
    Two queries."""
    node_ids = subtree_as_of(root_code, day) if subtree is None else subtree
    # The areas as their branches covered them on `day`, not as today's branches do.
    coverage = AreaCoverage.objects.on(day).filter(branch_id__in=node_ids)
    covered = coverage.values("area_id")
    in_year = Q(area__years__year=day.year)
    areas = coverage.aggregate(
        areas=Count("area", distinct=True),
        villages=Count("area", distinct=True, filter=Q(area__kind=AreaKind.VILLAGE)),
        residential_groups=Count(
            "area", distinct=True, filter=Q(area__kind=AreaKind.RESIDENTIAL_GROUP)
        ),
        village_branches=Count("branch", distinct=True),
        area_years=Count("area__years", filter=in_year),
        households=Sum("area__years__households", filter=in_year),
        population=Sum("area__years__population", filter=in_year),
    )
    if not areas.pop("area_years"):
        areas["households"] = areas["population"] = None
    current = on_q(Position, day)
    heads = Q(role=PositionRole.VILLAGE_HEAD, residential_area__in=covered)
    secretaries = Q(role=PositionRole.SECRETARY, node_id__in=coverage.values("branch_id"))
    fronts = Q(role=PositionRole.FRONT_COMMITTEE_HEAD) & (
        Q(residential_area__in=covered) | Q(node_id__in=node_ids)
    )

    def also(role: str, where: Q) -> Q:
        """The secretary holds `role` on `day` at `where` (OuterRef: the secretary's row)."""
        return Q(
            Exists(Position.objects.filter(current, where, role=role, member=OuterRef("member")))
        )

    in_branch_area = Q(residential_area__coverages__branch_id=OuterRef("node_id")) & on_q(
        AreaCoverage, day, via="residential_area__coverages"
    )
    roles = Position.objects.filter(current, heads | secretaries | fronts).aggregate(
        village_heads_members=Count("residential_area", distinct=True, filter=heads),
        front_heads=Count("id", filter=fronts),
        branches_with_secretary=Count("node", distinct=True, filter=secretaries),
        secretaries_village_heads=Count(
            "node",
            distinct=True,
            filter=secretaries & also(PositionRole.VILLAGE_HEAD, in_branch_area),
        ),
        secretaries_front_heads=Count(
            "node",
            distinct=True,
            filter=secretaries
            & also(PositionRole.FRONT_COMMITTEE_HEAD, in_branch_area | Q(node=OuterRef("node"))),
        ),
    )
    return {**areas, **roles}
