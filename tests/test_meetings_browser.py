import os
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.meeting_queries import previous_month
from tests.factories import make_member

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
        yield page
        browser.close()


def test_secretary_enters_minutes_with_two_absences(world, live_server, browser_page):
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường", "Phạm Thị Dung", "Hồ Văn Em"]
    members = [make_member(world.branch_a, full_name=name) for name in names]
    page = browser_page
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button.primary")
    page.goto(live_server.url + reverse("branches:meetings", args=["X1-B1"]))
    page.click("text=New minutes")
    day = previous_month(timezone.localdate())[0].replace(day=6)
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=start_time]", "19:30")
    page.fill("input[name=end_time]", "21:15")
    # One tap on a toggle changes a member's attendance.
    page.click(f"label[for=id_att_{members[1].pk}_1]")
    page.fill(f"input[name=why_{members[1].pk}]", "Ốm")
    page.click(f"label[for=id_att_{members[2].pk}_2]")
    page.click("text=Save minutes and attendance")
    page.wait_for_selector("text=The minutes were saved as a draft.")
    assert "60,0%" in page.inner_text(".figure.rate")
    page.goto(live_server.url + reverse("branches:node_detail", args=["X1-B1"]))
    assert page.inner_text(".attendance-rate") == "60,0%"
