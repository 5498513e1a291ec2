import re

import pytest
from playwright.sync_api import expect

from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_finds_a_member_typed_without_diacritics(world, page):  # noqa: F811
    make_member(world.branch_a, full_name="Nguyễn Văn An")
    make_member(world.branch_a, full_name="Trần Thị Bích")
    make_member(world.other_branch, full_name="Nguyễn Văn Ân")  # outside the officer's subtree

    log_in(page, "officer")
    page.click(".menu-toggle")  # the navigation folds away on a phone
    page.click("nav.mainnav a[href='/members/']")
    page.fill("input[name=q]", "nguyen van an")
    page.click("form.filters button")

    rows = page.locator("table.members tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn An")
    rows.first.locator("a").click()
    expect(page.locator("h1")).to_have_text(re.compile("^Nguyễn Văn An"))
