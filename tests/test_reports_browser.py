import pytest
from playwright.sync_api import expect

from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories_reports import YEAR, build_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_charts_render_under_the_csp(page, world, tmp_path):  # noqa: F811
    build_district(world)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None)
    log_in(page, "officer")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{page.base_url}/reports/H1/{YEAR}/")
        assert page.locator(".chart img").count() == 4
        widths = page.evaluate(
            "Array.from(document.querySelectorAll('.chart img')).map(i => i.naturalWidth)"
        )
        assert all(w > 0 for w in widths)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"dashboard-{width}.png"), full_page=True)
    assert problems == []
    # Drill down into a child, then to the members behind a figure.
    page.click("a[href='/reports/X1/2025/']")
    page.wait_for_url(f"{page.base_url}/reports/X1/{YEAR}/")
    page.click("a[href='/reports/X1/2025/members/women/']")
    page.wait_for_url(f"{page.base_url}/reports/X1/{YEAR}/members/women/")
    expect(page.locator("table tbody tr")).to_have_count(1)
