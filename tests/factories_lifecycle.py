import datetime

from branchwork.dues import rule_for_month
from branchwork.models import Dues
from tests.factories import make_member


def dated_member(branch, decided: datetime.date, **fields):
    """A member whose admission decision is `decided` (ceremony 10 days later)."""
    ceremony = decided + datetime.timedelta(days=10)
    fields.setdefault("date_of_birth", decided.replace(year=decided.year - 25))
    fields.setdefault("official_date", ceremony.replace(year=ceremony.year + 1))
    return make_member(
        branch,
        admission_decision_date=decided,
        admission_date=ceremony,
        joined_branch_on=ceremony,
        **fields,
    )


def unpaid_dues(member, year: int, months, paid: bool = False, excused: bool = False):
    rule = rule_for_month(year, min(months))
    return Dues.objects.bulk_create(
        Dues(
            member=member,
            branch=member.branch,
            year=year,
            month=month,
            regulation=rule.regulation.number,
            basis="other",
            amount_due=rule.flat_amount,
            paid_on=datetime.date(year, month, 5) if paid else None,
            excused=excused,
        )
        for month in months
    )
