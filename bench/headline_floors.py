"""Floors of the report's other headline sections, each written in PostgreSQL apart from
the report's code, for bench/report_floor.py (the sections over the members have theirs in
bench/section_floors.py, whose subtree and parameters these share):

- MEETINGS: per branch, the regular meetings due and held, the thematic quarters due and
  held and the attendance (from the rows kept per branch and year: the period must hold
  its whole year); by month the attendance, by quarter the thematic meetings; the
  superior committee's visits (reports.sections.meetings_section): three statements, one
  per kind of row;
- ADMISSIONS: per branch, the members whose admission was decided in the period, in the
  branch of their first home membership (reports.sections.add_admissions);
- EVALUATIONS: per branch, the year's member evaluations by level, and those not
  classified (reports.sections.add_member_evaluations);
- ORGANIZATIONS: the subtree's nodes on the last day by their kind then and their sector
  (reports.composition.organization_counts).

HEADLINE (bench/report_floor.py) is built from the same fragments: ADMITTED, DUE_MONTHS
and ORGANIZATIONS_ON_THE_LAST_DAY. Imported after django.setup() by report_floor.py.
"""

import datetime
from collections import Counter

from django.db import connection
from section_floors import PERIOD_BRANCHES, period_values

from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS, SECTOR_KINDS, NodeKind, Sector
from branchwork.meeting_queries import rate

