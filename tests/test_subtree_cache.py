"""The annual report of a large subtree is kept, says how old it is, and is renewed by the
task worker while pages only read it; a small subtree's report, and every other page's
figures, are computed in each request."""

import dataclasses
import datetime
import io
import sys

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from admission.enums import Stage
from branches.enums import NodeKind, RoleKind
from branches.queries import has_many_branches
from branches.restructuring import dissolve_node
from partyorg import subtree_cache
from partyorg.subtree_cache import Kept, Recipe, remember
from partyorg.tasks import renew_kept_figure, renew_kept_figures
from tests.factories import make_member, make_node, make_user
from tests.factories_admission import make_candidate, make_officials, walk

pytestmark = pytest.mark.django_db

AS_OF = "Figures as of"


@pytest.fixture
def large(settings):
    """The test district (two branches) counts as a large subtree."""
    settings.SUBTREE_CACHE_MIN_BRANCHES = 2
    settings.SUBTREE_CACHE_FRESH_SECONDS = 300
    return settings


def members_on_dashboard(client, node):
    """The dashboard's count of members this year, a figure kept for a large subtree, and
    the page."""
    url = reverse("reports:dashboard", args=[node.code, timezone.localdate().year])
    response = client.get(url)
    assert response.status_code == 200
    return response.context["report"].totals.members, response.content.decode()


def dashboard_after_a_second_member(world, client, node):
    """The dashboard's count seen with one member, then the count after a second one."""
    make_member(world.branch_a)
    assert members_on_dashboard(client, node)[0] == 1
    make_member(world.branch_a)
    return members_on_dashboard(client, node)


def test_small_subtree_figures_are_live(world, as_user):
    members, page = dashboard_after_a_second_member(world, as_user(world.officer), world.district)
    assert members == 2
    assert AS_OF not in page


def test_large_subtree_keeps_its_report_until_it_is_stale(world, as_user, large):
    client = as_user(world.officer)
    members, page = dashboard_after_a_second_member(world, client, world.district)
    assert members == 1
    assert AS_OF in page
    assert "renewed every 5 minutes" in page

    large.SUBTREE_CACHE_FRESH_SECONDS = 0
    assert members_on_dashboard(client, world.district)[0] == 2


def test_a_branch_is_live_when_its_district_is_kept(world, as_user, large):
    client = as_user(world.officer)
    assert members_on_dashboard(client, world.district)[0] == 0
    members, page = dashboard_after_a_second_member(world, client, world.branch_a)
    assert members == 2
    assert AS_OF not in page
    assert members_on_dashboard(client, world.district)[0] == 0


def test_kept_figures_are_per_subtree_and_per_scope(world, as_user, admin_user, large):
    make_member(world.branch_a)
    assert members_on_dashboard(as_user(world.officer), world.district)[0] == 1
    make_member(world.branch_a)
    # The superuser sees the whole tree: the officer's kept report is not theirs.
    assert members_on_dashboard(as_user(admin_user), world.district)[0] == 2
    assert members_on_dashboard(as_user(world.officer), world.district)[0] == 1


def make_due(branch):
    """A member admitted in 2010 and never converted: due for conversion."""
    return make_member(branch, official_date=None)


def test_home_page_of_a_large_subtree_is_fresh(world, as_user, large):
    """Every list of the home page is computed in each request, with no notice: a member
    due for conversion, a file falling late, a branch falling under the size rule."""
    make_officials(world.branch_a, 3)
    late = [walk(make_candidate(world.branch_a), Stage.DECIDED)]
    make_due(world.branch_a)
    client = as_user(world.officer)

    def home():
        response = client.get(reverse("home"))
        assert AS_OF not in response.content.decode()
        panel = next(
            p for p in response.context["panels"] if p["template"] == "admission/panel.html"
        )
        return (
            response.context["conversion_due_count"],
            [candidate for candidate, _ in panel["overdue"]],
            dict(panel["stages"])[Stage.DECIDED],
            [branch.pk for branch in response.context["attention_branches"]],
        )

    due, overdue, decided, small = home()
    assert (due, overdue, decided) == (1, late, 1)
    assert world.branch_b.pk in small
    make_due(world.branch_a)
    late.append(walk(make_candidate(world.branch_a), Stage.DECIDED))
    make_officials(world.branch_b, 3)
    assert home() == (2, late, 2, [pk for pk in small if pk != world.branch_b.pk])


