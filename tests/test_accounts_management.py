"""Officers open accounts for the members of their subtree, give and end roles, and a
role ends when its person leaves the party or its node is merged away."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from branches import accounts
from branches.enums import RoleKind
from branches.models import PasswordChange, UserRole
from branches.queries import role_of
from branchwork.meeting_forms import guest_choices
from members import lifecycle, restructuring
from members.models import PersonAccount
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PASSWORD = "mot-mat-khau-du-dai-2026"


@pytest.fixture
def member(world):
    return make_member(world.branch_a, full_name="Nguyễn Thị Thu")


def _open(client, member, **overrides):
    data = {
        "member_number": member.member_number,
        "username": "thu.bithu",
        "role": RoleKind.SECRETARY,
        "node": member.branch.code,
        "started_on": TODAY.strftime("%d/%m/%Y"),
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post(reverse("account_create"), data)


def test_an_officer_opens_an_account_for_a_member_of_the_subtree(world, member, client):
    client.force_login(world.officer)
    response = _open(client, member)
    assert response.status_code == 302
    account = get_user_model().objects.get(username="thu.bithu")
    assert account.get_full_name() == "Nguyễn Thị Thu"
    assert PersonAccount.objects.get(account=account).member == member
    role = role_of(account)
    assert (role.node, role.role, role.started_on) == (world.branch_a, RoleKind.SECRETARY, TODAY)
    assert role.history.get().history_user == world.officer
    assert PasswordChange.objects.get(account=account).changed_by == world.officer
    assert account.check_password(PASSWORD)
    listing = client.get(reverse("account_list")).content.decode()
    assert "Nguyễn Thị Thu" in listing


def test_bad_account_input_changes_nothing_and_says_why(world, member, client):
    client.force_login(world.officer)
    outside = make_member(world.other_branch, full_name="Ngoài Văn Xa")
    cases = [
        ({"node": world.other_branch.code}, "node"),  # beside the officer's node
        ({"node": world.province.code}, "node"),  # above it
        ({"member_number": outside.member_number}, "member_number"),
        ({"password2": "khac-hoan-toan-2026"}, "password2"),
        ({"node": world.commune.code}, "role"),  # a secretary's role on a committee
    ]
    for overrides, field in cases:
        response = _open(client, member, **overrides)
        assert response.status_code == 200, overrides
        assert field in response.context["form"].errors, (
            overrides,
            response.context["form"].errors,
        )
    assert not get_user_model().objects.filter(username="thu.bithu").exists()
    assert not PersonAccount.objects.exists()


def test_only_officers_manage_accounts_and_only_in_their_subtree(world, client):
    # A secretary opens members' own accounts (tests/test_member_page.py), nothing more.
    client.force_login(world.secretary)
    assert client.get(reverse("account_list")).status_code == 403
    client.force_login(world.viewer)
    assert client.get(reverse("account_create")).status_code == 403
    client.force_login(world.officer)
    other = make_user(world.other_branch, RoleKind.SECRETARY, username="ngoai")
    assert client.get(reverse("account_role", args=[other.pk])).status_code == 404
    # Nobody gives themselves a role.
    assert client.get(reverse("account_role", args=[world.officer.pk])).status_code == 404
    with pytest.raises(ValidationError):
        accounts.give_role(
            world.officer,
            node=world.province,
            role=RoleKind.OFFICER,
            started_on=TODAY,
            by=world.officer,
        )
    assert role_of(world.officer).node == world.district


def test_a_role_given_anew_and_ended_keeps_its_history(world, client):
    client.force_login(world.officer)
    url = reverse("account_role", args=[world.secretary.pk])
    response = client.post(
        url,
        {
            "role": RoleKind.OFFICER,
            "node": world.commune.code,
            "started_on": TODAY.strftime("%d/%m/%Y"),
            "give": "",
        },
    )
    assert response.status_code == 302
    role = role_of(get_user_model().objects.get(pk=world.secretary.pk))
    assert (role.node, role.role) == (world.commune, RoleKind.OFFICER)
    response = client.post(url, {"on": TODAY.strftime("%d/%m/%Y"), "end": ""})
    assert response.status_code == 302
    assert role_of(get_user_model().objects.get(pk=world.secretary.pk)) is None
    client.force_login(world.secretary)
    assert client.get(world.branch_a.get_absolute_url()).status_code == 404
    history = UserRole.objects.get(user=world.secretary).history.order_by("history_date")
    assert [(row.node_id, row.ended_on) for row in history] == [
        (world.branch_a.pk, None),
        (world.commune.pk, None),
        (world.commune.pk, TODAY),
    ]
    assert {row.history_user for row in history[1:]} == {world.officer}
    client.force_login(world.officer)
    page = client.get(url).content.decode()
    assert world.commune.name in page and TODAY.strftime("%d/%m/%Y") in page


def test_a_role_ends_when_its_member_leaves_the_party(world, member, client):
    client.force_login(world.officer)
    assert _open(client, member).status_code == 302
    account = get_user_model().objects.get(username="thu.bithu")
    lifecycle.record_exit(
        member, kind="deceased", on=TODAY, document_number="1-TB", by=world.officer
    )
    account.refresh_from_db()
    assert account.party_role.ended_on == TODAY
    assert role_of(account) is None


def test_a_role_ends_when_its_node_is_merged_away(world):
    restructuring.merge_nodes([world.branch_a], into=world.branch_b, on=TODAY, by=world.officer)
    world.secretary.refresh_from_db()
    assert world.secretary.party_role.ended_on == TODAY
    assert role_of(world.secretary) is None
    assert role_of(world.officer) is not None


def test_meeting_guests_are_named_as_their_member_record_and_hold_a_role(world, client):
    district_member = make_member(world.branch_b, full_name="Trần Quang Huy")
    client.force_login(world.officer)
    other_officer = make_user(world.district, RoleKind.OFFICER, username="u3")
    data = {
        "member_number": district_member.member_number,
        "username": "huy.huyenuy",
        "role": RoleKind.OFFICER,
        "node": world.district.code,
        "started_on": TODAY.strftime("%d/%m/%Y"),
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    assert client.post(reverse("account_create"), data).status_code == 302
    accounts.end_role(other_officer, on=TODAY, by=world.officer)
    labels = [label for _key, label in guest_choices(world.branch_a)]
    assert any(label.startswith("Trần Quang Huy — ") for label in labels), labels
    assert not any(label.startswith("u3") for label in labels), labels
