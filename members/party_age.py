"""Party age (tuổi đảng): time since the first admission decision, less time outside."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from members.enums import LEAVING_EVENTS, RETURNING_EVENTS


@dataclass(frozen=True)
class PartyAge:
    years: int
    months: int
    days_outside: int

    def __str__(self):
        return f"{self.years} năm {self.months} tháng"


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end`, as a calendar counts them."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def party_age(
    admission_decision_date: datetime.date,
    events: Iterable,
    on: datetime.date,
) -> PartyAge:
    """Party age on `on`, counted in calendar months from the first admission decision,
    minus the whole months of every period between a leaving event (removal, expulsion,
    leaving, death) and the next readmission. Time in another organization after an
    official transfer is party time. `events` need `kind` and `date`."""
    months_outside = 0
    days_outside = 0
    left_on = None
    for event in sorted(events, key=lambda e: e.date):
        if event.date > on:
            break
        if event.kind in LEAVING_EVENTS and left_on is None:
            left_on = event.date
        elif event.kind in RETURNING_EVENTS and left_on is not None:
            months_outside += months_between(left_on, event.date)
            days_outside += (event.date - left_on).days
            left_on = None
    end = left_on if left_on is not None else on
    if end < admission_decision_date:
        return PartyAge(0, 0, days_outside)
    total_months = max(0, months_between(admission_decision_date, end) - months_outside)
    return PartyAge(total_months // 12, total_months % 12, days_outside)
