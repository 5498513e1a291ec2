import datetime

import pytest

from branches.enums import NodeKind, Sector
from branches.models import ResidentialAreaYear
from members.enums import Ethnicity, Gender, PositionRole, Religion
from members.models import Member, Position
from reports.composition import member_composition, organization_counts, residential_figures
from tests.factories import make_area, make_member, make_node, transfer

pytestmark = pytest.mark.django_db

D = datetime.date
END = D(2025, 12, 31)


def test_member_composition_on_a_date(world):
    make_member(world.branch_a, date_of_birth=D(1995, 12, 31), gender=Gender.FEMALE)  # 30
    make_member(world.branch_a, date_of_birth=D(1994, 12, 31))  # 31 on END
    make_member(
        world.branch_b,
        date_of_birth=D(1964, 6, 1),
        ethnicity=Ethnicity.CO_TU,
        religion=Religion.BUDDHISM,
    )  # 61
    make_member(
        world.branch_b,
        official_date=None,
        admission_decision_date=D(2025, 3, 1),
        admission_date=D(2025, 3, 10),
        date_of_birth=D(2000, 1, 1),
    )
    moved = make_member(world.branch_a, date_of_birth=D(1980, 1, 1))
    transfer(moved, world.other_branch, D(2025, 6, 1), letter="1")

    figures = member_composition("H1", END)
    assert figures["total"] == 4
    assert (figures["official"], figures["probationary"]) == (3, 1)
    assert (figures["women"], figures["minorities"], figures["religious"]) == (1, 1, 1)
    assert figures["age_le30"] == 2  # born 31/12/1995 and 2000
    assert figures["age_31_40"] == 1
    assert figures["age_ge61"] == 1
    assert figures["age_41_50"] == figures["age_51_60"] == 0
    # The transferred member still counts where they were before the transfer.
    assert member_composition("H1", D(2025, 5, 31))["total"] == 5
    assert member_composition("H2", END)["total"] == 1


def test_distributions_count_every_value_largest_first(world):
    """Equal counts keep the order of the choices; a value outside them (an old code
    brought in by an import) is counted too, after them."""
    for religion in (Religion.ISLAM, Religion.CATHOLICISM, Religion.BUDDHISM, Religion.BUDDHISM):
        make_member(world.branch_a, religion=religion)
    outside = make_member(world.branch_b)
    Member.objects.filter(pk=outside.pk).update(religion="dao_mau")
    figures = member_composition("H1", END)
    assert list(figures["religion"].items()) == [
        (Religion.BUDDHISM, 2),
        (Religion.CATHOLICISM, 1),
        (Religion.ISLAM, 1),
        ("dao_mau", 1),
    ]
    assert figures["religious"] == 5


def test_organization_counts_by_kind_and_sector(world):
    make_node(world.district, NodeKind.GRASSROOTS_BRANCH, sector=Sector.SCHOOL)
    agency = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, sector=Sector.AGENCY)
    make_node(agency, NodeKind.BRANCH)
    counts = organization_counts("H1", END)
    assert counts["grassroots"] == 3
    assert counts["grassroots_committees"] == 2
    assert counts["grassroots_branches"] == 1
    assert counts["branches_under_committees"] == 3
    assert counts["by_sector"] == {
        Sector.COMMUNE: {NodeKind.GRASSROOTS_COMMITTEE: 1},
        Sector.AGENCY: {NodeKind.GRASSROOTS_COMMITTEE: 1},
        Sector.SCHOOL: {NodeKind.GRASSROOTS_BRANCH: 1},
    }


def test_residential_figures_and_concurrent_roles(world):
    areas = [make_area(world.branch_a, f"Thôn {i}") for i in range(3)]
    for area in areas:
        ResidentialAreaYear.objects.create(area=area, year=2025, households=100, population=400)
    secretary = make_member(world.branch_a)
    other = make_member(world.branch_b)
    start = D(2025, 1, 1)
    Position.objects.create(
        member=secretary, role=PositionRole.SECRETARY, node=world.branch_a, start_date=start
    )
    Position.objects.create(
        member=secretary,
        role=PositionRole.VILLAGE_HEAD,
        residential_area=areas[0],
        start_date=start,
    )
    Position.objects.create(
        member=other,
        role=PositionRole.VILLAGE_HEAD,
        residential_area=areas[1],
        start_date=start,
        end_date=D(2025, 6, 1),
    )
    figures = residential_figures("H1", END)
    assert figures == {
        "areas": 3,
        "villages": 3,
        "residential_groups": 0,
        "village_branches": 1,
        "households": 300,
        "population": 1200,
        "village_heads_members": 1,
        "front_heads": 0,
        "branches_with_secretary": 1,
        "secretaries_village_heads": 1,
        "secretaries_front_heads": 0,
    }
    assert residential_figures("H1", D(2025, 3, 1))["village_heads_members"] == 2
