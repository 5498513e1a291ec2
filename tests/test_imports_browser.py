import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from members.models import Member
from partyorg.models import ImportBatch
from tests.browser import PAGE_TIMEOUT_MS, browser  # noqa: F401
from tests.factories_imports import member_row, xlsx_bytes

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/partyorg-shots"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):  # noqa: F811
    """The import page as an office sees it on a desk, in English."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_upload_fix_and_import(world, live_server, page, tmp_path):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button.btn.primary")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/imports/")
    shot(page, "imports-index")

    bad = tmp_path / "dang-vien.xlsx"
    bad.write_bytes(
        xlsx_bytes([member_row("10000001"), member_row("10000002", **{"Ngày sinh": "32/13/1980"})])
    )
    page.select_option("#id_kind", "members")
    page.set_input_files("#id_file", str(bad))
    page.click("text=Check the file")
    errors = page.locator("table.errors tbody tr")
    expect(errors).to_have_count(1)
    assert "Ngày sinh" in errors.first.inner_text() and "32/13/1980" in errors.first.inner_text()
    assert page.locator("text=Import now").count() == 0
    shot(page, "imports-rejected")
    assert not Member.objects.exists()

    page.click("text=Upload a corrected file")
    bad.write_bytes(
        xlsx_bytes([member_row("10000001"), member_row("10000002", **{"Ngày sinh": "12/03/1980"})])
    )
    page.select_option("#id_kind", "members")
    page.set_input_files("#id_file", str(bad))
    page.click("text=Check the file")
    assert "no errors" in page.inner_text("section.ready")
    shot(page, "imports-checked")
    page.click("text=Import now")
    expect(page.locator("text=The file was imported.")).to_have_count(1)
    shot(page, "imports-applied")
    assert Member.objects.count() == 2

    page.goto(f"{live_server.url}/members/10000002/")
    assert ImportBatch.objects.latest("pk").label in page.content()
    page.goto(f"{live_server.url}/members/")
    shot(page, "member-list-export")