def test_member_counts_of_a_large_subtree_are_fresh_on_every_page(world, as_user, large):
    """The headline figures, the tree and the node page add up the counts the database
    keeps per branch: what was just entered shows at once, with no "Figures as of"."""
    make_member(world.branch_a)
    client = as_user(world.officer)
    client.get(reverse("home"))
    client.get(reverse("organizations:tree"))
    make_member(world.branch_a, gender="female")
    make_member(world.other_branch)
    new_committee = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ mới")

    home = client.get(reverse("home"))
    assert (home.context["figures"]["active"], home.context["figures"]["women"]) == (2, 1)
    tree = client.get(reverse("organizations:tree"))
    rows = {node.pk: node.counts for node in tree.context["nodes"]}
    assert rows[world.district.pk]["members"] == 2
    assert rows[new_committee.pk]["members"] == 0
    assert AS_OF not in tree.content.decode()

    detail = client.get(reverse("organizations:node_detail", args=[world.district.code]))
    assert detail.context["counts"]["members"] == 2
    assert new_committee.name in detail.content.decode()


def test_member_list_total_of_a_large_subtree_is_fresh_for_every_filter(world, as_user, large):
    """The member counts kept per branch give the total of every filter but a name search
    and an age band, which count the members: all of them fresh, with no notice."""
    make_member(world.branch_a, full_name="Nguyễn Thị An", gender="female")
    client = as_user(world.officer)
    forties = {"status": "active", "age_band": "41_50"}  # born 1980
    assert client.get(reverse("members:list"), forties).context["page"].paginator.count == 1
    make_member(world.branch_a, full_name="Trần Thị Bình", gender="female")

    filters = [{}, {"status": "active", "gender": "female"}, {"branch": "X1-B1"}, forties]
    for applied in [*filters, {"q": "an", "status": ""}]:
        fresh = client.get(reverse("members:list"), applied)
        assert fresh.context["page"].paginator.count == 2
        assert AS_OF not in fresh.content.decode()


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


def test_annual_report_page_of_a_large_subtree_reads_its_kept_figures(
    world, as_user, large, monkeypatch
):
    """The page an office files its report from compares the filed figures with today's:
    a province's took two seconds to build on each view."""
    client = as_user(world.officer)
    url = reverse("papers:annual_report", args=[world.district.code, timezone.localdate().year])
    assert AS_OF in client.get(url).content.decode()

    def fails(*args):
        raise AssertionError("the report was built in the request")

    monkeypatch.setattr("papers.annual.build_annual_report", fails)
    page = client.get(url)
    assert page.status_code == 200 and AS_OF in page.content.decode()


def test_admission_board_of_a_large_subtree_is_fresh(world, as_user, large):
    """The late files are read from their kept deadlines: a file decided shows at once,
    with no notice, on a subtree whose other figures are kept."""
    make_officials(world.branch_a, 3)
    late = [walk(make_candidate(world.branch_a), Stage.DECIDED) for _ in range(2)]
    client = as_user(world.officer)
    board = reverse("admission:pipeline")
    assert [c for c, _ in client.get(board).context["overdue"]] == late
    late.append(walk(make_candidate(world.branch_a), Stage.DECIDED))
    page = client.get(board)
    assert [c for c, _ in page.context["overdue"]] == late
    assert AS_OF not in page.content.decode()


def test_an_organization_that_ended_keeps_the_figures_of_its_last_day(world, as_user, large):
    """A district dissolved in the 2025 reform has no branch today; its reports of the
    years before are as large as they were, and are kept as a standing one's are."""
    dissolve_node(world.district, on=datetime.date(2025, 7, 1))
    world.district.refresh_from_db()
    assert has_many_branches(world.district)
    client = as_user(make_user(world.province, RoleKind.OFFICER, username="tinh"))
    page = client.get(reverse("reports:dashboard", args=[world.district.code, 2024]))
    assert AS_OF in page.content.decode()


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


