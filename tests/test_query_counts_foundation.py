"""Query counts of the foundation's list and tree views do not grow with the data."""

import pytest
from django.urls import reverse

from branches.enums import NodeKind
from members.enums import PositionRole
from members.models import Position
from tests.factories import make_member, make_node

pytestmark = pytest.mark.django_db


def grow(world, per_level):
    """`per_level` grassroots committees under the district, each with `per_level`
    branches of `per_level` members."""
    for _ in range(per_level):
        committee = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE)
        for _ in range(per_level):
            branch = make_node(committee, NodeKind.BRANCH)
            for _ in range(per_level):
                member = make_member(branch)
            Position.objects.create(
                member=member,
                role=PositionRole.SECRETARY,
                node=branch,
                start_date=member.admission_date,
            )
    return committee, branch, member


@pytest.mark.parametrize("per_level", [1, 3])
def test_tree_query_count(world, as_user, get_page, per_level):
    grow(world, per_level)
    client = as_user(world.officer)
    get_page(client, 10, reverse("organizations:tree"))


@pytest.mark.parametrize("per_level", [1, 3])
def test_node_detail_query_count(world, as_user, get_page, per_level):
    committee, branch, _ = grow(world, per_level)
    client = as_user(world.officer)
    for node in (world.district, committee, branch):
        get_page(client, 18, reverse("organizations:node_detail", args=[node.code]))


@pytest.mark.parametrize("per_level", [1, 3])
def test_member_list_query_count(world, as_user, get_page, per_level):
    grow(world, per_level)
    client = as_user(world.officer)
    response = get_page(client, 10, reverse("members:list"), {"q": "nguyen", "age_band": "41_50"})
    assert len(response.context["page"]) == per_level**3


@pytest.mark.parametrize("per_level", [1, 3])
def test_member_detail_query_count(world, as_user, get_page, per_level):
    _, _, member = grow(world, per_level)
    client = as_user(world.officer)
    get_page(client, 14, reverse("members:detail", args=[member.member_number]))


@pytest.mark.parametrize("per_level", [1, 3])
def test_home_query_count(world, as_user, get_page, per_level):
    grow(world, per_level)
    for user in (world.officer, world.secretary):
        client = as_user(user)
        get_page(client, 24, reverse("home"))
