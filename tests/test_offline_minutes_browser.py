"""The minutes form in the real browser with the network cut: filled and saved offline,
reloaded from the service worker, sent once when the connection returns; and an entry
that meets minutes saved since, shown next to them for the secretary to choose."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from branchwork import meetings as domain
from branchwork.enums import AttendanceStatus
from branchwork.models import Attendance, Meeting
from branchwork.months import previous_month
from tests.browser import PAGE_TIMEOUT_MS, browser, log_in, page  # noqa: F401
from tests.factories import make_member
from tests.factories_meetings import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTBOX = "JSON.parse(localStorage.getItem('partyorg-outbox') || '[]')"


def kept_for_offline(tab):
    """Wait until the service worker controls the page and the form's page is kept."""
    kept = """async () => navigator.serviceWorker.controller !== null
        && (await (await caches.open("partyorg-pages")).keys()).length > 0"""
    for _ in range(PAGE_TIMEOUT_MS // 200):
        if tab.evaluate(kept):
            return
        tab.wait_for_timeout(200)
    pytest.fail("the minutes form was not kept for use offline")


def refuse_posts(route):
    if route.request.method == "POST":
        route.abort("internetdisconnected")
    else:
        route.continue_()


def cut_the_network(tab):
    """Offline, and the page told so before anything is typed: Chromium tells the page a
    moment after the network is cut, and a form sent in between went out as if online
    (seen once, with the machine busy). A page just reloaded may likewise send its entry
    before its offline state applies, and the server saved minutes the page still held
    as unsent (seen once): every POST is refused besides, as no network would carry it."""
    tab.context.route("**/*", refuse_posts)
    tab.context.set_offline(True)
    tab.wait_for_function("() => !navigator.onLine")


def restore_the_network(tab):
    tab.context.unroute("**/*", refuse_posts)
    tab.context.set_offline(False)


def opened_from_the_server(tab):
    """The page landed on, as the server draws it. Chromium may tell the service worker
    that the connection is back after it told the page: the page sends its entry and moves
    to the minutes, and the worker, still offline, answers with its "no connection" page
    (seen once, with the machine busy). A person would open it again; so does the test."""
    for _ in range(PAGE_TIMEOUT_MS // 500):
        if tab.locator("#outbox").count():
            return
        tab.wait_for_timeout(500)
        tab.reload()
    pytest.fail("the minutes' page never came from the server")


def test_minutes_saved_offline_reach_the_server_once(world, page):  # noqa: F811
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường"]
    members = [make_member(world.branch_a, full_name=name) for name in names]
    day = previous_month(timezone.localdate())[0].replace(day=6)
    log_in(page, "secretary")
    page.goto(page.base_url + reverse("meetings:create", args=["X1-B1"]))
    kept_for_offline(page)

    cut_the_network(page)
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=start_time]", "19:30")
    page.fill("input[name=end_time]", "21:15")
    page.click(f"label[for=id_att_{members[1].pk}_1]")
    page.fill(f"input[name=why_{members[1].pk}]", "Ốm")
    page.fill("textarea[name=conclusion]", "Chi bộ thống nhất kế hoạch tháng tới.")
    page.click("form button[type=submit].primary")
    state = page.locator("[data-offline-state]")
    assert state.inner_text().startswith("Chưa gửi")

    # Reloaded without a connection: the page comes from the service worker, and the
    # entry from the device.
    reloaded = page.reload()
    assert reloaded.from_service_worker
    assert page.input_value("textarea[name=conclusion]") == "Chi bộ thống nhất kế hoạch tháng tới."
    assert page.is_checked(f"#id_att_{members[1].pk}_1")
    assert page.input_value(f"input[name=why_{members[1].pk}]") == "Ốm"
    assert page.locator("[data-offline-state]").inner_text().startswith("Chưa gửi")
    [entry] = page.evaluate(OUTBOX)
    assert entry["state"] == "unsent"
    assert not Meeting.objects.exists()
    # Logging out asks first: the entry waits on this device.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(".menu-toggle")
    page.click("form[data-unsent-warning] button")
    assert asked and asked[0].startswith("Có biên bản đã lưu trên máy này nhưng chưa gửi")
    # The worker cannot reach the server either: a page never opened is not there.
    assert page.goto(page.base_url + reverse("home")).status == 503
    assert "chưa từng được mở trên máy này" in page.inner_text("body")
    page.go_back()

    restore_the_network(page)
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    opened_from_the_server(page)
    meeting = Meeting.objects.get()
    assert page.url.endswith(meeting.get_absolute_url())
    assert meeting.conclusion == "Chi bộ thống nhất kế hoạch tháng tới."
    statuses = dict(Attendance.objects.values_list("member__full_name", "status"))
    assert statuses == {
        "Nguyễn Văn An": AttendanceStatus.PRESENT,
        "Trần Thị Bình": AttendanceStatus.EXCUSED,
        "Lê Đức Cường": AttendanceStatus.PRESENT,
    }
    assert page.inner_text("#outbox").startswith("Đã gửi lúc")

    # The same entry sent again (a retry after an answer that never arrived) changes
    # nothing and lands on the same minutes.
    landed = page.evaluate(
        """async ([url, fields]) => {
            const data = new URLSearchParams(fields);
            data.set("csrfmiddlewaretoken",
                     document.querySelector("input[name=csrfmiddlewaretoken]").value);
            const response = await fetch(url, {method: "POST", body: data});
            return new URL(response.url).pathname;
        }""",
        [entry["url"], entry["fields"]],
    )
    assert landed == meeting.get_absolute_url()
    assert Meeting.objects.count() == 1
    assert Attendance.objects.count() == 3
    assert meeting.history.count() == 1


def test_an_offline_edit_that_meets_a_newer_version_shows_both(world, page):  # noqa: F811
    members = [make_member(world.branch_a, full_name=n) for n in ["Lý Văn Một", "Lý Thị Hai"]]
    day = previous_month(timezone.localdate())[0].replace(day=6)
    meeting = record(world.branch_a, day, conclusion="Bản đầu")
    log_in(page, "secretary")
    page.goto(page.base_url + reverse("meetings:edit", args=["X1-B1", meeting.pk]))
    kept_for_offline(page)

    cut_the_network(page)
    page.fill("textarea[name=conclusion]", "Bản của bí thư")
    page.click(f"label[for=id_att_{members[0].pk}_2]")
    page.click("form button[type=submit].primary")
    assert page.locator("[data-offline-state]").inner_text().startswith("Chưa gửi")
    # Meanwhile, with a connection, the grassroots committee corrects the minutes.
    rows = list(meeting.attendances.select_related("member"))
    domain.update_meeting(
        meeting,
        data={"conclusion": "Bản của đảng ủy xã"},
        attendance={row.member_id: (row.status, row.reason) for row in rows},
        rows=rows,
        version=1,
        by=world.officer,
    )

    restore_the_network(page)
    conflict = page.locator(".conflict")
    conflict.wait_for()
    assert "Bản của đảng ủy xã" in conflict.locator(".saved").all_inner_texts()
    assert "Bản của bí thư" in conflict.locator(".yours").all_inner_texts()
    assert page.is_checked(f"#id_att_{members[0].pk}_2")
    assert Meeting.objects.get().conclusion == "Bản của đảng ủy xã"

    # The secretary keeps theirs, knowing what it replaces.
    conflict.locator("button[type=submit]").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    stored = Meeting.objects.get()
    assert stored.conclusion == "Bản của bí thư"
    assert stored.attendances.get(member=members[0]).status == AttendanceStatus.UNEXCUSED
    assert stored.history.count() == 3
    assert page.evaluate(OUTBOX)[0]["state"] == "sent"


def test_the_secretary_can_keep_the_saved_version_instead(world, page):  # noqa: F811
    make_member(world.branch_a)
    day = previous_month(timezone.localdate())[0].replace(day=6)
    meeting = record(world.branch_a, day, conclusion="Bản đầu")
    log_in(page, "secretary")
    page.goto(page.base_url + reverse("meetings:edit", args=["X1-B1", meeting.pk]))
    kept_for_offline(page)
    cut_the_network(page)
    page.fill("textarea[name=conclusion]", "Bản của bí thư")
    page.click("form button[type=submit].primary")
    rows = list(meeting.attendances.all())
    domain.update_meeting(
        meeting,
        data={"conclusion": "Bản của đảng ủy xã"},
        attendance={row.member_id: (row.status, row.reason) for row in rows},
        rows=rows,
        version=1,
        by=world.officer,
    )
    restore_the_network(page)
    page.locator(".conflict [data-discard-entry]").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    assert page.evaluate(OUTBOX) == []
    assert Meeting.objects.get().conclusion == "Bản của đảng ủy xã"
    assert meeting.history.count() == 2


def test_two_minutes_entered_offline_both_reach_the_server(world, page):  # noqa: F811
    """A second meeting entered on the same form while the first still waits is a new
    entry: opening the form again starts empty, and both are sent once online."""
    make_member(world.branch_a, full_name="Đỗ Văn Năm")
    first_month = previous_month(timezone.localdate())[0]
    days = [(first_month - datetime.timedelta(days=1)).replace(day=8), first_month.replace(day=8)]
    form_url = page.base_url + reverse("meetings:create", args=["X1-B1"])
    log_in(page, "secretary")
    page.goto(form_url)
    kept_for_offline(page)

    cut_the_network(page)
    for n, day in enumerate(days):
        if n:
            page.goto(form_url)
            assert page.input_value("textarea[name=conclusion]") == ""
        page.fill("input[name=date]", day.isoformat())
        page.fill("input[name=start_time]", "19:30")
        page.fill("input[name=end_time]", "21:15")
        page.fill("textarea[name=conclusion]", f"Kết luận tháng {day.month}")
        page.click("form button[type=submit].primary")
        assert page.locator("[data-offline-state]").inner_text().startswith("Chưa gửi")
    outbox = page.evaluate(OUTBOX)
    assert [e["state"] for e in outbox] == ["unsent", "unsent"]
    # The first waits in the outbox; its link reopens it, as the reload keeps the second.
    page.reload()
    assert page.input_value("textarea[name=conclusion]") == f"Kết luận tháng {days[1].month}"
    page.locator("#outbox a").click()
    expect(page.locator("textarea[name=conclusion]")).to_have_value(
        f"Kết luận tháng {days[0].month}"
    )

    restore_the_network(page)
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    for _ in range(PAGE_TIMEOUT_MS // 200):
        if all(e["state"] == "sent" for e in page.evaluate(OUTBOX)):
            break
        page.wait_for_timeout(200)
    stored = sorted(Meeting.objects.values_list("date", "conclusion"))
    assert stored == [(day, f"Kết luận tháng {day.month}") for day in days]


def test_an_entry_the_server_failed_on_waits_and_is_sent_again(world, page):  # noqa: F811
    make_member(world.branch_a)
    day = previous_month(timezone.localdate())[0].replace(day=9)
    form_url = page.base_url + reverse("meetings:create", args=["X1-B1"])
    log_in(page, "secretary")
    page.goto(form_url)
    kept_for_offline(page)
    cut_the_network(page)
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=start_time]", "19:30")
    page.fill("input[name=end_time]", "21:15")
    page.click("form button[type=submit].primary")

    failed = []
    page.route(
        "**/meetings/new/",
        lambda route: (
            (failed.append(1), route.fulfill(status=502, body="Bad Gateway"))
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    restore_the_network(page)
    for _ in range(PAGE_TIMEOUT_MS // 200):
        if failed:
            break
        page.wait_for_timeout(200)
    page.wait_for_timeout(300)
    assert [e["state"] for e in page.evaluate(OUTBOX)] == ["unsent"]
    assert not Meeting.objects.exists()

    # Nothing tells the page that the server is back: it tries again by itself.
    page.unroute("**/meetings/new/")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert Meeting.objects.get().date == day
