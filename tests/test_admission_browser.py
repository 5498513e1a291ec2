"""A candidate walked from identified to probationary member through the pages."""

import os
import shutil

import pytest
from django.db import connections

from admission.enums import Stage
from admission.models import Candidate
from members.enums import MemberStatus
from tests.browser import CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS
from tests.factories_admission import make_officials

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        yield page
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def submit(page, fields: dict, selects: dict | None = None):
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    for name, value in (selects or {}).items():
        page.select_option(f"select[name={name}]", value)
    with page.expect_navigation():
        page.click("form.form-grid button.primary")


def step(page, name):
    with page.expect_navigation():
        page.click(f".actions a[href$='/{name}/']")


def test_candidate_walks_to_probationary_member(transactional_db, live_server, world, browser_page):
    page = browser_page
    first, second, _third = make_officials(world.branch_a, 3)
    world.officer.set_password("correct-horse-battery")
    world.officer.save()

    page.goto(f"{live_server.url}/login/")
    submit_login = {"username": "officer", "password": "correct-horse-battery"}
    for name, value in submit_login.items():
        page.fill(f"[name={name}]", value)
    with page.expect_navigation():
        page.press("[name=password]", "Enter")

    page.goto(f"{live_server.url}/admission/")
    with page.expect_navigation():
        page.click(".actions a[href$='/candidates/new/']")
    submit(
        page,
        {
            "full_name": "Nguyễn Thị Hoa",
            "date_of_birth": "10/05/2000",
            "identified_on": "01/03/2024",
        },
        {
            "gender": "female",
            "general_education": "upper_secondary",
            "occupation": "teacher",
            "source": "youth_union",
            "branch": str(world.branch_a.pk),
        },
    )
    candidate = Candidate.objects.get()
    assert page.url.endswith(candidate.get_absolute_url())

    step(page, "course")
    submit(page, {"course_date": "01/04/2024", "certificate_number": "15/CN-TTCT"})
    step(page, "introducers")
    submit(
        page,
        {"on": "02/05/2024", "first_since": "01/01/2023", "second_since": "01/06/2022"},
        {
            "first_member": str(first.pk),
            "second_kind": "member",
            "second_member": str(second.pk),
        },
    )
    for code in ["1-KND", "2-KND", "3-KND", "5-KND", "5BC-KND"]:
        with page.expect_navigation():
            page.click(f".checklist a[href$='code={code}']")
        submit(page, {"number": f"{code}/2024", "date": "10/05/2024"})
    step(page, "verification")
    submit(page, {"on": "03/06/2024", "number": "XM-07"})
    step(page, "branch-vote")
    submit(
        page,
        {"on": "01/07/2024", "agreeing": "3", "disagreeing": "0", "resolution_number": "03-NQ/CB"},
    )
    step(page, "grassroots")
    submit(page, {"number": "12-NQ/ĐU", "date": "15/07/2024"})
    step(page, "decision")
    submit(
        page, {"number": "45-QĐ/HU", "date": "01/08/2024"}, {"issuing_body": str(world.district.pk)}
    )
    step(page, "ceremony")
    submit(page, {"on": "19/08/2024"})

    candidate.refresh_from_db()
    assert candidate.stage == Stage.PROBATION
    assert candidate.member.status == MemberStatus.PROBATIONARY
    assert candidate.member.admission_decision_date.isoformat() == "2024-08-01"
    assert page.locator(".status.stage-probation").is_visible()
    page.click(f"a[href='{candidate.member.get_absolute_url()}']")
    page.wait_for_url(f"**{candidate.member.get_absolute_url()}")
    assert "Nguyễn Thị Hoa" in page.content()
    # Playwright runs this body in its own context, where Django opened its own connection;
    # close it here or the test database cannot be dropped at the end of the run.
    connections.close_all()
