"""The restructuring pages: who may use them, and that each operation goes through."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.enums import NodeKind, RoleKind, Sector
from branches.models import NodeName, OrganizationNode
from members.enums import EventKind
from members.models import Member, StatusEvent
from tests.factories import make_area, make_member, make_node, make_user

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name, node):
    return reverse(f"organizations:{name}", args=[node.code])


@pytest.mark.parametrize("name", ["node_rename", "node_dissolve", "node_split", "node_merge"])
def test_only_officers_of_the_subtree_restructure(world, as_user, name):
    assert as_user(world.outsider).get(url(name, world.commune)).status_code == 404
    assert as_user(world.viewer).get(url(name, world.commune)).status_code == 403
    assert as_user(world.secretary).get(url(name, world.branch_a)).status_code == 403
    assert as_user(world.officer).get(url(name, world.commune)).status_code == 200


def test_an_ended_node_answers_404(world, as_user):
    client = as_user(world.officer)
    response = client.post(
        url("node_merge", world.branch_b),
        {"into": world.branch_a.pk, "on": "01/03/2025", "document_number": "1"},
    )
    assert response.status_code == 302
    assert client.get(url("node_rename", world.branch_b)).status_code == 404


def test_a_district_officer_renames_and_the_audit_page_shows_it(world, as_user):
    client = as_user(world.officer)
    response = client.post(
        url("node_rename", world.commune),
        {"name": "Đảng bộ xã Mới", "kind": NodeKind.GRASSROOTS_COMMITTEE, "on": "01/01/2024"},
    )
    assert response.status_code == 302
    row = NodeName.objects.get(node=world.commune)
    assert (row.name, row.valid_to) == ("Đảng bộ xã", D(2024, 1, 1))
    assert row.history.get().history_user == world.officer
    audit = client.get(reverse("audit:index"), {"kind": "former_name"})
    assert "Đảng bộ xã" in audit.content.decode()


def test_the_edit_page_no_longer_renames(world, as_user):
    client = as_user(world.officer)
    form = client.get(url("node_edit", world.commune)).context["form"]
    assert form.fields["name"].disabled


def test_a_district_officer_dissolves_the_own_district(world, as_user):
    client = as_user(world.officer)
    response = client.post(url("node_dissolve", world.district), {"on": "01/07/2025"})
    assert response.status_code == 302
    world.commune.refresh_from_db()
    assert OrganizationNode.objects.get_parent(world.commune) == world.province
    assert OrganizationNode.objects.get(pk=world.district.pk).dissolved_on == D(2025, 7, 1)


def test_a_province_officer_moves_across_districts(world, as_user):
    province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh")
    response = as_user(province_officer).post(
        url("node_move", world.commune), {"new_parent": world.other_district.pk, "on": "01/03/2025"}
    )
    assert response.status_code == 302
    world.commune.refresh_from_db()
    assert OrganizationNode.objects.get_parent(world.commune) == world.other_district
    # The district officer cannot reach across to the other district.
    refused = as_user(world.officer).post(
        url("node_move", world.branch_a),
        {"new_parent": world.other_district.pk, "on": "01/03/2025"},
    )
    assert refused.status_code == 404


def test_merging_a_branch_the_day_its_commune_merged_works(world, as_user):
    target = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, code="X9")
    member = make_member(world.branch_b)
    client = as_user(world.officer)
    day = {"on": "01/07/2025", "document_number": "QĐ-1"}
    assert (
        client.post(url("node_merge", world.commune), {"into": target.pk, **day}).status_code == 302
    )
    response = client.post(url("node_merge", world.branch_b), {"into": world.branch_a.pk, **day})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).branch == world.branch_a
    assert (
        StatusEvent.objects.get(member=member, kind=EventKind.RESTRUCTURED).recorded_by
        == world.officer
    )


def test_split_through_the_page(world, as_user):
    first, second = make_member(world.branch_b), make_member(world.branch_b)
    area = make_area(world.branch_b)
    left = make_node(world.commune, NodeKind.BRANCH, code="X1-B2A")
    right = make_node(world.commune, NodeKind.BRANCH, code="X1-B2B")
    make_node(world.commune, NodeKind.PARTIAL_COMMITTEE, code="X1-DB")
    client = as_user(world.officer)
    # First the receiving organizations, sent by GET: the second step's address keeps them.
    receivers = client.get(url("node_split", world.branch_b))
    offered = set(receivers.context["form"].fields["receivers"].queryset)
    assert offered == {left, right, world.branch_a}  # not a committee beside the branch
    none_ticked = client.get(url("node_split", world.branch_b), {"chosen": "1"})
    assert none_ticked.context["form"].non_field_errors() == [
        "Tick at least one receiving organization, or name one by its code."
    ]
    second_step = f"{url('node_split', world.branch_b)}?receivers={left.pk}&receivers={right.pk}"
    page = client.get(second_step)
    assert {f"members-{first.pk}", f"members-{second.pk}", f"areas-{area.pk}"} <= set(
        page.context["form"].fields
    )
    choices = page.context["form"].fields[f"members-{first.pk}"].choices
    assert [name for pk, name in choices if pk] == [
        f"{left.name} ({left.code})",
        f"{right.name} ({right.code})",
    ]
    data = {
        "on": "01/07/2025",
        "document_number": "QĐ-2",
        f"members-{first.pk}": left.pk,
        f"members-{second.pk}": right.pk,
    }
    missing = client.post(second_step, data)
    assert missing.status_code == 200 and missing.context["form"].errors
    assert Member.objects.get(pk=first.pk).branch == world.branch_b

    data[f"areas-{area.pk}"] = world.branch_a.pk  # not among the receivers chosen
    refused = client.post(second_step, data)
    assert f"areas-{area.pk}" in refused.context["form"].errors
    assert Member.objects.get(pk=first.pk).branch == world.branch_b

    data[f"areas-{area.pk}"] = right.pk
    assert client.post(second_step, data).status_code == 302
    assert Member.objects.get(pk=first.pk).branch == left
    assert Member.objects.get(pk=second.pk).branch == right
    world.branch_b.refresh_from_db()
    assert world.branch_b.dissolved_on == D(2025, 7, 1)


def test_a_split_offers_the_organizations_beside_it(world, as_user):
    """A province's officer splitting a branch is offered that commune's organizations to
    tick, not the province's thousands, and each part only the receivers chosen."""
    province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh")
    make_member(world.branch_b)
    client = as_user(province_officer)
    receivers = client.get(url("node_split", world.branch_b))
    offered = set(receivers.context["form"].fields["receivers"].queryset)
    assert offered == {world.branch_a}
    second_step = {"receivers": world.branch_a.pk, "chosen": "1"}
    with CaptureQueriesContext(connection) as one_member:
        page = client.get(url("node_split", world.branch_b), second_step)
    assert page.content.decode().count("<option") == 2  # the empty choice and branch_a
    for _ in range(5):
        make_member(world.branch_b)
    with CaptureQueriesContext(connection) as six_members:
        page = client.get(url("node_split", world.branch_b), second_step)
    assert page.content.decode().count("<option") == 12
    assert len(six_members) == len(one_member)


