"""The meetings kept per branch and year (BranchMeetingYear, written by the database's
triggers in the statement that writes the minutes), recounted from the meetings: one of
the totals `manage.py check_totals` compares and rebuilds."""

from collections import defaultdict

from branchwork.enums import MeetingKind
from branchwork.models import BranchMeetingYear, Meeting
from partyorg.kept_totals import KeptTotals

FIGURES = (
    "meetings",
    "regular_months",
    "thematic_1",
    "thematic_2",
    "thematic_3",
    "thematic_4",
    "present",
    "counted",
)

# (branch id, year) → the FIGURES, in their order
Years = dict[tuple[int, int], tuple[int, ...]]


def kept() -> Years:
    rows = BranchMeetingYear.objects.filter(meetings__gt=0).values_list(
        "branch_id", "year", *FIGURES
    )
    return {tuple(row[:2]): tuple(row[2:]) for row in rows}


def recounted() -> Years:
    """The figures from the meetings themselves, added up here rather than in SQL: a
    count written apart from the triggers it checks."""
    years: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * len(FIGURES))
    for branch_id, month, kind, with_thematic_part, present, counted in Meeting.objects.values_list(
        "branch_id", "month", "kind", "with_thematic_part", "present_count", "counted_count"
    ).iterator(chunk_size=10_000):
        figures = years[branch_id, month.year]
        figures[0] += 1
        if kind == MeetingKind.REGULAR:
            figures[1] += 1 << (month.month - 1)
            figures[6] += present
            figures[7] += counted
        if kind == MeetingKind.THEMATIC or with_thematic_part:
            figures[2 + (month.month - 1) // 3] += 1
    return {key: tuple(figures) for key, figures in years.items()}


def _rows(years: Years):
    for (branch_id, year), figures in years.items():
        yield BranchMeetingYear(
            branch_id=branch_id, year=year, **dict(zip(FIGURES, figures, strict=True))
        )


MEETING_YEARS = KeptTotals(
    name="meetings per branch and year",
    model=BranchMeetingYear,
    sources=(Meeting,),
    kept=kept,
    recounted=recounted,
    rows=_rows,
    nothing=(0,) * len(FIGURES),
)
