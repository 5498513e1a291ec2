"""The absences without reason kept per member, branch and month (MemberAbsenceMonth,
written by the database's triggers in the statement that writes the attendance),
recounted from the attendance: one of the totals `manage.py check_totals` compares and
rebuilds."""

from collections import Counter

from branchwork.enums import AttendanceStatus
from branchwork.models import Attendance, Meeting, MemberAbsenceMonth
from partyorg.kept_totals import KeptTotals

# (branch id, month, member id) → absences without reason
Absences = dict[tuple, int]


def kept() -> Absences:
    rows = MemberAbsenceMonth.objects.filter(absences__gt=0).values_list(
        "branch_id", "month", "member_id", "absences"
    )
    return {tuple(row[:3]): row[3] for row in rows}


def recounted() -> Absences:
    """The absences from the attendance rows themselves, counted here rather than in SQL:
    a count written apart from the triggers it checks."""
    absent = Attendance.objects.filter(status=AttendanceStatus.UNEXCUSED).values_list(
        "meeting__branch_id", "meeting__month", "member_id"
    )
    return dict(Counter(absent.iterator(chunk_size=10_000)))


def _rows(absences: Absences):
    for (branch_id, month, member_id), count in absences.items():
        yield MemberAbsenceMonth(
            month=month, branch_id=branch_id, member_id=member_id, absences=count
        )


ABSENCE_MONTHS = KeptTotals(
    name="absences per member and month",
    model=MemberAbsenceMonth,
    sources=(Meeting, Attendance),
    kept=kept,
    recounted=recounted,
    rows=_rows,
)