def test_a_receiver_elsewhere_is_named_by_its_code_within_the_users_scope(world, as_user):
    member = make_member(world.branch_b)
    far = world.other_branch  # in the other district
    province = as_user(make_user(world.province, RoleKind.OFFICER, username="tinh"))
    chosen = {"others": f" {far.code.lower()} , ", "chosen": "1"}
    page = province.get(url("node_split", world.branch_b), chosen)
    choices = page.context["form"].fields[f"members-{member.pk}"].choices
    assert [name for pk, name in choices if pk] == [f"{far.name} ({far.code})"]
    # The district's officer gets the same answer for a code outside the district as for
    # a code nobody has, and nothing of the organization behind it.
    district = as_user(world.officer)
    for code in (far.code, "KHONG-CO", world.branch_b.code):
        refused = district.get(url("node_split", world.branch_b), {"others": code, "chosen": "1"})
        assert refused.context["form"].errors["others"] == [
            f"No organization of yours outside this one has the code {code.upper()}."
        ]
        assert far.name not in refused.content.decode()


def test_dissolving_names_a_target_per_child(world, as_user):
    target = make_node(
        world.province, NodeKind.COMMUNE_COMMITTEE, "Đảng ủy xã Mới", Sector.COMMUNE, code="XM"
    )
    province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh")
    client = as_user(province_officer)
    page = client.get(url("node_dissolve", world.district))
    field = page.context["form"].fields[f"child-{world.commune.pk}"]
    assert target in field.queryset and world.district not in field.queryset
    assert "Đảng bộ tỉnh" in page.content.decode()  # the default: the organization above

    response = client.post(
        url("node_dissolve", world.district),
        {"on": "01/07/2025", f"child-{world.commune.pk}": target.pk},
    )
    assert response.status_code == 302
    world.commune.refresh_from_db()
    assert OrganizationNode.objects.get_parent(world.commune) == target
    world.district.refresh_from_db()
    assert world.district.dissolved_on == D(2025, 7, 1)


