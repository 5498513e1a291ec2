"""What the pages do differently for a province-sized scope: the member filter takes a
branch code, the tree leaves out levels, the admission panel loads only what it shows,
the meeting roll starts from the branch."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from admission.enums import Stage
from admission.queries import attention, candidates_for
from branches import forms as branch_forms
from branches.enums import NodeKind
from branches.models import OrganizationNode
from branchwork import badges
from branchwork.meetings import branch_roll
from branchwork.models import BadgeAward
from branchwork.views import badges as badge_views
from members import lifecycle
from members.models import Member
from office.organizations import views as tree
from tests.factories import make_member, make_node
from tests.factories_admission import make_candidate, make_officials, walk
from tests.factories_lifecycle import dated_member
from tests.form_data import candidate_form, member_form

pytestmark = pytest.mark.django_db
D = datetime.date


def test_member_filter_takes_a_branch_code_when_the_scope_has_many_branches(
    world, as_user, monkeypatch
):
    here, there = make_member(world.branch_a), make_member(world.branch_b)
    client = as_user(world.officer)
    page = client.get(reverse("members:list")).content.decode()
    assert '<select name="branch"' in page
    monkeypatch.setattr(branch_forms, "CHOICES_LISTED", 1)
    page = client.get(reverse("members:list")).content.decode()
    assert '<select name="branch"' not in page
    assert 'name="branch"' in page
    response = client.get(reverse("members:list"), {"branch": "X1-B1", "status": ""})
    assert list(response.context["page"]) == [here]
    assert there.full_name not in response.content.decode()
    response = client.get(reverse("members:list"), {"branch": "H2-CB", "status": ""})
    assert list(response.context["page"]) == []
    assert response.context["filters"].errors["branch"]


def test_candidate_filter_takes_a_branch_code_when_the_scope_has_many_branches(
    world, as_user, monkeypatch
):
    here, there = make_candidate(world.branch_a), make_candidate(world.branch_b)
    client = as_user(world.officer)
    assert '<select name="branch"' in client.get(reverse("admission:list")).content.decode()
    monkeypatch.setattr(branch_forms, "CHOICES_LISTED", 1)
    page = client.get(reverse("admission:list")).content.decode()
    assert '<select name="branch"' not in page
    assert 'name="branch"' in page
    response = client.get(reverse("admission:list"), {"branch": "X1-B1"})
    assert list(response.context["page"]) == [here]
    assert there.full_name not in response.content.decode()
    response = client.get(reverse("admission:list"), {"branch": "H2-CB"})
    assert list(response.context["page"]) == []
    assert response.context["filters"].errors["branch"]


def test_record_work_takes_a_branch_code_when_the_scope_has_many_branches(
    world, as_user, monkeypatch
):
    client = as_user(world.officer)
    url = reverse("record_work:overview")
    assert '<select name="branch"' in client.get(url).content.decode()
    monkeypatch.setattr(branch_forms, "CHOICES_LISTED", 1)
    page = client.get(url).content.decode()
    assert '<select name="branch"' not in page
    assert 'name="branch"' in page
    response = client.get(url, {"branch": "X1-B2", "sheet": "dues"})
    today = timezone.localdate()
    assert response.url == reverse(
        "record_work:dues_sheet", args=["X1-B2", today.year, today.month]
    )
    response = client.get(url, {"branch": "H2-CB", "sheet": "dues"})
    assert response.status_code == 200
    assert response.context["picker"].errors["branch"]


def test_new_member_form_takes_a_branch_code_when_the_scope_has_many_branches(
    world, as_user, monkeypatch
):
    monkeypatch.setattr(branch_forms, "CHOICES_LISTED", 1)
    client = as_user(world.officer)
    page = client.get(reverse("members:create"), {"branch": "X1-B2"}).content.decode()
    assert '<select name="branch"' not in page
    assert 'value="X1-B2"' in page
    data = member_form(
        date_of_birth="01/01/1990",
        admission_decision_date="01/02/2020",
        admission_date="15/02/2020",
    )
    response = client.post(reverse("members:create"), data | {"branch": "H2-CB"})
    assert response.context["form"].errors["branch"]
    client.post(reverse("members:create"), data | {"branch": "X1-B2"})
    assert Member.objects.get(member_number="55555555").branch == world.branch_b


def test_tree_leaves_out_the_lowest_level_when_it_would_list_too_many_rows(
    world, as_user, monkeypatch
):
    client = as_user(world.officer)
    shown = [n.code for n in client.get(reverse("organizations:tree")).context["nodes"]]
    assert shown == ["H1", "X1", "X1-B1", "X1-B2"]
    monkeypatch.setattr(tree, "TREE_ROWS_SHOWN", 3)
    response = client.get(reverse("organizations:tree"))
    assert [n.code for n in response.context["nodes"]] == ["H1", "X1"]
    assert response.context["nodes"][1].counts["branches"] == 2
    monkeypatch.setattr(tree, "TREE_ROWS_SHOWN", 0)
    shown = [n.code for n in client.get(reverse("organizations:tree")).context["nodes"]]
    assert shown == ["H1", "X1"]  # the scope's own node and its children at least


def test_home_panel_counts_every_late_file_but_loads_only_those_shown(world, as_user):
    make_officials(world.branch_a, 3)
    late = [walk(make_candidate(world.branch_a), Stage.DECIDED) for _ in range(3)]
    walk(make_candidate(world.branch_a), Stage.INTRODUCED)
    candidates = candidates_for(world.officer)
    full = attention(candidates, D(2025, 1, 10))
    brief = attention(candidates, D(2025, 1, 10), shown=2)
    assert full.overdue_count == brief.overdue_count == len(full.overdue) == 3
    assert brief.overdue == full.overdue[:2]
    assert {c for c, _ in full.overdue} == set(late)
    assert brief.due_soon_count == len(full.due_soon)


def test_meeting_roll_has_the_branch_members_and_those_attached_there(world):
    here = make_member(world.branch_a)
    make_member(world.branch_b)
    make_member(world.other_branch)
    roll = branch_roll(world.branch_a, timezone.localdate())
    assert [entry.member for entry in roll] == [here]


def test_badge_list_leaves_out_holders_of_their_last_badge_and_pages(world, as_user, monkeypatch):
    due = [dated_member(world.branch_a, D(1995, 8, 1 + n)) for n in range(3)]
    holder = dated_member(world.branch_a, D(1985, 5, 1))
    BadgeAward.objects.create(member=holder, years=40, award_date=D(2025, 5, 19))
    second = dated_member(world.branch_a, D(1975, 5, 1))  # 50 years, holds 45
    BadgeAward.objects.create(member=second, years=45, award_date=D(2020, 5, 19))
    dated_member(world.branch_a, D(2010, 1, 1))  # far from any badge
    found, early = badges.badge_list(Member.objects.all(), D(2025, 9, 2))
    assert {c.member for c in found} == {*due, second}
    assert early == []
    monkeypatch.setattr(badge_views, "PAGE_SIZE", 2)
    response = as_user(world.officer).get(
        reverse("record_work:badges"), {"node": world.district.code, "date": "2025-09-02"}
    )
    assert response.context["due"] == found[:2]
    assert response.context["pages"]["due"].paginator.count == 4
    assert "due_page=2" in response.content.decode()


def test_forms_naming_an_organization_take_its_code_when_the_scope_has_many(
    world, as_user, monkeypatch
):
    """The candidate file, the member received from outside or readmitted, the inspection,
    the merge and the transfer letter's suggestions: a province officer's page listed
    8,000 branches."""
    candidate = make_candidate(world.branch_a)
    member = make_member(world.branch_b)
    left = make_member(world.branch_b)
    lifecycle.record_exit(left, kind="left", on=D(2026, 1, 10), document_number="3-QĐ")
    monkeypatch.setattr(branch_forms, "CHOICES_LISTED", 0)  # every list is too long
    client = as_user(world.officer)
    pages = {
        "branch": [
            reverse("admission:create"),
            reverse("record_work:transfer_receive"),
            reverse("members:readmit", args=[left.member_number]),
        ],
        "inspecting_node": [reverse("record_work:inspection_create", args=["X1"])],
        "into": [reverse("organizations:node_merge", args=["X1-B2"])],
    }
    for field, urls in pages.items():
        for url in urls:
            page = client.get(url).content.decode()
            assert f'<select name="{field}"' not in page and f'name="{field}"' in page, url
    letter = client.get(reverse("members:transfer_new", args=[member.member_number]))
    assert list(letter.context["suggestions"]) == []
    # The file's own branch, shown and not chosen, is the only one listed.
    edit = client.get(reverse("admission:edit", args=[candidate.pk])).context["form"]
    assert list(edit.fields["branch"].queryset) == [world.branch_a]

    response = client.post(
        reverse("admission:create"), candidate_form(full_name="Võ Thị Hạnh", branch="X1-B2")
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("admission:create"), candidate_form(full_name="Lê Văn Xa", branch="H2-CB")
    )
    assert refused.context["form"].errors["branch"]
    unknown = client.post(
        reverse("organizations:node_merge", args=["X1-B2"]),
        {"into": "KHONG-CO", "on": "01/03/2025", "document_number": "QĐ-7"},
    )
    assert unknown.context["form"].errors["into"] == [
        "No active organization of yours has this code."
    ]
    merged = client.post(
        reverse("organizations:node_merge", args=["X1-B2"]),
        {"into": "x1-b1 ", "on": "01/03/2025", "document_number": "QĐ-7"},
    )
    assert merged.status_code == 302
    assert Member.objects.get(pk=member.pk).branch == world.branch_a


def test_dissolving_names_each_target_by_code_when_the_scope_has_many(world, as_user, monkeypatch):
    other = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã bên", code="X2")
    monkeypatch.setattr(branch_forms, "CHOICES_LISTED", 0)  # every list is too long
    client = as_user(world.officer)
    url = reverse("organizations:node_dissolve", args=["X1"])
    page = client.get(url).content.decode()
    field = f"child-{world.branch_a.pk}"
    assert f'<select name="{field}"' not in page and f'name="{field}"' in page
    response = client.post(
        url,
        {
            "on": "01/03/2025",
            field: " x2",
            f"child-{world.branch_b.pk}": "X2",
        },
    )
    assert response.status_code == 302
    for branch in (world.branch_a, world.branch_b):
        branch.refresh_from_db()
        assert OrganizationNode.objects.get_parent(branch) == other
