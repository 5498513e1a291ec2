"""The audit page and refused second saves (minutes, a dues sheet), in a real browser."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from branchwork import dues
from branchwork.models import Dues
from members.enums import Occupation
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
    page.click(".menu-toggle")  # the navigation folds away on a phone
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


def two_people(browser, live_server, url):  # noqa: F811
    """The officer and the secretary, each in a browser of their own, on page `url`."""
    contexts, pages = [], []
    for username in ("officer", "secretary"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
        new = context.new_page()
        new.base_url = live_server.url
        log_in(new, username)
        new.goto(f"{live_server.url}{url}")
        contexts.append(context)
        pages.append(new)
    return contexts, pages


def test_second_save_of_open_minutes_shows_the_message(world, browser, live_server):  # noqa: F811
    inside, _outside = inside_and_outside(world)
    url = f"{inside.meeting.get_absolute_url()}edit/"
    contexts, (first, second) = two_people(browser, live_server, url)
    first.fill("textarea[name=conclusion]", "Bản của cán bộ huyện")
    first.click("form.minutes-form button.primary")
    first.wait_for_url(f"**{inside.meeting.get_absolute_url()}")
    second.fill("textarea[name=conclusion]", "Bản của bí thư")
    second.click("form.minutes-form button.primary")
    second.wait_for_selector(".errorbox")
    shoot(second, "minutes-stale")
    assert re.search(r"đã được officer sửa lúc \d\d:\d\d", second.inner_text(".errorbox"))
    assert second.input_value("textarea[name=conclusion]") == "Bản của bí thư"
    inside.meeting.refresh_from_db()
    assert inside.meeting.conclusion == "Bản của cán bộ huyện"
    # Having seen the message, the secretary saves again: their text replaces the other.
    second.click("form.minutes-form button.primary")
    second.wait_for_url(f"**{inside.meeting.get_absolute_url()}")
    inside.meeting.refresh_from_db()
    assert inside.meeting.conclusion == "Bản của bí thư"
    for context in contexts:
        context.close()


def test_stale_row_of_a_dues_sheet_is_marked_and_the_input_kept(world, browser, live_server):  # noqa: F811
    one = make_member(world.branch_a, full_name="Sinh Viên Một", occupation=Occupation.STUDENT)
    two = make_member(world.branch_a, full_name="Sinh Viên Hai", occupation=Occupation.STUDENT)
    today = timezone.localdate()
    _rule, rows = dues.sheet(world.branch_a, today.year, today.month)
    dues.save_sheet(branch=world.branch_a, year=today.year, month=today.month, rows=rows)
    url = f"/members/dues/{world.branch_a.code}/{today.year}/{today.month}/"
    contexts, (first, second) = two_people(browser, live_server, url)
    first.fill(f"input[name=m{one.pk}-extra]", "5000")
    first.click("form button.primary")
    first.wait_for_selector("ul.messages")
    paid = today.strftime("%d/%m/%Y")
    second.fill(f"input[name=m{two.pk}-paid_on]", paid)
    second.click("form button.primary")
    second.wait_for_selector("tr.has-error")
    row = second.locator("tr.has-error").inner_text()
    assert "Sinh Viên Một" in row
    assert re.search(r"Đã được officer sửa lúc \d\d:\d\d", row), row
    assert second.input_value(f"input[name=m{two.pk}-paid_on]") == paid
    assert not Dues.objects.filter(paid_on__isnull=False).exists()
    for context in contexts:
        context.close()
