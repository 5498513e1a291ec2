"""Working days for deadlines.

Vietnam's calendar comes from the `holidays` package for any year: the statutory days
off (Tết by the lunar calendar, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh), the days off in
compensation when one falls on a weekend (Giỗ Tổ on Sunday 26/4/2026 → Monday 27/4), and
the Saturdays worked for a bridged day. The Holiday table corrects it for the swaps the
government announces each year: a row makes its day a day off, or a working day.
"""

import datetime

import holidays
from django.utils.functional import cached_property

from partyorg.models import Holiday


class WorkingCalendar:
    """The package's calendar with the table's corrections, read once, for computing many
    deadlines without more queries; each day's answer and each sum is kept (a province's
    open files walk the same few hundred days tens of thousands of times)."""

    def __init__(self):
        self.country = holidays.country_holidays("VN")
        self._working = {}
        self._sums = {}

    @cached_property
    def corrections(self) -> dict[datetime.date, bool]:
        """Day → whether the table makes it a working day."""
        return dict(Holiday.objects.values_list("date", "working_day"))

    def is_working_day(self, day: datetime.date) -> bool:
        if day not in self._working:
            corrected = self.corrections.get(day)
            self._working[day] = (
                self.country.is_working_day(day) if corrected is None else corrected
            )
        return self._working[day]

    def add(self, start: datetime.date, count: int) -> datetime.date:
        """The date `count` working days after `start` (start itself not counted)."""
        key = (start, count)
        if key not in self._sums:
            current, remaining = start, count
            while remaining > 0:
                current += datetime.timedelta(days=1)
                if self.is_working_day(current):
                    remaining -= 1
            self._sums[key] = current
        return self._sums[key]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (negative when end is
        earlier)."""
        if end < start:
            return -self.between(end, start)
        days = (start + datetime.timedelta(days=n) for n in range(1, (end - start).days + 1))
        return sum(1 for day in days if self.is_working_day(day))


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    return WorkingCalendar().add(start, count)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkingCalendar().between(start, end)
