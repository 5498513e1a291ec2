"""The officers page of an organization: its committee with terms, the village roles of
its branch, appointed and ended by its officer, refused outside the subtree."""

import datetime

import pytest
from django.urls import reverse

from branches import forms as branch_forms
from members import positions
from members.enums import PositionRole
from members.models import Position
from tests.factories import make_area, make_member

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def url(node):
    return reverse("members:positions", args=[node.code])


def appoint_data(member, role, start="15/06/2020", **extra):
    return {"member": member.pk, "role": role, "start_date": start, **extra}


def test_the_branch_secretary_appoints_and_ends_terms_with_history(world, as_user):
    an = make_member(world.branch_a, full_name="Nguyễn Văn An")
    binh = make_member(world.branch_a, full_name="Trần Thị Bình")
    area = make_area(world.branch_a, name="Thôn Đông")
    client = as_user(world.secretary)
    data = appoint_data(an, PositionRole.SECRETARY, document_number="12-QĐ/ĐU")
    assert client.post(url(world.branch_a), data).status_code == 302
    data = appoint_data(binh, PositionRole.VILLAGE_HEAD, residential_area=area.pk)
    assert client.post(url(world.branch_a), data).status_code == 302
    secretary = Position.objects.get(role=PositionRole.SECRETARY)
    assert (secretary.node, secretary.member, secretary.document_number) == (
        world.branch_a,
        an,
        "12-QĐ/ĐU",
    )
    head = Position.objects.get(role=PositionRole.VILLAGE_HEAD)
    assert (head.node, head.residential_area) == (None, area)
    page = client.get(url(world.branch_a))
    text = page.content.decode()
    assert "Nguyễn Văn An" in text and "Thôn Đông" in text and "12-QĐ/ĐU" in text
    end = reverse("members:end_position", args=[world.branch_a.code, secretary.pk])
    assert client.post(end, {"on": "01/07/2025"}).status_code == 302
    secretary.refresh_from_db()
    assert secretary.end_date == D(2025, 7, 1)
    assert [r.history_user for r in secretary.history.all()] == [world.secretary] * 2
    assert len(client.get(url(world.branch_a)).context["changes"]) == 3


def test_a_second_secretary_in_the_same_term_is_refused_on_the_form(world, as_user):
    an, binh = make_member(world.branch_a), make_member(world.branch_a, full_name="Trần Bình")
    positions.appoint(an, PositionRole.SECRETARY, node=world.branch_a, start=D(2020, 6, 15))
    client = as_user(world.officer)
    page = client.post(
        url(world.branch_a), appoint_data(binh, PositionRole.SECRETARY, "01/01/2024")
    )
    assert page.status_code == 200
    assert "holds this post" in str(page.context["form"].errors)
    assert Position.objects.count() == 1


def test_a_village_role_needs_a_village_and_a_party_post_none(world, as_user):
    an = make_member(world.branch_a)
    make_area(world.branch_a)
    client = as_user(world.officer)
    page = client.post(url(world.branch_a), appoint_data(an, PositionRole.VILLAGE_HEAD))
    assert page.status_code == 200 and "residential_area" in page.context["form"].errors
    assert not Position.objects.exists()


def test_who_may_see_and_who_may_edit(world, as_user):
    an = make_member(world.branch_a)
    data = appoint_data(an, PositionRole.DEPUTY_SECRETARY)
    # A viewer sees the officers but does not appoint them.
    page = as_user(world.viewer).get(url(world.branch_a))
    assert page.status_code == 200 and page.context["form"] is None
    assert "End term" not in page.content.decode()
    assert as_user(world.viewer).post(url(world.branch_a), data).status_code == 403
    assert as_user(world.secretary).post(url(world.commune), data).status_code == 404
    assert as_user(world.outsider).get(url(world.branch_a)).status_code == 404
    assert as_user(world.outsider).post(url(world.branch_a), data).status_code == 404
    # The district officer records the commune's deputy on its behalf.
    assert as_user(world.officer).post(url(world.commune), data).status_code == 302
    record = Position.history.get()
    assert record.history_user == world.officer and "Đảng bộ xã" in record.history_change_reason
    assert not Position.objects.filter(node=world.branch_a).exists()


def test_a_term_of_another_organization_is_not_ended_here(world, as_user):
    an = make_member(world.branch_b)
    post = positions.appoint(an, PositionRole.SECRETARY, node=world.branch_b, start=D(2020, 1, 1))
    end = reverse("members:end_position", args=[world.branch_a.code, post.pk])
    assert as_user(world.officer).post(end, {"on": "01/07/2025"}).status_code == 404
    post.refresh_from_db()
    assert post.end_date is None


def test_a_holder_who_moved_out_of_the_users_tree_is_named_without_a_link(world, as_user):
    stayed = make_member(world.branch_a, full_name="Lê Văn Ở")
    moved = make_member(world.other_branch, full_name="Trần Thị Đi")
    for member, role, end in (
        (stayed, PositionRole.SECRETARY, None),
        (moved, PositionRole.DEPUTY_SECRETARY, D(2024, 6, 30)),
    ):
        Position.objects.create(
            member=member, node=world.branch_a, role=role, start_date=D(2020, 6, 15), end_date=end
        )
    page = as_user(world.officer).get(url(world.branch_a)).content.decode()
    assert f'href="{stayed.get_absolute_url()}"' in page
    assert "Trần Thị Đi" in page and moved.get_absolute_url() not in page
    assert as_user(world.officer).get(moved.get_absolute_url()).status_code == 404


def test_an_organization_with_too_many_members_to_list_takes_the_member_number(
    world, as_user, monkeypatch
):
    """A province's officers page listed its 150,000 members; above the list's limit the
    member is typed by number, spaces around it ignored."""
    an = make_member(world.branch_a, full_name="Nguyễn Văn An", member_number="ab-12")
    outside = make_member(world.other_branch, member_number="OUT-1")
    client = as_user(world.officer)
    assert f'<option value="{an.pk}">' in client.get(url(world.district)).content.decode()

    monkeypatch.setattr(branch_forms, "CHOICES_LISTED", 0)
    page = client.get(url(world.district)).content.decode()
    assert "Nguyễn Văn An" not in page
    assert "Too many members to list: type the member number." in page
    for number in (outside.member_number, "NO-SUCH"):
        refused = client.post(
            url(world.district), appoint_data(an, PositionRole.SECRETARY) | {"member": number}
        )
        assert refused.context["form"].errors["member"] == [
            "No active member of this organization has this number."
        ]
    assert not Position.objects.exists()
    data = appoint_data(an, PositionRole.SECRETARY) | {"member": " ab-12 "}
    assert client.post(url(world.district), data).status_code == 302
    assert Position.objects.get().member == an
