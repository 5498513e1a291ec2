"""Every page computes its figures in each request, for a subtree of any size: what was
just entered shows at once, on the home page, the tree, an organization's page, the member
list, the admission board and the report dashboard."""

import pytest
from django.urls import reverse
from django.utils import timezone

from admission.enums import Stage
from branches.enums import NodeKind
from tests.factories import make_member, make_node
from tests.factories_admission import make_candidate, make_officials, walk

pytestmark = pytest.mark.django_db


def test_the_report_dashboard_shows_a_member_entered_a_moment_ago(world, as_user):
    client = as_user(world.officer)
    dashboard = reverse("reports:dashboard", args=[world.district.code, timezone.localdate().year])
    make_member(world.branch_a)
    assert client.get(dashboard).context["report"].totals.members == 1
    make_member(world.branch_b)
    make_member(world.other_branch)
    report = client.get(dashboard).context["report"]
    assert report.totals.members == 2
    assert [(row.node.id, row.figures.members) for row in report.children] == [
        (world.commune.pk, 2)
    ]


def make_due(branch):
    """A member admitted in 2010 and never converted: due for conversion."""
    return make_member(branch, official_date=None)


def test_home_page_is_fresh(world, as_user):
    """A member due for conversion, a file falling late, a branch falling under the size
    rule: each shows on the next view of the home page."""
    make_officials(world.branch_a, 3)
    late = [walk(make_candidate(world.branch_a), Stage.DECIDED)]
    make_due(world.branch_a)
    client = as_user(world.officer)

    def home():
        response = client.get(reverse("home"))
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


def test_member_counts_are_fresh_on_every_page(world, as_user):
    """The headline figures, the tree and the node page add up the counts the database
    keeps per branch."""
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

    detail = client.get(reverse("organizations:node_detail", args=[world.district.code]))
    assert detail.context["counts"]["members"] == 2
    assert new_committee.name in detail.content.decode()


def test_member_list_total_is_fresh_for_every_filter(world, as_user):
    """The member counts kept per branch give the total of every filter but a name search
    and an age band, which count the members."""
    make_member(world.branch_a, full_name="Nguyễn Thị An", gender="female")
    client = as_user(world.officer)
    forties = {"status": "active", "age_band": "41_50"}  # born 1980
    assert client.get(reverse("members:list"), forties).context["page"].paginator.count == 1
    make_member(world.branch_a, full_name="Trần Thị Bình", gender="female")

    filters = [{}, {"status": "active", "gender": "female"}, {"branch": "X1-B1"}, forties]
    for applied in [*filters, {"q": "an", "status": ""}]:
        assert client.get(reverse("members:list"), applied).context["page"].paginator.count == 2


def test_admission_board_is_fresh(world, as_user):
    """The late files are read from their kept deadlines: a file decided shows at once."""
    make_officials(world.branch_a, 3)
    late = [walk(make_candidate(world.branch_a), Stage.DECIDED) for _ in range(2)]
    client = as_user(world.officer)
    board = reverse("admission:pipeline")
    assert [c for c, _ in client.get(board).context["overdue"]] == late
    late.append(walk(make_candidate(world.branch_a), Stage.DECIDED))
    assert [c for c, _ in client.get(board).context["overdue"]] == late
