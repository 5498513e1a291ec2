"""The tree page: today's tree lists only the organizations that exist; ?on=dd/mm/yyyy
shows the tree, names, kinds and members of a past day."""

import datetime

import pytest
from django.urls import reverse

from branches import domain as tree
from branches.enums import NodeKind, RoleKind, Sector
from branches.models import OrganizationNode
from branches.restructuring import dissolve_node, rename_node
from members.restructuring import merge_nodes
from office.organizations import views
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
REFORM = D(2025, 7, 1)
URL = reverse("organizations:tree")


@pytest.fixture
def reformed(world):
    """world after the reform: X1 merged into the new commune XM under the province, its
    first branch renamed, the district dissolved; two members joined in 2024."""
    for _ in range(2):
        make_member(world.branch_a, joined_branch_on=D(2024, 1, 1))
    xm = tree.create_node(
        parent=world.province,
        code="XM",
        name="Đảng ủy xã Mới",
        kind=NodeKind.COMMUNE_COMMITTEE,
        sector=Sector.COMMUNE,
        established_on=REFORM,
    )
    merge_nodes([world.commune], into=xm, on=REFORM)
    rename_node(world.branch_a, on=REFORM, name="Chi bộ thôn 6")
    dissolve_node(world.district, on=REFORM)
    world.province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh")
    return world


def _rows(response):
    return [(n.code, n.name, n.kind) for n in response.context["nodes"]]


def test_today_shows_only_existing_organizations(reformed, as_user):
    rows = _rows(as_user(reformed.province_officer).get(URL))
    codes = [code for code, _name, _kind in rows]
    assert "H1" not in codes and "X1" not in codes
    assert ("X1-B1", "Chi bộ thôn 6", NodeKind.BRANCH) in rows
    assert codes.index("XM") < codes.index("X1-B1")


def test_a_past_day_shows_that_days_tree_names_kinds_and_members(
    reformed, as_user, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(views, "TREE_DEPTH_SHOWN", 4)
    client = as_user(reformed.province_officer)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"on": "31/12/2024"})
    assert response.status_code == 200
    rows = _rows(response)
    assert [code for code, _name, _kind in rows] == [
        "TU",
        "H1",
        "X1",
        "X1-B1",
        "X1-B2",
        "H2",
        "H2-CB",
    ]
    assert ("X1-B1", "Chi bộ thôn 1", NodeKind.BRANCH) in rows
    nodes = {n.code: n for n in response.context["nodes"]}
    assert [nodes[c].indent for c in ("TU", "H1", "X1", "X1-B1")] == [0, 1, 2, 3]
    assert nodes["H1"].counts == {"members": 2, "official": 2, "branches": 2}
    page = response.content.decode()
    assert "31/12/2024" in page and "Đảng bộ huyện" in page

    after = _rows(client.get(URL, {"on": "01/07/2025"}))
    assert [code for code, _n, _k in after] == ["TU", "H2", "H2-CB", "XM", "X1-B1", "X1-B2"]


def test_a_node_that_did_not_exist_then_and_bad_days(reformed, as_user):
    officer = make_user(OrganizationNode.objects.get(code="XM"), RoleKind.OFFICER, username="xa")
    client = as_user(officer)
    response = client.get(URL, {"on": "31/12/2024"})
    assert response.context["absent"] and "did not exist" in response.content.decode()
    future = client.get(URL, {"on": "01/01/2100"})
    assert future.context["form"].errors["on"] and future.context["day"] is None
    assert "XM" in [n.code for n in future.context["nodes"]]
    assert client.get(URL, {"on": "31/02/2024"}).context["form"].errors["on"]


def test_a_dissolved_districts_officer_reads_an_empty_tree_today_and_its_past(reformed, as_user):
    """The district's former officer reads its history after the reform (the demo's
    huyen.canbo): today it has no organization left (a server error once the counts were
    grouped by the shown paths)."""
    client = as_user(make_user(reformed.district, RoleKind.VIEWER, username="huyen"))
    today = client.get(URL)
    assert today.status_code == 200 and today.context["nodes"] == []
    page = today.content.decode()
    assert "ended on 01/07/2025: no organization of it stands today" in page
    assert "?on=30/06/2025" in page
    before = client.get(URL, {"on": "31/12/2024"})
    assert {n.code: n.counts["members"] for n in before.context["nodes"]}["H1"] == 2
