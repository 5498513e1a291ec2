"""Working-day arithmetic for deadlines: weekends and the Holiday table are skipped."""

import datetime

from lunardate import LunarDate

from partyorg.models import Holiday


def vietnam_public_holidays(year: int) -> list[tuple[datetime.date, str]]:
    """Vietnam's statutory days off in a year (Labour Code 2019, Art. 112).

    Tết is taken as lunar New Year's Eve plus the first four days of the year and National
    Day as 1-2 September, the usual breaks; officers adjust the table when the government
    announces each year's schedule.
    """
    days = [
        (datetime.date(year, 1, 1), "Tết Dương lịch"),
        (datetime.date(year, 4, 30), "Ngày Giải phóng miền Nam"),
        (datetime.date(year, 5, 1), "Ngày Quốc tế Lao động"),
        (datetime.date(year, 9, 2), "Quốc khánh"),
        (datetime.date(year, 9, 1), "Quốc khánh (ngày liền kề)"),
        (LunarDate(year, 3, 10).to_solar_date(), "Giỗ Tổ Hùng Vương"),
    ]
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 4):
        days.append((new_year + datetime.timedelta(days=offset), "Tết Nguyên đán"))
    return days


def add_working_days(
    start: datetime.date, count: int, holidays: set | None = None
) -> datetime.date:
    """The date `count` working days after `start` (start itself not counted)."""
    if holidays is None:
        end_guess = start + datetime.timedelta(days=count * 2 + 30)
        holidays = set(
            Holiday.objects.filter(date__gt=start, date__lte=end_guess).values_list(
                "date", flat=True
            )
        )
    current = start
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    holidays = set(
        Holiday.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True)
    )
    days = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            days += 1
    return days
