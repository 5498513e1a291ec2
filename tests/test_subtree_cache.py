"""Figures over large subtrees are kept for a few minutes and say so; small subtrees are
always live; a stale figure is renewed by one request while the others show it."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from branches.enums import NodeKind
from partyorg import subtree_cache
from partyorg.subtree_cache import Kept, remember
from tests.factories import make_member, make_node

pytestmark = pytest.mark.django_db

AS_OF = "Figures as of"


@pytest.fixture
def large(settings):
    """The test district (two branches) counts as a large subtree."""
    settings.SUBTREE_CACHE_MIN_BRANCHES = 2
    settings.SUBTREE_CACHE_FRESH_SECONDS = 300
    return settings


def active_on_home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["figures"]["active"], response.content.decode()


def home_after_a_second_member(world, client):
    """The home figures seen with one member, then those after a second one joins."""
    make_member(world.branch_a)
    assert active_on_home(client)[0] == 1
    make_member(world.branch_a)
    return active_on_home(client)


def test_small_subtree_figures_are_live(world, as_user):
    active, page = home_after_a_second_member(world, as_user(world.officer))
    assert active == 2
    assert AS_OF not in page


def test_large_subtree_keeps_home_figures_until_they_are_stale(world, as_user, large):
    client = as_user(world.officer)
    active, page = home_after_a_second_member(world, client)
    assert active == 1
    assert AS_OF in page
    assert "renewed every 5 minutes" in page

    large.SUBTREE_CACHE_FRESH_SECONDS = 0
    assert active_on_home(client)[0] == 2


def test_secretary_of_a_branch_sees_live_figures_when_officers_do_not(world, as_user, large):
    make_member(world.branch_a)
    as_user(world.officer).get(reverse("home"))
    make_member(world.branch_a)
    active, page = active_on_home(as_user(world.secretary))
    assert active == 2
    assert AS_OF not in page


def test_kept_figures_are_per_subtree_and_per_scope(world, as_user, admin_user, large):
    make_member(world.branch_a)
    make_member(world.other_branch)
    assert active_on_home(as_user(world.officer))[0] == 1
    # The superuser's home opens on the province but counts everyone: not the officer's.
    assert active_on_home(as_user(admin_user))[0] == 2


def test_tree_and_node_page_keep_counts_and_survive_a_new_organization(world, as_user, large):
    make_member(world.branch_a)
    client = as_user(world.officer)
    client.get(reverse("organizations:tree"))
    client.get(reverse("organizations:node_detail", args=[world.district.code]))
    make_member(world.branch_a)
    new_committee = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ mới")

    tree = client.get(reverse("organizations:tree"))
    rows = {node.pk: node.counts for node in tree.context["nodes"]}
    assert rows[world.district.pk]["members"] == 1
    assert rows[new_committee.pk]["members"] == 0
    assert AS_OF in tree.content.decode()

    detail = client.get(reverse("organizations:node_detail", args=[world.district.code]))
    assert detail.context["counts"]["members"] == 1
    assert new_committee.name in detail.content.decode()


def test_member_list_total_is_kept_for_a_large_subtree_but_search_is_live(world, as_user, large):
    make_member(world.branch_a, full_name="Nguyễn Thị An", gender="female")
    client = as_user(world.officer)
    assert client.get(reverse("members:list")).context["page"].paginator.count == 1
    make_member(world.branch_a, full_name="Trần Thị Bình", gender="female")

    kept = client.get(reverse("members:list"))
    assert kept.context["page"].paginator.count == 1
    women = client.get(reverse("members:list"), {"status": "active", "gender": "female"})
    assert women.context["page"].paginator.count == 2
    search = client.get(reverse("members:list"), {"q": "an", "status": ""})
    assert search.context["page"].paginator.count == 2

    large.SUBTREE_CACHE_FRESH_SECONDS = 0
    assert client.get(reverse("members:list")).context["page"].paginator.count == 2


def test_any_query_string_leaves_the_kept_total_alone(world, as_user, large):
    make_member(world.branch_a)
    client = as_user(world.officer)
    assert client.get(reverse("members:list")).context["page"].paginator.count == 1
    make_member(world.branch_a)
    response = client.get(reverse("members:list"), {"status": "active", "utm": "x" * 2000})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert AS_OF in response.content.decode()


def test_report_dashboard_of_a_large_subtree_is_kept(world, as_user, large):
    make_member(world.branch_a)
    client = as_user(world.officer)
    dashboard = reverse("reports:dashboard", args=[world.district.code, timezone.localdate().year])
    assert client.get(dashboard).context["report"].totals.members == 1
    make_member(world.branch_a)
    response = client.get(dashboard)
    assert response.context["report"].totals.members == 1
    assert AS_OF in response.content.decode()

    large.SUBTREE_CACHE_FRESH_SECONDS = 0
    assert client.get(dashboard).context["report"].totals.members == 2


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def keep(key, value, age_seconds):
    cache.set(key, Kept(value, timezone.now() - datetime.timedelta(seconds=age_seconds)))


def test_a_fresh_value_is_served_without_computing(large):
    keep("k", "kept", 10)
    compute, calls = counting("new")
    assert remember("k", compute).value == "kept"
    assert calls == []


def test_a_stale_value_is_renewed_by_the_request_that_takes_the_lock(large):
    keep("k", "old", 400)
    compute, calls = counting("new")
    assert remember("k", compute).value == "new"
    assert cache.get("k").value == "new"
    assert cache.get("k:renewing") is None
    assert calls == [1]


def test_while_another_request_renews_it_the_stale_value_is_served(large):
    keep("k", "old", 400)
    cache.add("k:renewing", True)
    compute, calls = counting("new")
    assert remember("k", compute).value == "old"
    assert calls == []


def test_a_cold_request_waits_for_the_one_computing(large, monkeypatch):
    cache.add("k:renewing", True)
    monkeypatch.setattr(subtree_cache.time, "sleep", lambda seconds: keep("k", "theirs", 0))
    compute, calls = counting("mine")
    assert remember("k", compute).value == "theirs"
    assert calls == []


def test_a_cold_request_computes_itself_when_the_other_never_finishes(large, monkeypatch):
    cache.add("k:renewing", True)
    monkeypatch.setattr(subtree_cache, "COLD_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(subtree_cache, "COLD_POLL_SECONDS", 0.01)
    compute, calls = counting("mine")
    assert remember("k", compute).value == "mine"
    assert calls == [1]


def test_a_failed_computation_releases_the_lock(large):
    def broken():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        remember("k", broken)
    assert cache.get("k:renewing") is None