def test_a_child_that_cannot_go_up_must_be_given_a_target(world, as_user):
    """Branches cannot sit under the district: the page does not offer it and asks for a
    target; posted without one, it says so and nothing moves."""
    client = as_user(world.officer)
    page = client.get(url("node_dissolve", world.commune))
    field = page.context["form"].fields[f"child-{world.branch_a.pk}"]
    assert field.required and field.empty_label == "—"
    response = client.post(
        url("node_dissolve", world.commune), {"on": "01/07/2025", f"child-{world.branch_a.pk}": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"child-{world.branch_a.pk}"] == [
        "Choose where it goes: it cannot stand directly under Đảng bộ huyện."
    ]
    assert OrganizationNode.objects.get_parent(world.branch_a) == world.commune
    assert OrganizationNode.objects.get(pk=world.commune.pk).dissolved_on is None


def test_the_dissolution_page_reads_the_targets_once_whatever_the_children(world, as_user):
    """A commune with many branches below: each branch lists the same committees, read
    once, not once per branch."""
    other = make_node(
        world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Khác", Sector.COMMUNE, code="XK"
    )
    client = as_user(world.officer)

    def dissolution_page():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url("node_dissolve", world.commune))
        return page, len(queries)

    _page, before = dissolution_page()
    for n in range(5):
        make_node(world.commune, NodeKind.BRANCH, f"Chi bộ thôn {n}", code=f"CBT{n}")
    page, after = dissolution_page()
    assert after == before
    html = page.content.decode()
    children = OrganizationNode.objects.get_children(world.commune)
    assert len(children) == 7
    for child in children:
        select = html.split(f'name="child-{child.pk}"', 1)[1].split("</select>", 1)[0]
        assert f'<option value="{other.pk}">Đảng bộ xã Khác (XK)</option>' in select


def test_the_merge_page_leaves_behind_what_is_ticked(world, as_user):
    area = make_area(world.branch_b)
    member = make_member(world.branch_b)
    client = as_user(world.officer)
    page = client.get(url("node_merge", world.branch_b))
    assert [v for v, _label in page.context["form"].fields["stays"].choices] == [
        "members",
        "branches",
        "areas",
        "candidates",
        "targets",
    ]
    day = {"into": world.branch_a.pk, "on": "01/07/2025", "document_number": "QĐ-3"}
    refused = client.post(url("node_merge", world.branch_b), {**day, "stays": ["members"]})
    assert refused.status_code == 200 and "need a branch" in str(refused.context["form"].errors)
    assert Member.objects.get(pk=member.pk).branch == world.branch_b

    response = client.post(url("node_merge", world.branch_b), {**day, "stays": ["areas"]})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).branch == world.branch_a
    area.refresh_from_db()
    assert area.branch == world.branch_b  # stays with the ended branch, as chosen


def test_branches_left_out_of_a_merge_go_to_the_organization_above(world, as_user):
    target = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, code="X9")
    client = as_user(world.officer)
    day = {"into": target.pk, "on": "01/07/2025", "document_number": "QĐ-4"}
    refused = client.post(url("node_merge", world.commune), {**day, "stays": ["branches"]})
    # A branch cannot sit under the district: the message is on the page, nothing moved.
    assert refused.status_code == 200
    assert "branch cannot be placed" in str(refused.context["form"].errors)
    assert OrganizationNode.objects.get_parent(world.branch_a) == world.commune


def test_a_merge_into_another_district_is_named_without_a_link_below(world, as_user):
    province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh")
    elsewhere = make_node(world.other_district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã bên")
    response = as_user(province_officer).post(
        url("node_merge", world.commune),
        {"into": elsewhere.pk, "on": "01/07/2025", "document_number": "QĐ-2"},
    )
    assert response.status_code == 302
    # The province's officer follows the merge; the district's sees where it went, but
    # not a link to a page outside the district.
    target, detail = elsewhere.get_absolute_url(), url("node_detail", world.commune)
    assert f'href="{target}"' in as_user(province_officer).get(detail).text
    page = as_user(world.officer).get(detail).text
    assert "Đảng bộ xã bên" in page and target not in page
    assert as_user(world.officer).get(target).status_code == 404
    # Its branches went with it: no figures of this year, its reports of the years it stood.
    assert "Regular meetings in" not in page
    for year in range(2021, 2026):
        assert f'href="{reverse("reports:dashboard", args=["X1", year])}"' in page
    assert reverse("reports:dashboard", args=["X1", 2026]) not in page
    assert (
        as_user(world.officer).get(reverse("reports:dashboard", args=["X1", 2024])).status_code
        == 200
    )
    # Its 2025 report lists the branches it had; they went with it, out of the district.
    report = as_user(world.officer).get(reverse("reports:dashboard", args=["X1", 2025])).text
    assert "Chi bộ thôn 1" in report
    branch_report = reverse("reports:dashboard", args=["X1-B1", 2025])
    assert branch_report not in report
    assert as_user(world.officer).get(branch_report).status_code == 404
