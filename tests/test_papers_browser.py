"""An officer files the district's annual report in the browser: writes the assessment,
saves the draft, issues it signed by the secretary, and finds it in the register."""

import pytest

from papers.models import Document
from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories_reports import YEAR
from tests.test_papers_annual import district  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_files_the_annual_report(page, district, world):  # noqa: F811
    log_in(page, "officer")
    page.goto(f"{page.base_url}/reports/H1/{YEAR}/")
    page.click("#downloads >> text=Báo cáo năm để ban hành")
    page.fill("#id_strengths", "Chi bộ duy trì sinh hoạt đều đặn.")
    page.fill("#id_proposals", "Đề nghị mở lớp bồi dưỡng nhận thức về Đảng.")
    page.click("#assessment button.primary")
    page.wait_for_selector("text=Đã lưu dự thảo.")
    assert page.locator("#id_signer option:checked").inner_text().startswith("Hồ Văn Quý")
    page.fill("#id_issued_on", "2026-01-10")
    page.click("#issue button.primary")
    page.wait_for_selector("text=Đã ban hành Báo cáo số 01-BC/HU.")
    assert "không có gì cần điều chỉnh" in page.locator("#revision").inner_text()

    page.click("text=Sổ đăng ký văn bản")
    page.wait_for_url(f"{page.base_url}/documents/H1/register/2026/")
    row = page.locator("#register tbody tr").first.inner_text()
    assert "01-BC/HU" in row and "Hồ Văn Quý" in row and "Báo cáo" in row
    report = Document.objects.get()
    assert report.proposals == "Đề nghị mở lớp bồi dưỡng nhận thức về Đảng."
    assert report.snapshot["assessment"][4]["paragraphs"] == [report.proposals]