# The months of the period over by its last day, and those each branch stood through (a
# regular meeting was due in each).
DUE_MONTHS = (
    PERIOD_BRANCHES
    + """,
month AS (
    SELECT m::date AS first_day, (m + interval '1 month - 1 day')::date AS last_day
    FROM generate_series(%(first)s::date, %(end)s::date, interval '1 month') m
    WHERE (m + interval '1 month - 1 day')::date <= %(end)s
),
due AS (
    SELECT b.id AS branch_id, m.first_day AS month
    FROM branch b JOIN month m ON b.established_on <= m.first_day
     AND (b.dissolved_on IS NULL OR b.dissolved_on > m.last_day)
)"""
)
# Per branch, from the rows the database keeps per branch and year (the period holds its
# whole year, as the bench's do): the months due against the regular months held, the
# quarters due against those with a thematic meeting.
MEETINGS_PER_BRANCH = (
    DUE_MONTHS
    + """,
kept AS (
    SELECT k.* FROM branchwork_branchmeetingyear k JOIN branch ON branch.id = k.branch_id
    WHERE k.year = %(year)s AND k.meetings > 0
),
due_months AS (
    SELECT d.branch_id, extract(month FROM d.month)::int AS month,
           k.regular_months & (1 << (extract(month FROM d.month)::int - 1)) <> 0 AS held,
           CASE extract(quarter FROM d.month)::int
               WHEN 1 THEN k.thematic_1 WHEN 2 THEN k.thematic_2
               WHEN 3 THEN k.thematic_3 ELSE k.thematic_4 END > 0 AS thematic_held
    FROM due d LEFT JOIN kept k USING (branch_id)
),
months AS (
    SELECT branch_id, count(*) AS due, count(*) FILTER (WHERE held) AS held,
           array_agg(month / 3) FILTER (WHERE month %% 3 = 0) AS due_quarters,
           array_agg(month / 3) FILTER (WHERE month %% 3 = 0 AND thematic_held)
               AS held_quarters
    FROM due_months GROUP BY branch_id
)
SELECT b.id, coalesce(m.due, 0), coalesce(m.held, 0),
       coalesce(cardinality(m.due_quarters), 0), coalesce(cardinality(m.held_quarters), 0),
       coalesce(k.present, 0), coalesce(k.counted, 0), m.due_quarters, m.held_quarters,
       k.branch_id IS NOT NULL
FROM branch b
LEFT JOIN months m ON m.branch_id = b.id
LEFT JOIN kept k ON k.branch_id = b.id
"""
)
MEETINGS_PER_MONTH = (
    PERIOD_BRANCHES
    + """
SELECT month,
       coalesce(sum(present_count) FILTER (WHERE kind = 'regular'), 0),
       coalesce(sum(counted_count) FILTER (WHERE kind = 'regular'), 0),
       count(*) FILTER (WHERE kind = 'thematic' OR with_thematic_part)
FROM branchwork_meeting JOIN branch ON branch.id = branch_id
WHERE month >= %(first)s AND month <= %(end)s
GROUP BY month
"""
)
VISITS = (
    PERIOD_BRANCHES
    + """
SELECT count(*), count(DISTINCT g.meeting_id)
FROM branchwork_meetingguest g
JOIN branchwork_meeting m ON m.id = g.meeting_id
JOIN branch b ON b.id = m.branch_id
WHERE m.month >= %(first)s AND m.month <= %(end)s
"""
)
# The first home memberships of the members whose admission was decided in the period,
# in the period's branches, readmissions left out: what HEADLINE counts and ADMISSIONS
# counts per branch.
ADMITTED = """
FROM members_member m
JOIN members_membership h ON h.member_id = m.id AND h.kind = 'home'
JOIN branch ON branch.id = h.branch_id
WHERE m.admission_decision_date > %(start)s AND m.admission_decision_date <= %(end)s
  AND NOT EXISTS (SELECT 1 FROM members_membership e WHERE e.member_id = m.id
                  AND e.kind = 'home' AND e.start_date < h.start_date)
  AND NOT EXISTS (SELECT 1 FROM members_statusevent s WHERE s.member_id = m.id
                  AND s.kind = 'readmitted' AND s.date = h.start_date)
"""
ADMISSIONS = PERIOD_BRANCHES + f"SELECT h.branch_id, count(*) {ADMITTED} GROUP BY h.branch_id"
EVALUATIONS = (
    PERIOD_BRANCHES
    + """
SELECT e.branch_id, e.level, count(*)
FROM branchwork_evaluation e JOIN branch ON branch.id = e.branch_id
WHERE e.year = %(year)s
GROUP BY e.branch_id, e.level
"""
)
# The subtree on the last day, the root left out, each node with its kind on that day.
ORGANIZATIONS_ON_THE_LAST_DAY = """
SELECT coalesce(nn.kind, n.kind) AS kind, n.sector
FROM branches_nodeplacement q
JOIN branches_organizationnode n ON n.id = q.node_id
LEFT JOIN branches_nodename nn ON nn.node_id = n.id
 AND nn.valid_from <= %(end)s AND (nn.valid_to IS NULL OR nn.valid_to > %(end)s)
WHERE q.path LIKE %(end_path)s AND q.path <> %(root_path)s
  AND q.valid_from <= %(end)s AND (q.valid_to IS NULL OR q.valid_to > %(end)s)
  AND (q.valid_to IS NULL OR q.valid_to > q.valid_from)
"""
ORGANIZATIONS = (
    f"SELECT kind, sector, count(*) FROM ({ORGANIZATIONS_ON_THE_LAST_DAY}) o GROUP BY 1, 2"
)


