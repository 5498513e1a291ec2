"""Passwords: users change their own; officers and superusers set a new one for the users
of their subtree, recorded with who and when."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from branches.enums import RoleKind
from branches.models import PasswordChange
from members.accounts import open_account
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW = "mua-xuan-tren-song-hong-2026"


def signed_in(user, password=PASSWORD) -> Client:
    """A client signed in through the login page, as a real session."""
    client = Client()
    assert (
        client.post(reverse("login"), {"username": user.username, "password": password}).status_code
        == 302
    )
    return client


def new_password(client, account, password=NEW):
    return client.post(
        reverse("account_password", args=[account.pk]),
        {"new_password1": password, "new_password2": password},
    )


def test_a_user_changes_their_own_password(world):
    client = signed_in(world.secretary)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert 'class="topbar"' in page.content.decode()

    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    assert not PasswordChange.objects.exists()

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    world.secretary.refresh_from_db()
    assert world.secretary.check_password(NEW)
    assert client.get(reverse("home")).status_code == 200  # still signed in
    change = PasswordChange.objects.get()
    assert (change.account, change.changed_by, change.node) == (
        world.secretary,
        world.secretary,
        world.branch_a,
    )
    assert change.history.get().history_user == world.secretary


def test_a_weak_new_password_is_refused(world):
    client = signed_in(world.secretary)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors
    world.secretary.refresh_from_db()
    assert world.secretary.check_password(PASSWORD)


def test_the_password_page_in_vietnamese(world):
    client = signed_in(world.secretary)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("password_change")).content.decode()
    assert "Đổi mật khẩu" in page and "Mật khẩu cũ" in page


def test_an_officer_sets_a_new_password_for_a_user_of_the_subtree(world):
    secretary_session = signed_in(world.secretary)
    officer = signed_in(world.officer)

    listing = officer.get(reverse("account_list"))
    assert listing.status_code == 200
    listed = {account.username for account in listing.context["page"]}
    assert listed == {"viewer", "secretary"}  # not the officer, not the other district

    assert officer.get(reverse("account_password", args=[world.secretary.pk])).status_code == 200
    response = new_password(officer, world.secretary)
    assert response.status_code == 302 and response["Location"] == reverse("account_list")

    world.secretary.refresh_from_db()
    assert world.secretary.check_password(NEW)
    change = PasswordChange.objects.get()
    assert (change.account, change.changed_by, change.node) == (
        world.secretary,
        world.officer,
        world.branch_a,
    )
    record = change.history.get()
    assert record.history_user == world.officer and record.history_type == "+"
    # The secretary's session ended with the old password.
    assert secretary_session.get(reverse("home")).status_code == 302


def test_a_mismatched_new_password_changes_nothing(world, as_user):
    client = as_user(world.officer)
    response = client.post(
        reverse("account_password", args=[world.secretary.pk]),
        {"new_password1": NEW, "new_password2": NEW + "x"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    world.secretary.refresh_from_db()
    assert world.secretary.check_password(PASSWORD)
    assert not PasswordChange.objects.exists()


def test_users_outside_the_subtree_answer_404(world, as_user):
    client = as_user(world.officer)
    for account in (world.other_secretary, world.outsider, world.officer):
        assert client.get(reverse("account_password", args=[account.pk])).status_code == 404
        assert new_password(client, account).status_code == 404
        account.refresh_from_db()
        assert account.check_password(PASSWORD)


def test_an_officer_cannot_reach_a_superusers_account(world, as_user):
    admin = make_user(world.branch_a, RoleKind.OFFICER, username="boss", is_superuser=True)
    client = as_user(world.officer)
    assert new_password(client, admin).status_code == 404
    assert "boss" not in client.get(reverse("account_list")).content.decode()


def test_viewers_and_secretaries_get_403(world, as_user):
    for user in (world.viewer, world.secretary):
        client = as_user(user)
        assert client.get(reverse("account_list")).status_code == 403
        target = world.secretary if user == world.viewer else world.viewer
        if user == world.secretary:
            # The viewer sits above the branch: outside the secretary's subtree.
            assert new_password(client, target).status_code == 404
            target = make_user(world.branch_a, RoleKind.SECRETARY, username="deputy")
        assert client.get(reverse("account_password", args=[target.pk])).status_code == 403
        assert new_password(client, target).status_code == 403
    assert not PasswordChange.objects.exists()


def test_a_superuser_sets_anyones_password(world, as_user):
    admin = get_user_model().objects.create_superuser("root", password="root-password-long")
    client = as_user(admin)
    assert new_password(client, world.other_secretary).status_code == 302
    world.other_secretary.refresh_from_db()
    assert world.other_secretary.check_password(NEW)
    assert PasswordChange.objects.get().changed_by == admin


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_a_new_password_lifts_the_lockout(world, client, as_user):
    def attempt(password):
        return client.post(
            reverse("login"),
            {"username": "secretary", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    for _ in range(5):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 429
    assert new_password(as_user(world.officer), world.secretary).status_code == 302
    client.logout()
    assert attempt(NEW).status_code == 302


def test_the_header_links_to_the_password_pages(world, as_user):
    officer_page = as_user(world.officer).get(reverse("home")).content.decode()
    assert reverse("password_change") in officer_page
    assert reverse("account_list") in officer_page
    secretary_page = as_user(world.secretary).get(reverse("home")).content.decode()
    assert reverse("password_change") in secretary_page
    assert reverse("account_list") not in secretary_page


@pytest.mark.parametrize("extra", [1, 3])
def test_the_user_list_takes_a_fixed_number_of_queries(world, as_user, get_page, extra):
    for number in range(extra):
        make_user(world.commune, RoleKind.VIEWER, username=f"xem{number}")
    client = as_user(world.officer)
    response = get_page(client, 12, reverse("account_list"))
    assert len(response.context["page"]) == 2 + extra


def test_the_user_list_searches_names(world, as_user):
    response = as_user(world.officer).get(reverse("account_list"), {"q": "secre"})
    assert [account.username for account in response.context["page"]] == ["secretary"]


def test_an_officer_cannot_take_over_a_fellow_officers_account(world, as_user):
    """Two officers of the same committee: neither sets the other's password nor role (one
    could then sign in and act as the other); officers of the committees below, yes."""
    fellow = make_user(world.district, RoleKind.OFFICER, username="fellow")
    below = make_user(world.commune, RoleKind.OFFICER, username="below")
    client = as_user(world.officer)
    assert new_password(client, fellow).status_code == 403
    assert client.get(reverse("account_role", args=[fellow.pk])).status_code == 403
    listed = {account.username for account in client.get(reverse("account_list")).context["page"]}
    assert "fellow" not in listed and "below" in listed
    fellow.refresh_from_db()
    assert fellow.check_password(PASSWORD)
    assert new_password(client, below).status_code == 302
    assert PasswordChange.objects.get().account == below


def test_a_secretary_sets_a_new_password_for_a_members_own_account(world, as_user):
    """Members forget passwords and ask their branch: the secretary sets a new one from the
    member's page; another branch's member account stays out of reach, and roles stay the
    officers' to give."""
    member = make_member(world.branch_a)
    account = open_account(
        member=member,
        username="dang.vien",
        password=PASSWORD,
        node=world.branch_a,
        role=RoleKind.MEMBER,
        started_on=datetime.date(2026, 1, 5),
        by=world.officer,
    )
    other = make_member(world.branch_b)
    other_account = open_account(
        member=other,
        username="dang.vien.b",
        password=PASSWORD,
        node=world.branch_b,
        role=RoleKind.MEMBER,
        started_on=datetime.date(2026, 1, 5),
        by=world.officer,
    )
    client = as_user(world.secretary)
    page = client.get(member.get_absolute_url()).content.decode()
    assert reverse("account_password", args=[account.pk]) in page

    response = new_password(client, account)
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    account.refresh_from_db()
    assert account.check_password(NEW)
    change = PasswordChange.objects.get(changed_by=world.secretary)
    assert change.account == account

    assert new_password(client, other_account).status_code == 404
    assert client.get(reverse("account_role", args=[account.pk])).status_code == 403
    assert client.get(reverse("account_list")).status_code == 403
    other_account.refresh_from_db()
    assert other_account.check_password(PASSWORD)
