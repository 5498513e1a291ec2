"""The audit page and a refused second save of the minutes, in a real browser."""

import os
from pathlib import Path

import pytest

from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories import make_member
from tests.factories_security import inside_and_outside

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts"))


def shoot(page, name):  # noqa: F811
    SHOTS.mkdir(exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


def test_officer_reads_the_audit_trail_and_filters_it(world, page):  # noqa: F811
    inside_and_outside(world)
    member = make_member(world.branch_a, full_name="Trịnh Văn Sửa")
    member.residence = "Tổ 4"
    member.save()
    log_in(page, "officer")
    page.click("nav.mainnav a[href='/audit/']")
    page.wait_for_url("**/audit/")
    assert page.locator("table.audit tbody tr").count() > 5
    assert "Ngoài" not in page.content()
    shoot(page, "audit")
    page.select_option("select[name=kind]", "member")
    page.click("form.filters button")
    page.wait_for_url("**/audit/?kind=member*")
    rows = page.locator("table.audit tbody tr")
    assert "Trịnh Văn Sửa" in rows.first.inner_text()
    page.click("table.audit tbody tr >> nth=0 >> a")
    page.wait_for_url(f"**{member.get_absolute_url()}")


def test_second_save_of_open_minutes_shows_the_message(world, browser, live_server):  # noqa: F811
    inside, _outside = inside_and_outside(world)
    contexts = []
    pages = []
    for username in ("officer", "secretary"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
        new = context.new_page()
        new.base_url = live_server.url
        log_in(new, username)
        new.goto(f"{live_server.url}{inside.meeting.get_absolute_url()}edit/")
        contexts.append(context)
        pages.append(new)
    first, second = pages
    first.fill("textarea[name=conclusion]", "Bản của cán bộ huyện")
    first.click("form.minutes-form button.primary")
    first.wait_for_url(f"**{inside.meeting.get_absolute_url()}")
    second.fill("textarea[name=conclusion]", "Bản của bí thư")
    second.click("form.minutes-form button.primary")
    second.wait_for_selector(".errorbox")
    shoot(second, "minutes-stale")
    inside.meeting.refresh_from_db()
    assert inside.meeting.conclusion == "Bản của cán bộ huyện"
    for context in contexts:
        context.close()
