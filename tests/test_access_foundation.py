"""Every foundation view: insider succeeds, outsider 404, viewer writing 403,
anonymous to login, GET-only rules."""

import pytest
from django.urls import reverse

from branches.models import OrganizationNode
from tests.factories import form_data, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(world):
    return make_member(world.branch_a, full_name="Phan Văn Đức")


def node_urls(world):
    code = world.branch_a.code
    return {
        "read": [reverse("organizations:node_detail", args=[code])],
        "write": [
            reverse("organizations:node_edit", args=[code]),
            reverse("organizations:node_create", args=[world.commune.code]),
            reverse("organizations:node_move", args=[code]),
            reverse("organizations:node_merge", args=[code]),
        ],
    }


def member_urls(member):
    number = member.member_number
    return {
        "read": [reverse("members:detail", args=[number])],
        "write": [
            reverse("members:edit", args=[number]),
            reverse("members:transfer_new", args=[number]),
        ],
    }


def all_urls(world, member):
    urls = node_urls(world), member_urls(member)
    return [u for group in urls for u in group["read"] + group["write"]]


def test_anonymous_goes_to_login_everywhere(world, member, client):
    for url in [
        *all_urls(world, member),
        reverse("home"),
        reverse("organizations:tree"),
        reverse("members:list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("who", ["officer", "secretary"])
def test_insider_reads_and_opens_write_forms(world, member, as_user, who):
    client = as_user(getattr(world, who))
    for url in all_urls(world, member):
        if who == "secretary" and ("/new/" in url or "/move/" in url or "/merge/" in url):
            continue  # the secretary's scope is the branch; the commune is outside it
        if who == "secretary" and url.endswith("/transfer-letter/"):
            # Transfers are decided by the committees above the branch (branches.competence).
            assert client.get(url).status_code == 403, url
            continue
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["outsider", "other_secretary"])
def test_outsider_gets_404_everywhere(world, member, as_user, who):
    client = as_user(getattr(world, who))
    for url in all_urls(world, member):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_secretary_cannot_reach_the_parent_committee(world, as_user):
    client = as_user(world.secretary)
    assert (
        client.get(reverse("organizations:node_detail", args=[world.commune.code])).status_code
        == 404
    )


def test_viewer_reads_but_gets_403_on_writes(world, member, as_user):
    client = as_user(world.viewer)
    urls = node_urls(world), member_urls(member)
    for group in urls:
        for url in group["read"]:
            assert client.get(url).status_code == 200, url
        for url in group["write"]:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"name": "changed"}).status_code == 403, url
    assert client.get(reverse("members:create")).status_code == 403
    assert OrganizationNode.objects.get(pk=world.branch_a.pk).name == "Chi bộ thôn 1"


def test_write_views_refuse_other_methods(world, member, as_user):
    client = as_user(world.officer)
    for url in member_urls(member)["write"] + node_urls(world)["write"]:
        assert client.put(url).status_code == 405, url


def test_member_list_shows_only_the_subtree(world, as_user):
    make_member(world.branch_a, full_name="Võ Thị Lan")
    make_member(world.other_branch, full_name="Đặng Văn Hùng")
    page = as_user(world.officer).get(reverse("members:list")).content.decode()
    assert "Võ Thị Lan" in page and "Đặng Văn Hùng" not in page
    page = as_user(world.other_secretary).get(reverse("members:list")).content.decode()
    assert "Võ Thị Lan" not in page and "Đặng Văn Hùng" in page


def test_a_branch_outside_the_subtree_is_refused_on_the_filter_not_listed_empty(world, as_user):
    make_member(world.other_branch, full_name="Đặng Văn Hùng")
    client = as_user(world.officer)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("members:list"), {"branch": world.other_branch.code}).text
    assert "Đặng Văn Hùng" not in page
    assert 'class="field has-error"' in page and "Hãy chọn một lựa chọn hợp lệ" in page


def test_tree_shows_only_the_subtree(world, as_user):
    page = as_user(world.officer).get(reverse("organizations:tree")).content.decode()
    assert "Chi bộ thôn 1" in page and "Chi bộ trường" not in page


def test_django_admin_is_for_superusers_only(world, as_user, django_user_model):
    world.officer.is_staff = True
    world.officer.save()
    assert as_user(world.officer).get("/admin/").status_code == 302
    admin = django_user_model.objects.create_superuser("root", password="x-long-password-1")
    assert as_user(admin).get("/admin/").status_code == 200


def test_officer_edits_member_and_history_records_who(world, member, as_user):
    client = as_user(world.officer)
    url = reverse("members:edit", args=[member.member_number])
    data = form_data(client.get(url).context["form"])
    data["residence"] = "Thôn 3, xã Hương Phú"
    response = client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.residence == "Thôn 3, xã Hương Phú"
    last = member.history.latest()
    assert last.history_user == world.officer
    page = client.get(reverse("members:detail", args=[member.member_number])).content.decode()
    assert "officer" in page


def test_officer_creates_a_branch_under_the_commune(world, as_user):
    response = as_user(world.officer).post(
        reverse("organizations:node_create", args=[world.commune.code]),
        {
            "code": "x1-b3",
            "name": "Chi bộ thôn 3",
            "kind": "branch",
            "established_on": "01/01/2024",
        },
    )
    assert response.status_code == 302
    node = OrganizationNode.objects.get(code="X1-B3")
    assert OrganizationNode.objects.get_parent(node) == world.commune


def test_creating_a_wrong_kind_of_node_changes_nothing(world, as_user):
    response = as_user(world.officer).post(
        reverse("organizations:node_create", args=[world.branch_a.code]),
        {"code": "BAD", "name": "Sai", "kind": "branch", "established_on": "01/01/2024"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not OrganizationNode.objects.filter(code="BAD").exists()
