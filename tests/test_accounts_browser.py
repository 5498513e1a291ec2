"""Signing in, the lockout and passwords on a phone, in a real browser."""

import os
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser import browser, log_in, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts"))
NEW = "mua-xuan-tren-song-hong-2026"


def shoot(page, name):  # noqa: F811
    SHOTS.mkdir(exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def sign_in(page, username, password):  # noqa: F811
    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button.primary")
    page.wait_for_load_state()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_a_user_sees_the_attempts_left_then_when_the_pause_ends(world, page):  # noqa: F811
    sign_in(page, "secretary", "sai-mat-khau")
    expect(page.locator("p.attempts")).to_contain_text("Còn 4 lần thử")
    shoot(page, "login-attempts-left")
    for _ in range(4):
        sign_in(page, "secretary", "sai-mat-khau")
    expect(page.locator("h1")).to_have_text("Tạm dừng đăng nhập")
    expect(page.locator("p.lifts")).to_contain_text("Bạn có thể đăng nhập lại lúc")
    shoot(page, "login-paused")


def test_an_officer_sets_a_password_and_the_user_changes_it(world, page):  # noqa: F811
    log_in(page, "officer")
    page.click(".menu-toggle")  # the account links fold away on a phone
    page.click("header .userbox a[href='/account/users/']")
    page.wait_for_url("**/account/users/")
    shoot(page, "account-list")
    page.click(f"a[href='/account/users/{world.secretary.pk}/password/']")
    page.fill("input[name=new_password1]", NEW)
    page.fill("input[name=new_password2]", NEW + "x")
    page.click("form button.primary")
    expect(page.locator(".field.has-error")).to_have_count(1)
    shoot(page, "account-password")
    page.fill("input[name=new_password1]", NEW)
    page.fill("input[name=new_password2]", NEW)
    page.click("form button.primary")
    page.wait_for_url("**/account/users/")
    assert "Đã đặt mật khẩu mới" in page.locator("ul.messages").inner_text()
    page.click(".menu-toggle")  # the account links fold away on a phone
    page.click("header .userbox button.link >> text=Đăng xuất")
    page.wait_for_url("**/login/")

    log_in(page, "secretary", NEW)
    assert page.locator("header .userbox a[href='/account/users/']").count() == 0
    page.click(".menu-toggle")  # the account links fold away on a phone
    page.click("header .userbox a[href='/account/password/']")
    page.wait_for_url("**/account/password/")
    shoot(page, "password-change")
    page.fill("input[name=old_password]", NEW)
    page.fill("input[name=new_password1]", "dong-song-que-em-2027")
    page.fill("input[name=new_password2]", "dong-song-que-em-2027")
    page.click("form button.primary")
    page.wait_for_url(f"{page.base_url}/")
    assert "Đã đổi mật khẩu" in page.locator("ul.messages").inner_text()
