"""A year in a page's address that the page does not keep is refused with a message that
says which years it does (in Vietnamese and English), never answered with another year's
page; the year links stop at the last year kept."""

import datetime

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from tests.factories import make_member
from tests.factories_meetings import record

THIS_YEAR = timezone.localdate().year
MEETINGS = [("meetings:list", "X1-B1"), ("meetings:list", "X1")]  # a branch, a committee


@pytest.mark.parametrize("view, code", MEETINGS)
@pytest.mark.parametrize("year", ["1929", "abc", str(THIS_YEAR + 2)])
def test_meetings_of_a_year_not_kept_are_refused(world, as_user, view, code, year):
    client = as_user(world.officer)
    page = client.get(reverse(view, args=[code]), {"year": year})
    assert page.status_code == 400
    assert f"Meetings are shown for the years 1930 to {THIS_YEAR + 1}" in page.text
    client.cookies["django_language"] = "vi"
    page = client.get(reverse(view, args=[code]), {"year": year})
    assert f"Sinh hoạt chi bộ được xem cho các năm từ 1930 đến {THIS_YEAR + 1}" in page.text


@pytest.mark.parametrize("view, code", MEETINGS)
def test_the_year_links_stop_at_next_year(world, as_user, view, code):
    client = as_user(world.officer)
    last = client.get(reverse(view, args=[code]), {"year": THIS_YEAR + 1})
    assert last.status_code == 200 and last.context["year"] == THIS_YEAR + 1
    assert f"?year={THIS_YEAR + 2}" not in last.text and f"?year={THIS_YEAR}" in last.text
    this = client.get(reverse(view, args=[code]))
    assert this.context["year"] == THIS_YEAR and f"?year={THIS_YEAR + 1}" in this.text


YEAR_PAGES = [
    (
        reverse_lazy("record_work:inspections", args=["X1"]),
        ["1999", "x", str(THIS_YEAR + 1)],
        f"Inspections are shown for the years 2000 to {THIS_YEAR}",
    ),
    (
        reverse_lazy("record_work:removal"),
        ["1999", "x", str(THIS_YEAR + 1)],
        f"The removal list is shown for the years 2000 to {THIS_YEAR}",
    ),
    (
        reverse_lazy("holidays"),
        ["1989", "x", str(THIS_YEAR + 11)],
        f"Days off are shown for the years 1990 to {THIS_YEAR + 10}",
    ),
]


@pytest.mark.parametrize(
    "url, year, kept",
    [(url, year, kept) for url, years, kept in YEAR_PAGES for year in years],
)
def test_a_year_not_kept_is_refused_with_the_years_kept(world, as_user, url, year, kept):
    page = as_user(world.officer).get(url, {"year": year})
    assert page.status_code == 400
    assert kept in page.text


def test_inspections_of_a_past_year_open_that_year(world, as_user):
    url = reverse("record_work:inspections", args=["X1"])
    page = as_user(world.officer).get(url, {"year": 2019})
    assert page.status_code == 200 and page.context["year"] == 2019
    assert "<option selected>2019</option>" in page.text


def test_the_removal_list_of_a_past_year_offers_that_year(world, as_user):
    page = as_user(world.officer).get(reverse("record_work:removal"), {"year": 2010})
    assert page.status_code == 200 and page.context["year"] == 2010
    assert list(page.context["years"]) == [*range(THIS_YEAR, THIS_YEAR - 4, -1), 2010]


def test_the_meeting_page_leads_back_to_its_year_in_vietnamese(world, as_user):
    make_member(world.branch_a)
    meeting = record(world.branch_a, datetime.date(THIS_YEAR - 1, 3, 5))
    client = as_user(world.secretary)
    client.cookies["django_language"] = "vi"
    page = client.get(meeting.get_absolute_url()).text
    back = f"{reverse('meetings:list', args=['X1-B1'])}?year={THIS_YEAR - 1}"
    assert back in page  # not "?year=2.025", refused as no year
    assert client.get(back).context["year"] == THIS_YEAR - 1
