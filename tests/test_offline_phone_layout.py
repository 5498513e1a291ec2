"""The secretary's pages on a 390 px phone: a header of one line that names who is signed
in, its menu behind a button, and wide sheets shown as cards rather than scrolled sideways."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partyorg.enums import ImportKind
from partyorg.models import ImportBatch
from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Widths wider than the page: what a phone would have to scroll sideways to read.
WIDER_THAN_THE_SCREEN = """selector => [...document.querySelectorAll(selector)]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .length"""


def test_the_header_is_one_line_naming_the_secretary(world, page):  # noqa: F811
    # As members/accounts.py names an account: the member's full name.
    world.secretary.first_name = "Dương Kim Chi"
    world.secretary.save()
    log_in(page, "secretary")
    header = page.locator("header.topbar")
    assert header.bounding_box()["height"] < 844 / 10
    assert "Dương Kim Chi" in page.locator(".topbar .who").inner_text()
    nav = page.locator(".mainnav")
    assert not nav.is_visible()

    page.click(".menu-toggle")
    assert nav.is_visible()
    assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    with page.expect_navigation():
        nav.locator(f"a[href='{reverse('members:list')}']").click()
    assert page.url.endswith(reverse("members:list"))


def test_wide_sheets_become_cards(world, page):  # noqa: F811
    for name in ["Nguyễn Văn An", "Trần Thị Bình"]:
        make_member(world.branch_a, full_name=name)
    ImportBatch.objects.create(
        kind=ImportKind.MEMBERS,
        file_name="dang-vien-chi-bo-thon-1-thang-11-nam-2026.xlsx",
        stored_file="x",
        user=world.secretary,
        rows_total=2,
    )
    today = timezone.localdate()
    log_in(page, "secretary")
    pages = [
        reverse("record_work:dues_sheet", args=["X1-B1", today.year, today.month]),
        reverse("record_work:evaluation_members", args=["X1-B1", today.year - 1]),
        reverse("imports:index"),
    ]
    for url in pages:
        page.goto(page.base_url + url)
        rows = page.locator("table.stack tbody tr")
        assert rows.count() >= 1, url
        assert page.evaluate(WIDER_THAN_THE_SCREEN, "table.stack td, table.stack input") == 0
        assert not page.locator("table.stack thead").is_visible(), url
        # Every value keeps its label next to it.
        first = rows.first.locator("td[data-label]").first
        label = first.get_attribute("data-label")
        before = page.evaluate(
            "e => getComputedStyle(e, '::before').content", first.element_handle()
        )
        assert label in before, url
