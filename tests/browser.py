"""Playwright driving Debian's chromium against pytest-django's live server.

Import the fixtures into a test module with `from tests.browser import browser, page  # noqa`.
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
# How long an action or a wait may take before the test fails. A bound, not a measure of
# speed: on a busy 2-core CI machine a page that renders a PDF or a province's figures
# has taken more than 15 s, and the test failed though nothing was wrong.
PAGE_TIMEOUT_MS = 60_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (REQUIRE_BROWSER=1) but not installed")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=PAGE_TIMEOUT_MS)

    # Playwright runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    # Tests run with English as the default language; the browser sees what users see.
    context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.base_url = live_server.url
    yield page
    context.close()


def log_in(page, username, password="correct-horse-battery"):
    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button.primary")
    page.wait_for_url(f"{page.base_url}/")
