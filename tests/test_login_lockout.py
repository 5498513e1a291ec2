"""Login lockout behind the documented nginx: failures count per user name and client
address together, the address is the one nginx forwards, and the pages say how many
attempts are left and when a lock lifts."""

import datetime
import zoneinfo

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from partyorg.client_address import client_address_lookup

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
OFFICE = "203.0.113.5"
HOME = "198.51.100.7"
NGINX = "127.0.0.1"

axes_on = override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)


def through_nginx(client, address, username, password=PASSWORD, **extra):
    """A login POST as deploy/nginx/partyorg.conf passes it on: from nginx's own address,
    with the client's address in X-Forwarded-For."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=address,
        **extra,
    )


@axes_on
def test_failures_for_unknown_names_do_not_lock_out_the_office(world, client):
    for number in range(5):
        through_nginx(client, OFFICE, f"nobody{number}", "wrong")
    for _ in range(5):
        through_nginx(client, OFFICE, "ghost", "wrong")

    response = through_nginx(client, OFFICE, "officer")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.officer.pk)


@axes_on
def test_failures_for_a_user_lock_that_user_at_that_address_only(world, client):
    for _ in range(4):
        assert through_nginx(client, OFFICE, "officer", "wrong").status_code == 200
    fifth = through_nginx(client, OFFICE, "officer", "wrong")
    assert fifth.status_code == 429

    right_password = through_nginx(client, OFFICE, "officer")
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session
    # The others in the office sign in as usual.
    assert through_nginx(client, OFFICE, "viewer").status_code == 302
    client.logout()
    # The same user from another address is not locked: the lock is on the pair.
    assert through_nginx(client, HOME, "officer").status_code == 302


@axes_on
def test_the_lockout_page_says_when_the_lock_lifts_in_local_time(world, client):
    for _ in range(5):
        response = through_nginx(client, OFFICE, "officer", "wrong")
    attempt = AccessAttempt.objects.get(username="officer", ip_address=OFFICE)
    lifts = (attempt.attempt_time + datetime.timedelta(hours=1)).astimezone(
        zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    )
    page = response.content.decode()
    assert response.status_code == 429
    assert f"{lifts:%H:%M}" in page and f"{lifts:%d/%m/%Y}" in page
    assert 'class="topbar"' in page  # the site's layout, not axes' bare sentence
    assert "Sign-in is paused" in page

    # Trying again while locked does not push the time back.
    later = through_nginx(client, OFFICE, "officer")
    assert f"{lifts:%H:%M}" in later.content.decode()
    assert AccessAttempt.objects.get(pk=attempt.pk).attempt_time == attempt.attempt_time


@axes_on
def test_the_lockout_page_in_vietnamese(world, client):
    client.cookies["django_language"] = "vi"
    for _ in range(5):
        response = through_nginx(client, OFFICE, "officer", "wrong")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Tạm dừng đăng nhập" in page
    assert "Bạn có thể đăng nhập lại lúc" in page


@axes_on
def test_the_lock_lifts_after_an_hour(world, client):
    for _ in range(5):
        through_nginx(client, OFFICE, "officer", "wrong")
    assert through_nginx(client, OFFICE, "officer").status_code == 429
    an_hour_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=61)
    AccessAttempt.objects.filter(username="officer").update(attempt_time=an_hour_ago)
    assert through_nginx(client, OFFICE, "officer").status_code == 302


@axes_on
def test_the_login_page_says_how_many_attempts_are_left(world, client):
    first = through_nginx(client, OFFICE, "officer", "wrong")
    assert first.status_code == 200
    assert "4 attempts left" in first.content.decode()
    through_nginx(client, OFFICE, "officer", "wrong")
    through_nginx(client, OFFICE, "officer", "wrong")
    fourth = through_nginx(client, OFFICE, "officer", "wrong")
    assert "1 attempt left" in fourth.content.decode()

    client.cookies["django_language"] = "vi"
    unknown = through_nginx(client, OFFICE, "nobody", "wrong")
    assert "Còn 4 lần thử" in unknown.content.decode()


@axes_on
def test_no_count_before_a_failed_attempt(world, client):
    assert "attempt" not in client.get(reverse("login")).content.decode()


@axes_on
def test_a_forged_address_chain_is_not_trusted(world, client):
    """nginx replaces X-Forwarded-For with one address; a longer chain did not come from
    it, so the connection's own address counts and the forger locks only itself."""
    for number in range(5):
        through_nginx(client, f"10.9.9.{number}, {OFFICE}", "officer", "wrong")
    assert through_nginx(client, "10.9.9.77, 10.9.9.78", "officer").status_code == 429
    assert through_nginx(client, OFFICE, "officer").status_code == 302


def test_client_address_lookup_follows_the_number_of_proxies():
    assert client_address_lookup(0, "X-Forwarded-For") == (("REMOTE_ADDR",), None)
    assert client_address_lookup(1, "X-Forwarded-For") == (
        ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        0,
    )
    assert client_address_lookup(2, "x-real-ip") == (("HTTP_X_REAL_IP", "REMOTE_ADDR"), 1)
    with pytest.raises(ImproperlyConfigured):
        client_address_lookup(-1, "X-Forwarded-For")
    with pytest.raises(ImproperlyConfigured):
        client_address_lookup(1, "")


@axes_on
def test_without_a_proxy_the_forwarded_header_is_ignored(world, client):
    precedence, count = client_address_lookup(0, "X-Forwarded-For")
    with override_settings(
        AXES_IPWARE_META_PRECEDENCE_ORDER=precedence, AXES_IPWARE_PROXY_COUNT=count
    ):
        for number in range(5):
            through_nginx(client, f"192.0.2.{number}", "officer", "wrong")
        assert through_nginx(client, HOME, "officer").status_code == 429


def test_nginx_forwards_exactly_the_client_address():
    """The app trusts one forwarded address (REVERSE_PROXY_COUNT=1): nginx must replace
    the header rather than append to what the client sent."""
    conf = (settings.BASE_DIR / "deploy" / "nginx" / "partyorg.conf").read_text()
    directives = [line.strip() for line in conf.splitlines() if "X-Forwarded-For" in line]
    directives = [line for line in directives if not line.startswith("#")]
    assert directives == ["proxy_set_header X-Forwarded-For $remote_addr;"]
