"""Working days for deadlines.

Vietnam's calendar comes from the `holidays` package for any year: the statutory days
off (Tết by the lunar calendar, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh), the days off in
compensation when one falls on a weekend (Giỗ Tổ on Sunday 26/4/2026 → Monday 27/4), and
the Saturdays worked for a bridged day. The Holiday table corrects it for the swaps the
government announces each year: a row makes its day a day off, or a working day.
"""

import bisect
import datetime
import functools

import holidays
from django.utils.functional import cached_property

from partyorg.models import Holiday


@functools.lru_cache(maxsize=32)
def working_days_of(year: int, corrections: tuple[tuple[datetime.date, bool], ...]):
    """The working days of `year` in order, by the package's calendar with `corrections`
    (the table's rows of that year: day, whether it is worked). The same for every request
    until the table changes, which changes the key."""
    country = holidays.country_holidays("VN", years=year)
    corrected = dict(corrections)
    first = datetime.date(year, 1, 1)
    days = (first + datetime.timedelta(days=n) for n in range(366))
    return tuple(
        day for day in days if day.year == year and corrected.get(day, country.is_working_day(day))
    )


class WorkingCalendar:
    """The package's calendar with the table's corrections, read once, for computing many
    deadlines without more queries. A deadline is found in the list of a year's working
    days (working_days_of) rather than by walking day by day: a commune's home page checks
    the deadlines of a few hundred open files, a province's thousands."""

    def __init__(self):
        self._days: list[datetime.date] = []  # the working days of the years listed, in order
        self._years: range = range(0)  # the years listed

    @cached_property
    def corrections(self) -> dict[datetime.date, bool]:
        """Day → whether the table makes it a working day."""
        return dict(Holiday.objects.values_list("date", "working_day"))

    def is_working_day(self, day: datetime.date) -> bool:
        self._list(day.year)
        index = bisect.bisect_left(self._days, day)
        return index < len(self._days) and self._days[index] == day

    def _list(self, year: int) -> None:
        """Lists the working days of every year from those listed to `year`."""
        if not self._years:
            self._years = range(year, year)
        while year < self._years.start:
            self._years = range(self._years.start - 1, self._years.stop)
            self._days[:0] = self._working_days_of(self._years.start)
        while year >= self._years.stop:
            self._days += self._working_days_of(self._years.stop)
            self._years = range(self._years.start, self._years.stop + 1)

    def _working_days_of(self, year: int) -> tuple[datetime.date, ...]:
        of_the_year = sorted((day, w) for day, w in self.corrections.items() if day.year == year)
        return working_days_of(year, tuple(of_the_year))

    def add(self, start: datetime.date, count: int) -> datetime.date:
        """The date `count` working days after `start` (start itself not counted)."""
        if count <= 0:
            return start
        self._list(start.year)
        index = bisect.bisect_right(self._days, start) + count - 1
        while index >= len(self._days):
            self._list(self._years.stop)
        return self._days[index]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (negative when end is
        earlier)."""
        if end < start:
            return -self.between(end, start)
        self._list(start.year)
        self._list(end.year)
        return bisect.bisect_right(self._days, end) - bisect.bisect_right(self._days, start)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    return WorkingCalendar().add(start, count)
