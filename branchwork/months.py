"""Months and quarters of the branches' calendar: a regular meeting is held each month and
a thematic one each quarter, dues are paid by the month."""

import datetime


def month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def month_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of `day`'s month."""
    return month_start(day.year, day.month), month_end(day.year, day.month)


def previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month before `today`'s."""
    return month_of(today.replace(day=1) - datetime.timedelta(days=1))


def quarter(month: datetime.date) -> tuple[int, int]:
    return month.year, (month.month - 1) // 3 + 1


def current_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of `today`'s quarter."""
    year, number = quarter(today)
    return month_start(year, 3 * number - 2), month_end(year, 3 * number)


def previous_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the quarter before `today`'s."""
    return current_quarter(current_quarter(today)[0] - datetime.timedelta(days=1))