def meetings_floor(code: str, first: datetime.date, end: datetime.date) -> tuple[dict, dict]:
    """meetings_section's per-branch figures (branch id -> expected regular, held, expected
    thematic, held, present, counted, for the branches with any) and its table."""
    per_branch, quarters_due, quarters_held = {}, Counter(), Counter()
    rated = at_90 = at_100 = branches = 0
    recorded = False
    with connection.cursor() as cursor:
        values, windows = period_values(cursor, code, first, end)
        cursor.execute(MEETINGS_PER_BRANCH.replace("{windows}", windows), values)
        for branch_id, *figures, due_quarters, held_quarters, held_any in cursor.fetchall():
            expected, _, _, _, present, counted = figures
            if any(figures):
                per_branch[branch_id] = tuple(figures)
            quarters_due.update(due_quarters or ())
            quarters_held.update(held_quarters or ())
            branches += expected > 0
            recorded |= held_any
            if counted:
                rated += 1
                at_90 += rate(present, counted) >= 90
                at_100 += present == counted
        cursor.execute(MEETINGS_PER_MONTH.replace("{windows}", windows), values)
        by_month = {month: row for month, *row in cursor.fetchall()}
        cursor.execute(VISITS.replace("{windows}", windows), values)
        visits, visited = cursor.fetchone()
    thematic = Counter()
    for month, (_, _, meetings) in by_month.items():
        thematic[(month.month - 1) // 3 + 1] += meetings
    months = [
        datetime.date(end.year, m, 1)
        for m in range(1, 13)
        if first.replace(day=1) <= datetime.date(end.year, m, 1) <= end
    ]
    table = {
        "branches": branches,
        "thematic_by_quarter": [
            {
                "quarter": q,
                "due": quarters_due[q],
                "held": quarters_held[q],
                "meetings": thematic[q],
            }
            for q in range(1, 5)
        ],
        "attendance_by_month": [
            {"month": month.month, "rate": rate(*by_month.get(month, (0, 0, 0))[:2])}
            for month in months
        ],
        "branches_rated": rated,
        "branches_90": at_90,
        "branches_100": at_100,
        "recorded": recorded,
        "visits": visits,
        "visited_meetings": visited,
    }
    return per_branch, table


def evaluations_of_report(per_branch: dict, not_classified: int) -> tuple[dict, int]:
    """The same from the Figures add_member_evaluations filled, and what it returned."""
    found = {
        (branch_id, level): n
        for branch_id, figures in per_branch.items()
        for level, n in figures.evaluations.items()
        if n
    }
    return found, not_classified


def meetings_of_report(per_branch: dict, table: dict) -> tuple[dict, dict]:
    """The same from the Figures and the table meetings_section gave."""
    figures = {
        branch_id: (
            f.expected_regular,
            f.regular_held,
            f.expected_thematic,
            f.thematic_held,
            f.present,
            f.counted,
        )
        for branch_id, f in per_branch.items()
    }
    return {key: row for key, row in figures.items() if any(row)}, table


def admissions_floor(code: str, first: datetime.date, end: datetime.date) -> dict:
    """Branch id -> the admissions add_admissions counts there."""
    with connection.cursor() as cursor:
        values, windows = period_values(cursor, code, first, end)
        cursor.execute(ADMISSIONS.replace("{windows}", windows), values)
        return dict(cursor.fetchall())


def evaluations_floor(code: str, first: datetime.date, end: datetime.date) -> tuple[dict, int]:
    """(branch id, level) -> the members evaluated so, and the number not classified."""
    found, not_classified = {}, 0
    with connection.cursor() as cursor:
        values, windows = period_values(cursor, code, first, end)
        cursor.execute(EVALUATIONS.replace("{windows}", windows), values)
        for branch_id, level, n in cursor.fetchall():
            if level:
                found[branch_id, level] = n
            else:
                not_classified += n
    return found, not_classified


def organizations_floor(code: str, first: datetime.date, end: datetime.date) -> dict:
    """organization_counts' figures for the subtree of `code` on `end`."""
    with connection.cursor() as cursor:
        values, _ = period_values(cursor, code, first, end)
        cursor.execute(ORGANIZATIONS, values)
        rows = cursor.fetchall()
    by_kind, by_sector = Counter(), {}
    for kind, sector, n in rows:
        by_kind[kind] += n
        if kind in SECTOR_KINDS:
            by_sector.setdefault(sector, {})[kind] = n
    return {
        "district_committees": by_kind[NodeKind.DISTRICT_COMMITTEE],
        "commune_committees": by_kind[NodeKind.COMMUNE_COMMITTEE],
        "special_zones": by_sector.get(Sector.SPECIAL_ZONE, {}).get(NodeKind.COMMUNE_COMMITTEE, 0),
        "grassroots": sum(by_kind[kind] for kind in GRASSROOTS_KINDS),
        "grassroots_committees": by_kind[NodeKind.GRASSROOTS_COMMITTEE],
        "grassroots_branches": by_kind[NodeKind.GRASSROOTS_BRANCH],
        "partial_committees": by_kind[NodeKind.PARTIAL_COMMITTEE],
        "branches_under_committees": by_kind[NodeKind.BRANCH],
        "all_branches": sum(by_kind[kind] for kind in BRANCH_KINDS),
        "party_cells": by_kind[NodeKind.PARTY_CELL],
        "by_sector": by_sector,
    }
