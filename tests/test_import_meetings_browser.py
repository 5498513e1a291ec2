"""An office brings its minutes book in through the import page: a mistake is shown by
row and column, the corrected file is imported, and the meeting's page shows the book's
figures."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from branchwork.models import Meeting
from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories_imports import xlsx_bytes
from tests.test_import_meetings import TOTALS, totals

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/partyorg-shots"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(tab, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


def upload(tab, path):
    tab.goto(f"{tab.base_url}/imports/")
    tab.select_option("#id_kind", "meeting_totals")
    tab.set_input_files("#id_file", str(path))
    tab.click("form button.primary")


def test_minutes_book_totals_imported_through_the_page(world, page, tmp_path):  # noqa: F811
    log_in(page, "officer")
    book = tmp_path / "so-bien-ban.xlsx"
    book.write_bytes(
        xlsx_bytes(
            [totals([10, 0, 0, 9, 2, 0]), totals([9, 1, 1, 8, 2, 0], day="06/05/2021")], TOTALS
        )
    )
    upload(page, book)
    errors = page.locator("table.errors tbody tr")
    expect(errors).to_have_count(1)
    assert (
        "Có mặt" in errors.first.inner_text()
        and "nhiều hơn số đảng viên" in errors.first.inner_text()
    )
    shot(page, "meeting-totals-rejected")
    assert not Meeting.objects.exists()

    book.write_bytes(
        xlsx_bytes(
            [totals([10, 0, 0, 8, 2, 0]), totals([9, 1, 1, 8, 2, 0], day="06/05/2021")], TOTALS
        )
    )
    upload(page, book)
    with page.expect_navigation():
        page.locator("section.ready button").first.click()
    assert Meeting.objects.count() == 2
    meeting = Meeting.objects.get(date__month=4)
    page.goto(f"{page.base_url}{meeting.get_absolute_url()}")
    assert "80,0%" in page.inner_text("section.figures")
    assert "không có danh sách điểm danh" in page.content()
    shot(page, "meeting-totals-page")
