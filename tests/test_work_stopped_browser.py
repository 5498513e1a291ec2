"""The page of an import whose process died, as an officer sees it in Vietnamese: no
endless progress bar, the reason, and the two ways on (check again, cancel)."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Member
from partyorg.enums import ImportStatus
from partyorg.imports.files import store_bytes
from reports.enums import ReportStatus
from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories_imports import member_row, xlsx_bytes
from tests.factories_work import members_batch, running_report, stale_heartbeat

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/partyorg-shots"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(on, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        on.set_viewport_size({"width": width, "height": 900})
        on.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


def open_as_officer(page, stopped, reason, name):  # noqa: F811
    """The officer opens the page of stopped work: no endless refresh, the reason shown."""
    log_in(page, "officer")
    page.goto(f"{page.base_url}{stopped.get_absolute_url()}")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert reason in page.inner_text("main")
    shot(page, name)


def test_a_stopped_import_is_checked_again_and_imported(world, page):  # noqa: F811
    content = xlsx_bytes([member_row("10000001"), member_row("10000002")])
    batch = members_batch(
        world.officer,
        file_name="dang-vien.xlsx",
        stored_file=store_bytes("dang-vien.xlsx", content),
        status=ImportStatus.APPLYING,
        rows_total=2,
        heartbeat_at=stale_heartbeat(),
    )
    open_as_officer(page, batch, "Tiến trình đã dừng; chưa nhập dữ liệu nào.", "import-stopped")
    page.click("text=Kiểm tra lại tệp")
    assert "Tệp không có lỗi" in page.inner_text("section.ready")
    page.click("section.ready button")
    expect(page.locator("text=Đã nhập tệp.")).to_have_count(1)
    assert Member.objects.count() == 2


def test_a_stopped_report_file_can_be_cancelled(world, page):  # noqa: F811
    generated = running_report(
        world.district,
        world.officer,
        format="pdf",
        heartbeat_at=timezone.now() - datetime.timedelta(days=1),
    )
    open_as_officer(page, generated, "Tiến trình lập báo cáo đã dừng", "report-file-stopped")
    page.click("#stopped >> text=Hủy")
    generated.refresh_from_db()
    assert generated.status == ReportStatus.CANCELLED
    shot(page, "report-file-cancelled")
