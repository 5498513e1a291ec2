"""The working-day calendar behind every deadline: the same dates as counting day by day,
across years and the table's corrections, asking about each day once."""

import datetime

import holidays
import pytest

from partyorg.models import Holiday
from partyorg.workdays import WorkingCalendar, working_days_of

D = datetime.date


COUNTRY = holidays.country_holidays("VN")


def counted_day_by_day(start: datetime.date, count: int, corrections: dict) -> datetime.date:
    """The package's calendar and the table's rows (`corrections`) asked day after day, as
    the calendar did before it listed years."""
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        count -= corrections.get(day, COUNTRY.is_working_day(day))
    return day


@pytest.mark.django_db
def test_adding_working_days_gives_the_day_counted_one_by_one():
    Holiday.objects.create(date=D(2026, 6, 2), name="Ngày nghỉ được công bố")
    Holiday.objects.create(date=D(2026, 6, 6), name="Làm bù", working_day=True)
    corrections = dict(Holiday.objects.values_list("date", "working_day"))
    cal = WorkingCalendar()
    # A later year first, then earlier ones: the calendar lists years on both sides.
    starts = [
        D(2027, 12, 30),
        *(D(2024, 12, 1) + datetime.timedelta(days=n) for n in range(0, 800, 9)),
    ]
    for start in starts:
        for count in (1, 5, 30, 60, 300):
            due = cal.add(start, count)
            assert due == counted_day_by_day(start, count, corrections), (start, count)
            assert cal.between(start, due) == count
            assert cal.between(due, start) == -count
    assert cal.add(D(2026, 6, 1), 1) == D(2026, 6, 3)  # the 2nd is the table's day off
    assert cal.add(D(2026, 6, 5), 1) == D(2026, 6, 6)  # Saturday the 6th is worked
    assert cal.add(D(2026, 6, 5), 0) == D(2026, 6, 5)


@pytest.mark.django_db
def test_deadlines_ask_the_package_about_each_day_once(monkeypatch):
    asked = []
    package_calendar = holidays.country_holidays

    def counting_calendar(*args, **kwargs):
        calendar = package_calendar(*args, **kwargs)
        answer = calendar.is_working_day
        calendar.is_working_day = lambda day: asked.append(day) or answer(day)
        return calendar

    monkeypatch.setattr(holidays, "country_holidays", counting_calendar)
    working_days_of.cache_clear()
    for _ in range(2):  # two requests, each with its calendar
        cal = WorkingCalendar()
        for n in range(1000):
            cal.add(D(2026, 1, 1) + datetime.timedelta(days=n % 300), 30 + n % 31)
    assert len(asked) == len(set(asked))
    assert {day.year for day in asked} == {2026, 2027}
