"""Restructuring operations at their edges: dated names and kinds, dissolving, merging
and splitting, several on one day, members recorded as restructuring, ended nodes never
revived, and reports across the reform."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admission import restructuring as admission_restructuring
from admission.models import AdmissionTarget
from branches import domain as tree
from branches.enums import NodeKind, Sector
from branches.models import NodeName, NodePlacement, OrganizationNode, ResidentialArea
from branches.queries import subtree_as_of
from branches.restructuring import Follow, dissolve_node, rename_node
from members.enums import EventKind
from members.models import Member, Membership, StatusEvent
from members.restructuring import Assignment, merge_nodes, split_node
from reports.composition import organization_counts
from reports.membership import movement
from reports.service import build_annual_report
from tests.factories import make_area, make_member, make_node
from tests.factories_admission import make_candidate

pytestmark = pytest.mark.django_db

D = datetime.date
REFORM = D(2025, 7, 1)


@pytest.fixture
def reform(world):
    """world plus a second commune X2 with one branch, members in every branch."""
    world.commune2 = make_node(
        world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Hai", code="X2"
    )
    world.branch_c = make_node(world.commune2, NodeKind.BRANCH, "Chi bộ thôn 3", code="X2-B1")
    world.members = {
        branch.code: [make_member(branch) for _ in range(n)]
        for branch, n in ((world.branch_a, 3), (world.branch_b, 2), (world.branch_c, 4))
    }
    return world


def new_commune(world, code="XM", sector=Sector.COMMUNE):
    return tree.create_node(
        parent=world.province,
        code=code,
        name=f"Đảng bộ xã {code}",
        kind=NodeKind.COMMUNE_COMMITTEE,
        sector=sector,
        established_on=REFORM,
    )


def test_a_rename_keeps_the_old_name_for_past_reports(reform):
    rename_node(reform.commune, on=D(2024, 1, 1), name="Đảng bộ xã Mới", by=reform.officer)

    assert build_annual_report(reform.commune, 2023).node.name == "Đảng bộ xã"
    assert build_annual_report(reform.commune, 2024).node.name == "Đảng bộ xã Mới"
    assert build_annual_report(reform.district, 2023).children[0].node.name == "Đảng bộ xã"
    row = NodeName.objects.get(node=reform.commune)
    assert (row.valid_from, row.valid_to, row.name) == (D(2015, 1, 1), D(2024, 1, 1), "Đảng bộ xã")
    assert reform.commune.history.first().history_user == reform.officer


def test_renames_on_one_day_keep_no_empty_period_and_dates_cannot_go_back(reform):
    rename_node(reform.commune, on=D(2024, 1, 1), name="A")
    rename_node(reform.commune, on=D(2024, 1, 1), name="B")
    assert list(NodeName.objects.values_list("name", flat=True)) == ["Đảng bộ xã"]
    with pytest.raises(ValidationError):
        rename_node(reform.commune, on=D(2023, 6, 1), name="C")
    reform.commune.refresh_from_db()
    assert reform.commune.name == "B"


def test_a_grassroots_committee_becomes_commune_level_only_out_of_the_district(reform):
    with pytest.raises(ValidationError) as error:
        rename_node(reform.commune, on=REFORM, kind=NodeKind.COMMUNE_COMMITTEE)
    assert "kind" in error.value.message_dict
    tree.move_node(reform.commune, new_parent=reform.province, on=REFORM)
    rename_node(reform.commune, on=REFORM, kind=NodeKind.COMMUNE_COMMITTEE, name="Đảng ủy xã")

    assert organization_counts("TU", D(2025, 12, 31))["commune_committees"] == 1
    assert organization_counts("TU", D(2024, 12, 31))["commune_committees"] == 0
    assert organization_counts("TU", D(2024, 12, 31))["grassroots_committees"] == 2
    assert build_annual_report(reform.commune, 2024).node.kind == NodeKind.GRASSROOTS_COMMITTEE


def test_a_branch_does_not_become_a_committee(reform):
    with pytest.raises(ValidationError):
        rename_node(reform.branch_a, on=REFORM, kind=NodeKind.PARTIAL_COMMITTEE)


def test_merge_into_a_new_commune_level_committee_keeps_history(reform):
    xm = new_commune(reform)
    merge_nodes([reform.commune, reform.commune2], into=xm, on=REFORM, by=reform.officer)

    for node in (reform.commune, reform.commune2):
        node.refresh_from_db()
        assert (node.dissolved_on, node.merged_into) == (REFORM, xm)
    assert set(subtree_as_of("XM", REFORM)) >= {reform.branch_a.pk, reform.branch_c.pk}
    assert reform.branch_a.pk in set(subtree_as_of("H1", D(2025, 6, 30)))
    moved = movement("XM", D(2024, 12, 31), D(2025, 12, 31))
    assert (moved.start, moved.ins["restructured_in"], moved.end) == (0, 9, 9)
    gone = movement("X1", D(2024, 12, 31), D(2025, 6, 30))
    assert gone.end == 5


def test_members_moved_by_a_branch_merge_are_restructured_not_transferred(reform):
    area = make_area(reform.branch_c)
    xm = new_commune(reform)
    merge_nodes([reform.commune2], into=xm, on=REFORM)
    merge_nodes([reform.branch_c], into=reform.branch_a, on=REFORM, document_number="QĐ-1")

    area.refresh_from_db()
    assert area.branch == reform.branch_a
    member = reform.members["X2-B1"][0]
    assert member.events.get(kind=EventKind.RESTRUCTURED).to_branch == reform.branch_a
    assert not StatusEvent.objects.filter(kind=EventKind.TRANSFERRED).exists()
    year = D(2024, 12, 31), D(2025, 12, 31)
    # The branch stood under XM for no whole day: its members went from X2 to X1.
    xm_moves = movement("XM", *year)
    assert sum(xm_moves.ins.values()) == sum(xm_moves.outs.values()) == xm_moves.end == 0
    x2 = movement("X2", year[0], REFORM)
    assert (x2.outs["restructured_out"], x2.outs["transferred_out"], x2.end) == (4, 0, 0)
    x1 = movement("X1", *year)
    assert (x1.ins["restructured_in"], x1.ins["transferred_in"], x1.end) == (4, 0, 9)
    assert x2.balances and x1.balances


@pytest.mark.parametrize("branch_first", [False, True])
def test_several_operations_on_one_day_in_any_order(reform, branch_first):
    xm = new_commune(reform)

    def merge_branch():
        merge_nodes([reform.branch_b], into=reform.branch_a, on=REFORM)

    if branch_first:
        merge_branch()
    merge_nodes([reform.commune], into=xm, on=REFORM)
    if not branch_first:
        merge_branch()
    dissolve_node(reform.district, on=REFORM)

    assert Member.objects.filter(branch=reform.branch_a).count() == 5
    on_day = set(subtree_as_of("TU", REFORM))
    assert reform.branch_a.pk in on_day
    assert not {reform.branch_b.pk, reform.commune.pk, reform.district.pk} & on_day
    assert movement("TU", D(2024, 12, 31), D(2025, 12, 31)).balances


def test_dissolving_a_district_never_revives_its_ended_nodes(reform):
    xm = new_commune(reform)
    merge_nodes([reform.commune], into=xm, on=REFORM)
    dissolve_node(reform.district, on=REFORM, by=reform.officer)

    reform.district.refresh_from_db()
    reform.commune2.refresh_from_db()
    assert reform.district.dissolved_on == REFORM
    assert OrganizationNode.objects.get_parent(reform.commune2) == reform.province
    assert not NodePlacement.objects.filter(node=reform.commune).open().exists()
    now = set(subtree_as_of("TU", D(2026, 1, 1)))
    assert reform.commune2.pk in now and reform.commune.pk not in now
    assert organization_counts("TU", D(2026, 1, 1))["grassroots_committees"] == 1
    with pytest.raises(ValidationError, match="ended"):
        rename_node(reform.commune, on=D(2026, 1, 1), name="Hồi sinh")
    with pytest.raises(ValidationError, match="ended"):
        merge_nodes([reform.commune], into=reform.commune2, on=D(2026, 1, 1))


def test_a_branch_is_not_dissolved_but_merged(reform):
    with pytest.raises(ValidationError):
        dissolve_node(reform.branch_a, on=REFORM)


def test_split_assigns_every_member_and_area_or_changes_nothing(reform):
    left = make_node(reform.commune, NodeKind.BRANCH, "Chi bộ thôn 1A", established=REFORM)
    right = make_node(reform.commune, NodeKind.BRANCH, "Chi bộ thôn 1B", established=REFORM)
    first, second, third = reform.members["X1-B1"]
    area = make_area(reform.branch_a)
    partial = Assignment(members={first.pk: left, second.pk: right}, areas={area.pk: right})
    with pytest.raises(ValidationError, match="Choose where"):
        split_node(reform.branch_a, plan=partial, on=REFORM)
    assert not Membership.objects.filter(branch__in=[left, right]).exists()

    partial.members[third.pk] = right
    split_node(reform.branch_a, plan=partial, on=REFORM)
    assert Member.objects.filter(branch=right).count() == 2
    assert ResidentialArea.objects.get(pk=area.pk).branch == right
    reform.branch_a.refresh_from_db()
    assert reform.branch_a.dissolved_on == REFORM and reform.branch_a.merged_into is None
    assert movement("X1", D(2024, 12, 31), D(2025, 12, 31)).end == 5


def test_reports_across_the_reform(reform):
    xm = new_commune(reform)
    zone = new_commune(reform, code="DK", sector=Sector.SPECIAL_ZONE)
    merge_nodes([reform.commune], into=xm, on=REFORM)
    merge_nodes([reform.commune2], into=zone, on=REFORM)
    dissolve_node(reform.district, on=REFORM)
    dissolve_node(reform.other_district, on=REFORM)

    district = build_annual_report(reform.district, 2025)
    assert (district.first, district.end, district.ended_on) == (
        D(2025, 1, 1),
        D(2025, 6, 30),
        REFORM,
    )
    assert district.totals.members == district.composition["total"] == 9
    # Its movement runs to the day it ended: everyone left by restructuring.
    assert (district.movement.outs["restructured_out"], district.movement.end) == (9, 0)
    assert district.balances
    with pytest.raises(ValidationError, match="existed until 30/06/2025"):
        build_annual_report(reform.district, 2026)
    with pytest.raises(ValidationError, match="established on 01/07/2025"):
        build_annual_report(xm, 2024)
    counts = build_annual_report(reform.province, 2026).organizations
    assert (counts["commune_committees"], counts["special_zones"]) == (2, 1)
    assert counts["district_committees"] == 0
    province = build_annual_report(reform.province, 2025)
    assert province.movement.balances and province.movement.end == 9
    assert sum(province.movement.ins.values()) == 0
    new = build_annual_report(xm, 2025)
    merged = build_annual_report(reform.commune, 2025)
    assert new.movement.ins["restructured_in"] == merged.movement.outs["restructured_out"] == 5
    assert new.balances and merged.balances and new.totals.members == 5


def test_open_candidates_and_admission_targets_follow_a_merge(reform):
    candidate = make_candidate(reform.branch_c)
    xm = new_commune(reform)
    AdmissionTarget.objects.create(node=reform.commune, year=2025, target=3)
    AdmissionTarget.objects.create(node=reform.commune2, year=2025, target=2)
    AdmissionTarget.objects.create(node=reform.commune2, year=2024, target=7)
    admission_restructuring.merge_nodes(
        [reform.commune, reform.commune2], into=xm, on=REFORM, by=reform.officer
    )
    admission_restructuring.merge_nodes([reform.branch_c], into=reform.branch_a, on=REFORM)

    candidate.refresh_from_db()
    assert candidate.branch == reform.branch_a
    assert dict(AdmissionTarget.objects.filter(node=xm).values_list("year", "target")) == {2025: 5}
    assert AdmissionTarget.objects.get(node=reform.commune2, year=2024).target == 7


def test_what_does_not_follow_a_merge_stays_or_goes_up(reform):
    candidate = make_candidate(reform.branch_c)
    AdmissionTarget.objects.create(node=reform.commune2, year=2025, target=2)
    xm = new_commune(reform)
    keep_back = Follow(branches=False, candidates=False, targets=False)
    with pytest.raises(ValidationError, match="cannot be placed"):
        # A branch cannot sit under the district, where it would go when left out.
        admission_restructuring.merge_nodes([reform.commune2], into=xm, on=REFORM, follow=keep_back)
    assert OrganizationNode.objects.get(pk=reform.commune2.pk).dissolved_on is None

    admission_restructuring.merge_nodes(
        [reform.branch_c],
        into=reform.branch_a,
        on=REFORM,
        follow=Follow(candidates=False, targets=False),
    )
    candidate.refresh_from_db()
    assert candidate.branch == reform.branch_c
    assert Member.objects.filter(branch=reform.branch_a).count() == 7
    admission_restructuring.merge_nodes([reform.commune2], into=xm, on=REFORM, follow=keep_back)
    assert not AdmissionTarget.objects.filter(node=xm).exists()
    assert OrganizationNode.objects.get(pk=reform.commune2.pk).merged_into == xm


def test_a_merge_moves_each_branch_in_a_few_queries(world):
    """treebeard moves the branches one by one (ten queries each); their placements are
    written together."""
    into = make_node(
        world.province, NodeKind.COMMUNE_COMMITTEE, "Đảng ủy xã Mới", Sector.COMMUNE, code="XM"
    )
    counts = []
    for size in (1, 5):
        commune = make_node(
            world.district, NodeKind.GRASSROOTS_COMMITTEE, f"Đảng bộ xã {size}", code=f"C{size}"
        )
        for number in range(size):
            make_node(commune, NodeKind.BRANCH, f"Chi bộ {number}", code=f"C{size}-B{number}")
        with CaptureQueriesContext(connection) as queries:
            merge_nodes([commune], into=into, on=REFORM)
        counts.append(len(queries))
    assert OrganizationNode.objects.get_children(into).count() == 6
    assert NodePlacement.objects.open().filter(parent=into).count() == 6
    per_branch = (counts[1] - counts[0]) / 4
    assert per_branch <= 14, counts
