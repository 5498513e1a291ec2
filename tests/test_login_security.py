import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_account_locks_after_repeated_failures(world, client):
    for _ in range(3):
        log_in(client, "officer", "wrong-password")
    response = log_in(client, "officer")  # the right password, too late
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_officer_turns_on_two_factor_and_must_use_it(world, client):
    assert log_in(client, "officer").status_code == 302
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.officer)
    assert not device.confirmed

    bad = client.post(reverse("two_factor_setup"), {"token": "000000"})
    assert bad.status_code == 200 and bad.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed

    assert client.post(reverse("two_factor_setup"), {"token": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    client.post(reverse("logout"))
    assert log_in(client, "officer").status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("two_factor_verify"))
    # A code is accepted once per 30-second window; start the next window without waiting.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    wrong = client.post(reverse("two_factor_verify"), {"token": "123456", "next": "/"})
    assert wrong.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    response = client.post(reverse("two_factor_verify"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200

    assert client.post(reverse("two_factor_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.officer).exists()
    assert client.get(reverse("home")).status_code == 200


def test_secretary_cannot_turn_on_two_factor(world, as_user):
    assert as_user(world.secretary).get(reverse("two_factor_setup")).status_code == 403


def test_session_ends_with_the_browser_and_after_working_hours(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