RECIPE = Recipe(
    "reports.views.dashboard.report_in_background", 0, None, (), "branches.queries.sees", ""
)


def keep(key, value, age_seconds):
    at = timezone.now() - datetime.timedelta(seconds=age_seconds)
    cache.set(key, Kept(value, at, RECIPE, timezone.localdate()))


@pytest.fixture
def queued(settings):
    """Tasks are queued, as for the worker, and not run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return default_task_backend.results


def test_a_fresh_value_is_served_without_computing(large):
    keep("k", "kept", 10)
    compute, calls = counting("new")
    assert remember("k", RECIPE, compute).value == "kept"
    assert calls == []


def test_a_stale_value_is_served_and_its_renewal_queued_for_the_worker(large, queued):
    keep("k", "old", 400)
    compute, calls = counting("new")
    assert remember("k", RECIPE, compute).value == "old"
    assert calls == []
    assert [(r.task.name, r.args) for r in queued] == [("renew_kept_figure", ["k"])]
    # Others asking meanwhile see the old value and queue nothing more.
    assert remember("k", RECIPE, compute).value == "old"
    assert len(queued) == 1


def test_a_cold_request_computes_once_and_the_timer_renews_it_from_then_on(large):
    compute, calls = counting("first")
    assert remember("k", RECIPE, compute).value == "first"
    assert calls == [1]
    assert "k" in cache.get(subtree_cache.INDEX_KEY)
    assert cache.get("k:renewing") is None


def test_a_cold_request_waits_for_the_one_computing(large, monkeypatch):
    cache.add("k:renewing", True)
    monkeypatch.setattr(subtree_cache.time, "sleep", lambda seconds: keep("k", "theirs", 0))
    compute, calls = counting("mine")
    assert remember("k", RECIPE, compute).value == "theirs"
    assert calls == []


def test_a_cold_request_computes_itself_when_the_other_never_finishes(large, monkeypatch):
    cache.add("k:renewing", True)
    monkeypatch.setattr(subtree_cache, "COLD_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(subtree_cache, "COLD_POLL_SECONDS", 0.01)
    compute, calls = counting("mine")
    assert remember("k", RECIPE, compute).value == "mine"
    assert calls == [1]


class ShapeOfAnotherRelease:
    """A class a value was kept with by another release of the code, which this one names
    differently or no longer has."""


def kept_by_another_release(monkeypatch, age_seconds):
    keep("k", ShapeOfAnotherRelease(), age_seconds)
    monkeypatch.delattr(sys.modules[__name__], "ShapeOfAnotherRelease")


def test_a_value_kept_by_another_release_is_computed_again(large, monkeypatch):
    kept_by_another_release(monkeypatch, 10)
    compute, calls = counting("new")
    assert remember("k", RECIPE, compute).value == "new"
    assert calls == [1]
    assert remember("k", RECIPE, compute).value == "new"  # and kept again
    assert calls == [1]


def test_the_worker_forgets_a_value_kept_by_another_release(large, monkeypatch):
    kept_by_another_release(monkeypatch, 400)
    cache.set(subtree_cache.INDEX_KEY, {"k"}, None)
    assert subtree_cache.renew_all() == 0
    assert cache.get("k") is None
    assert cache.get(subtree_cache.INDEX_KEY) == set()


def test_a_failed_computation_releases_the_lock(large):
    def broken():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        remember("k", RECIPE, broken)
    assert cache.get("k:renewing") is None


def never(*args, **kwargs):
    raise AssertionError("computed in the request")


def test_the_worker_renews_and_the_page_only_reads(world, as_user, large, monkeypatch):
    client = as_user(world.officer)
    assert members_on_dashboard(client, world.district)[0] == 0  # the first request computes
    make_member(world.branch_a)
    call_command("renew_figures", stdout=io.StringIO())  # the timer; the worker runs it

    # What the dashboard's kept figures are built from.
    monkeypatch.setattr("reports.views.dashboard.build_annual_report", never)
    monkeypatch.setattr("reports.views.dashboard.is_large", never)
    members, page = members_on_dashboard(client, world.district)
    assert members == 1
    assert AS_OF in page


def test_a_stale_page_is_served_at_once_and_renewed_by_the_worker(
    world, as_user, large, queued, monkeypatch
):
    client = as_user(world.officer)
    members_on_dashboard(client, world.district)
    make_member(world.branch_a)
    large.SUBTREE_CACHE_FRESH_SECONDS = 0
    monkeypatch.setattr("reports.views.dashboard.build_annual_report", never)
    assert members_on_dashboard(client, world.district)[0] == 0
    renewals = [r for r in queued if r.task.name == "renew_kept_figure"]
    assert renewals
    monkeypatch.undo()
    for result in renewals:  # what the worker does
        assert renew_kept_figure.call(*result.args)
    large.SUBTREE_CACHE_FRESH_SECONDS = 300
    assert members_on_dashboard(client, world.district)[0] == 1


def test_figures_nobody_asked_for_in_a_week_are_no_longer_renewed(world, as_user, large):
    members_on_dashboard(as_user(world.officer), world.district)
    index = cache.get(subtree_cache.INDEX_KEY)
    assert renew_kept_figures.call() == len(index)
    old = timezone.localdate() - datetime.timedelta(days=subtree_cache.RENEW_UNASKED_DAYS + 1)
    for key in index:
        cache.set(key, dataclasses.replace(cache.get(key), asked_on=old))
    assert renew_kept_figures.call() == 0
    assert cache.get(subtree_cache.INDEX_KEY) == set()


def test_a_figure_is_not_renewed_for_a_user_moved_to_another_subtree(world, as_user, large):
    """The first to ask moves to another district: the worker must not fill the key of
    the first district with what the user now sees (none of its organizations, so no
    link to their reports); the key is forgotten and the next officer of the district
    computes it."""
    client = as_user(world.officer)
    members_on_dashboard(client, world.district)
    role = world.officer.party_role
    role.node = world.other_district
    role.save()
    large.SUBTREE_CACHE_FRESH_SECONDS = 0
    call_command("renew_figures", stdout=io.StringIO())
    large.SUBTREE_CACHE_FRESH_SECONDS = 300
    colleague = make_user(world.district, username="colleague")
    page = members_on_dashboard(as_user(colleague), world.district)[1]
    commune = reverse("reports:dashboard", args=[world.commune.code, timezone.localdate().year])
    assert f'href="{commune}"' in page


def test_the_dashboard_keeps_its_drawn_report_in_each_language(world, as_user, large):
    """The organizations table is drawn once with the kept report, per language."""
    make_member(world.branch_a)
    client = as_user(world.officer)
    dashboard = reverse("reports:dashboard", args=[world.district.code, timezone.localdate().year])
    drawn_in = {}
    for language in ("vi", "en"):
        client.cookies[large.LANGUAGE_COOKIE_NAME] = language
        drawn_in[language] = client.get(dashboard).content.decode()
    vietnamese, english = drawn_in["vi"], drawn_in["en"]
    assert "Tổ chức trực thuộc" in vietnamese and "Organizations directly below" in english
    assert "Organizations directly below" not in vietnamese
    drawn = [
        cache.get(key).value
        for key in cache.get(subtree_cache.INDEX_KEY)
        if cache.get(key).recipe.figure == "reports.views.dashboard.drawn_report"
    ]
    assert len(drawn) == 2 and {d.report.totals.members for d in drawn} == {1}
    below = [row.node.name for row in drawn[0].report.children]
    assert below and all(name in d.html for d in drawn for name in below)


def test_a_figure_a_deploy_renamed_is_forgotten_not_renewed(large, caplog):
    gone = Recipe("reports.views.dashboard.annual_report", 0, None, (2026,), "x.y", "")
    cache.set("gone", Kept("old", timezone.now(), gone, timezone.localdate()))
    cache.set(subtree_cache.INDEX_KEY, {"gone"})
    assert renew_kept_figures.call() == 0
    assert cache.get("gone") is None
    assert not caplog.records
