import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches import domain, queries
from branches.enums import NodeKind, Sector
from branches.models import NodePlacement, OrganizationNode
from members import restructuring
from members.enums import EventKind
from members.models import Membership
from tests.factories import make_member, make_node

pytestmark = pytest.mark.django_db

D = datetime.date


def test_branch_cannot_sit_directly_under_a_district(world):
    with pytest.raises(ValidationError) as error:
        make_node(world.district, NodeKind.BRANCH)
    assert "kind" in error.value.message_dict


def test_only_committees_can_be_roots(db):
    with pytest.raises(ValidationError):
        make_node(None, NodeKind.BRANCH)


def test_grassroots_organization_needs_a_sector(world):
    with pytest.raises(ValidationError) as error:
        domain.create_node(
            parent=world.district,
            code="NOSECTOR",
            name="x",
            kind=NodeKind.GRASSROOTS_BRANCH,
            established_on=D(2020, 1, 1),
        )
    assert "sector" in error.value.message_dict
    assert not OrganizationNode.objects.filter(code="NOSECTOR").exists()


def test_commune_committee_takes_branches_directly_after_2025(world):
    commune = make_node(world.province, NodeKind.COMMUNE_COMMITTEE, sector=Sector.COMMUNE)
    branch = make_node(commune, NodeKind.BRANCH)
    assert OrganizationNode.objects.get_parent(branch) == commune


def test_create_node_opens_a_placement(world):
    placement = NodePlacement.objects.open().get(node=world.branch_a)
    assert placement.parent == world.commune
    assert placement.path == world.branch_a.path


def test_move_keeps_the_old_tree_for_past_dates(world):
    new_commune = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, code="X2")
    domain.move_node(world.commune, new_parent=world.other_district, on=D(2024, 6, 1))
    domain.move_node(world.branch_a, new_parent=new_commune, on=D(2025, 1, 1))

    before = set(queries.subtree_as_of("H1", D(2024, 5, 31)))
    assert {world.commune.pk, world.branch_a.pk, world.branch_b.pk} <= before
    middle = set(queries.subtree_as_of("H2", D(2024, 12, 31)))
    assert {world.commune.pk, world.branch_a.pk, world.branch_b.pk} <= middle
    assert world.commune.pk not in set(queries.subtree_as_of("H1", D(2024, 12, 31)))
    now = set(queries.subtree_as_of("H1", D(2025, 1, 1)))
    assert world.branch_a.pk in now and world.branch_b.pk not in now


def test_node_cannot_move_under_its_own_subtree(world):
    with pytest.raises(ValidationError):
        domain.move_node(world.commune, new_parent=world.branch_a, on=D(2024, 1, 1))


def test_merge_moves_members_and_dissolves_the_node(world):
    member = make_member(world.branch_b)
    restructuring.merge_nodes(
        [world.branch_b], into=world.branch_a, on=D(2025, 3, 1), document_number="9"
    )

    world.branch_b.refresh_from_db()
    member.refresh_from_db()
    assert world.branch_b.dissolved_on == D(2025, 3, 1)
    assert world.branch_b.merged_into == world.branch_a
    assert member.branch == world.branch_a
    assert member.events.filter(kind=EventKind.RESTRUCTURED, date=D(2025, 3, 1)).exists()
    # The member was in branch B until the merge, in branch A from it.
    assert Membership.objects.get(member=member, branch=world.branch_b).end_date == D(2025, 3, 1)
    assert world.branch_b.pk in set(queries.subtree_as_of("X1", D(2025, 2, 28)))
    assert world.branch_b.pk not in set(queries.subtree_as_of("X1", D(2025, 3, 1)))


def test_branch_cannot_merge_into_a_committee(world):
    with pytest.raises(ValidationError):
        restructuring.merge_nodes([world.branch_b], into=world.commune, on=D(2025, 3, 1))
    world.branch_b.refresh_from_db()
    assert world.branch_b.dissolved_on is None


def test_restructuring_cannot_be_dated_in_the_future(world):
    with pytest.raises(ValidationError):
        domain.move_node(
            world.branch_a,
            new_parent=world.commune,
            on=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_tree_counts_roll_up_in_the_database(world):
    from members.stats import rolled_up_counts

    for _ in range(2):
        make_member(world.branch_a)
    make_member(world.branch_b, official_date=None)
    make_member(world.other_branch)
    nodes = [world.province, world.district, world.commune, world.branch_a, world.other_district]
    counts = rolled_up_counts(world.province, nodes)
    assert counts[world.province.pk] == {"members": 4, "official": 3, "branches": 3}
    assert counts[world.district.pk] == {"members": 3, "official": 2, "branches": 2}
    assert counts[world.branch_a.pk] == {"members": 2, "official": 2, "branches": 1}
    assert counts[world.other_district.pk] == {"members": 1, "official": 1, "branches": 1}


def test_an_exempted_official_member_stays_official_in_every_count(world, as_user):
    from branchwork.inspections import inspection_targets
    from members import lifecycle
    from members.stats import branches_needing_attention, rolled_up_counts

    official = [make_member(world.branch_a) for _ in range(3)]
    make_member(world.branch_a, official_date=None)
    lifecycle.exempt(official[0], on=timezone.localdate(), document_number="QĐ-12")
    counts = rolled_up_counts(world.district, [world.district, world.branch_a])
    assert counts[world.branch_a.pk] == {"members": 4, "official": 3, "branches": 1}
    # Three official members, one of them exempted: the branch meets the size rule.
    assert world.branch_a not in branches_needing_attention(world.district)
    targets = inspection_targets(world.district, timezone.localdate().year)
    assert targets.get(pk=world.branch_a.pk).official == 3
    home = as_user(world.officer).get("/")
    figures = home.context["figures"]
    assert (figures["active"], figures["official"], figures["probationary"]) == (4, 3, 1)
    detail = as_user(world.officer).get(f"/organizations/{world.branch_a.code}/")
    assert "3 official" in detail.content.decode()
