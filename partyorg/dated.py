"""Dated rows: the one place that says which rows were in force on a day or in a period.

A dated model names its two date fields in `dated_fields = (start, end)`. A row covers
the days [start, end): it is in force from its start day and no longer on its end day (a
transfer closes the old branch and opens the new one on the same day). An open row has no
end. A row whose end is its start covers no day.

The Q builders take the model and, through `via`, the relation that leads to it
(`on_q(Membership, day, via="memberships")` inside a Member query), and accept expressions
(`OuterRef("award_date")`) as days; the queryset methods are the common case.
"""

import calendar
import datetime

from django.db import models
from django.db.models import F, Q


def _fields(model, via: str) -> tuple[str, str]:
    prefix = f"{via}__" if via else ""
    start, end = model.dated_fields
    return prefix + start, prefix + end


def open_q(model, *, via: str = "") -> Q:
    """Rows with no end."""
    _, end = _fields(model, via)
    return Q(**{f"{end}__isnull": True})


def lasting_q(model, *, via: str = "") -> Q:
    """Rows that cover at least one day."""
    start, end = _fields(model, via)
    return open_q(model, via=via) | Q(**{f"{end}__gt": F(start)})


def on_q(model, day, *, via: str = "") -> Q:
    """Rows in force on `day`."""
    start, end = _fields(model, via)
    return Q(**{f"{start}__lte": day}) & (open_q(model, via=via) | Q(**{f"{end}__gt": day}))


def during_q(model, first, last, *, via: str = "") -> Q:
    """Rows in force on at least one day from `first` to `last`, both included."""
    start, end = _fields(model, via)
    return (
        Q(**{f"{start}__lte": last})
        & (open_q(model, via=via) | Q(**{f"{end}__gt": first}))
        & lasting_q(model, via=via)
    )


def throughout_q(model, first, last, *, via: str = "") -> Q:
    """Rows in force on every day from `first` to `last`."""
    start, end = _fields(model, via)
    return Q(**{f"{start}__lte": first}) & (open_q(model, via=via) | Q(**{f"{end}__gt": last}))


def started_q(model, after, upto, *, via: str = "") -> Q:
    """Rows whose first day is after `after` and not after `upto`."""
    start, _ = _fields(model, via)
    return Q(**{f"{start}__gt": after, f"{start}__lte": upto})


def ended_q(model, after, upto, *, via: str = "") -> Q:
    """Rows whose end day (the first day out of force) is after `after` and not after
    `upto`."""
    _, end = _fields(model, via)
    return Q(**{f"{end}__gt": after, f"{end}__lte": upto})


def ends_after_start_q(start: str, end: str) -> Q:
    """The check every dated table keeps: no end before the start (the model's Meta runs
    before the model exists, hence the field names)."""
    return Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)})


def covers(start: datetime.date, end: datetime.date | None, day: datetime.date) -> bool:
    """The rule of on_q for a row already in memory."""
    return start <= day and (end is None or end > day)


def covers_all(
    start: datetime.date, end: datetime.date | None, first: datetime.date, last: datetime.date
) -> bool:
    """The rule of throughout_q for a row already in memory."""
    return start <= first and (end is None or end > last)


class DatedQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(on_q(self.model, day))

    def during(self, first, last):
        return self.filter(during_q(self.model, first, last))

    def throughout(self, first, last):
        return self.filter(throughout_q(self.model, first, last))

    def open(self):
        return self.filter(open_q(self.model))

    def lasting(self):
        return self.filter(lasting_q(self.model))

    def started(self, after, upto):
        return self.filter(started_q(self.model, after, upto))

    def ended(self, after, upto):
        return self.filter(ended_q(self.model, after, upto))

    def started_before(self, day):
        start, _ = self.model.dated_fields
        return self.filter(**{f"{start}__lt": day})

    def started_after(self, day):
        start, _ = self.model.dated_fields
        return self.filter(**{f"{start}__gt": day})


DatedManager = models.Manager.from_queryset(DatedQuerySet)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier when negative); the month's last day when
    that day does not exist (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (earlier when negative); 29 February becomes 28 February
    in a year without it."""
    return add_months(day, 12 * years)


def overlap(
    start: datetime.date,
    end: datetime.date | None,
    other_start: datetime.date,
    other_end: datetime.date | None,
) -> bool:
    """Whether two rows in memory share a day (the rule of during_q for a row's days)."""
    if end == start or other_end == other_start:
        return False
    return (end is None or other_start < end) and (other_end is None or start < other_end)


def last_day(start: datetime.date, end: datetime.date | None) -> datetime.date:
    """The last day a row covers, for during(): the day before its end, or the last
    representable day for an open row."""
    return datetime.date.max if end is None else end - datetime.timedelta(days=1)
