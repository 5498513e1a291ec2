import pytest
from django.urls import reverse
from django.utils import timezone

from branchwork.months import previous_month
from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_enters_minutes_with_two_absences(world, page):  # noqa: F811
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường", "Phạm Thị Dung", "Hồ Văn Em"]
    members = [make_member(world.branch_a, full_name=name) for name in names]
    log_in(page, "secretary")
    page.goto(page.base_url + reverse("meetings:list", args=["X1-B1"]))
    page.click(f"a[href='{reverse('meetings:create', args=['X1-B1'])}']")
    day = previous_month(timezone.localdate())[0].replace(day=6)
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=start_time]", "19:30")
    page.fill("input[name=end_time]", "21:15")
    # One tap on a toggle changes a member's attendance.
    page.click(f"label[for=id_att_{members[1].pk}_1]")
    page.fill(f"input[name=why_{members[1].pk}]", "Ốm")
    page.click(f"label[for=id_att_{members[2].pk}_2]")
    page.click("form button[type=submit].primary")
    page.wait_for_selector(".messages .msg-success")
    assert "60,0%" in page.inner_text(".figure.rate")
    page.goto(page.base_url + reverse("organizations:node_detail", args=["X1-B1"]))
    assert page.inner_text(".attendance-rate") == "60,0%"
