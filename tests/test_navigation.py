"""The main navigation marks the one item the page belongs to."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_items(response) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', response.content.decode(), re.S).group(0)
    return re.findall(r'<a href="([^"]+)" aria-current="page"', nav)


@pytest.mark.parametrize(
    "page, item",
    [
        (("home",), ("home",)),
        (("organizations:tree",), ("organizations:tree",)),
        (("organizations:node_detail", "H1"), ("organizations:tree",)),
        (("meetings:list", "H1"), ("meetings:list", "H1")),
        (("record_work:inspections", "H1"), ("record_work:overview",)),
        (("members:list",), ("members:list",)),
        (("record_work:overview",), ("record_work:overview",)),
        (("record_work:removal",), ("record_work:overview",)),
        (("record_work:transfers",), ("record_work:overview",)),
        (("admission:pipeline",), ("admission:pipeline",)),
        (("reports:dashboard", "H1", 2025), ("reports:index",)),
    ],
)
def test_one_item_is_current(world, as_user, page, item):
    response = as_user(world.officer).get(reverse(page[0], args=page[1:]))
    assert response.status_code == 200
    assert current_items(response) == [reverse(item[0], args=item[1:])]
