"""Documents before a meeting in the browser: the secretary shares a PDF from the branch's
meetings page, the member opens it from their own page; both pages fit a 390 px phone."""

import datetime

import pytest
from django.utils import timezone

from branches.enums import RoleKind
from branchwork.models import NoticeFileOpening
from members.accounts import open_account
from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
WIDTHS = (390, 1280)


def fits(tab, width) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth") <= width


def test_shared_from_the_meetings_page_and_opened_by_the_member(page, world, tmp_path):  # noqa: F811
    member = make_member(world.branch_a, full_name="Nguyễn Thị Hồng Nhung")
    make_member(world.branch_a, full_name="Phạm Văn Dũng")
    open_account(
        member=member,
        username="dang-vien",
        password="correct-horse-battery",
        node=world.branch_a,
        role=RoleKind.MEMBER,
        started_on=timezone.localdate(),
        by=world.secretary,
    )
    day = timezone.localdate() + datetime.timedelta(days=2)
    log_in(page, "secretary")
    page.goto(f"{page.base_url}/organizations/X1-B1/meetings/")
    page.click("a[href='/organizations/X1-B1/meetings/documents/']")
    page.click("a[href='/organizations/X1-B1/meetings/documents/new/']")
    page.fill("input[name=meeting_date]", day.isoformat())
    page.fill(
        "textarea[name=agenda]",
        "1. Quán triệt Nghị quyết của Đảng ủy xã về phát triển kinh tế - xã hội\n"
        "2. Kiểm điểm nhiệm vụ tháng trước\n3. Phân công đảng viên",
    )
    page.set_input_files(
        "input[name=files]",
        [
            {
                "name": "nghi-quyet-dang-uy-xa-ve-phat-trien-kinh-te-xa-hoi-nam-2026.pdf",
                "mimeType": "application/pdf",
                "buffer": PDF,
            }
        ],
    )
    page.click("form button.primary")
    page.wait_for_selector(".notice-card")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{page.base_url}/organizations/X1-B1/meetings/documents/")
        assert page.locator(".notice-file").count() == 1
        assert fits(page, width)
        page.screenshot(path=str(tmp_path / f"documents-{width}.png"), full_page=True)

    # At phone width: a refused file is named, then a late publication is warned about.
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{page.base_url}/organizations/X1-B1/meetings/documents/new/")
    page.fill("input[name=meeting_date]", timezone.localdate().isoformat())
    page.fill("textarea[name=agenda]", "Sinh hoạt chuyên đề")
    bad = {"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + PDF}
    page.set_input_files("input[name=files]", [bad])
    page.click("form button.primary")
    assert "bao-cao.pdf: tài liệu phải là tệp PDF" in page.locator(".field .error").inner_text()
    assert fits(page, 390)
    page.screenshot(path=str(tmp_path / "refused-390.png"), full_page=True)
    page.set_input_files("input[name=files]", [{**bad, "buffer": PDF}])
    page.click("form button.primary")
    page.wait_for_selector(".notice-card")
    assert "tài liệu phải gửi trước ít nhất 1 ngày" in page.content()
    assert fits(page, 390)
    page.screenshot(path=str(tmp_path / "late-390.png"), full_page=True)

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "vi", "url": page.base_url}])
    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", "dang-vien")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button.primary")
    page.wait_for_url(f"{page.base_url}/me/")
    href = page.locator("#documents a").first.get_attribute("href")
    assert page.evaluate("url => fetch(url).then(r => r.status)", href) == 200
    assert NoticeFileOpening.objects.get().member == member
    assert page.evaluate("url => fetch(url).then(r => r.status)", href) == 200
    assert NoticeFileOpening.objects.count() == 1
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{page.base_url}/me/")
        assert "đã mở" in page.locator("#documents").inner_text()
        assert fits(page, width)
        page.screenshot(path=str(tmp_path / f"member-{width}.png"), full_page=True)
