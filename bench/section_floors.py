"""Floors of the report's sections over its members, each one PostgreSQL statement
written apart from the report's code, for bench/report_floor.py (the other sections of
the headline figures have theirs in bench/headline_floors.py):

- MEMBERS_AT_END: per branch, the members, official, women, exempted and each
  occupation (reports.sections.add_members_at_end);
- COMPOSITION: the root's members by standing, gender, ethnicity, religion, age band and
  each distribution the statistics forms ask for (reports.composition.member_composition);
- MOVEMENT: the members on the day before the period and on its last day, and every way
  in and out between (reports.membership.movement).

The two over the last day's members read its home memberships once, joined to their
members; the exemptions are each member's last exemption or resumption, found in one pass
over the status events. The subtree comes from the root's placements as constants
(period_values), as HEADLINE's does. Imported after django.setup() by report_floor.py.
"""

import datetime
from collections import Counter

from django.db import connection

from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS
from branchwork.enums import EvaluationLevel
from members.enums import Ethnicity, Gender, Religion
from reports.composition import DISTRIBUTIONS

# The root's placements that overlap the period: their paths and days become constants of
# the floors' statements, so PostgreSQL estimates the subtree from its statistics.
ROOT_PLACEMENTS = """
SELECT p.path, p.valid_from, p.valid_to
FROM branches_nodeplacement p JOIN branches_organizationnode n ON n.id = p.node_id
WHERE n.code = %(code)s AND p.valid_from <= %(end)s
  AND (p.valid_to IS NULL OR (p.valid_to > %(start)s AND p.valid_to > p.valid_from))
"""

# The branches under the root on some day of the period; at_end: under it on the last.
PERIOD_BRANCHES = """
WITH period_nodes AS (
    SELECT node_id, bool_or(valid_from <= %(end)s
                            AND (valid_to IS NULL OR valid_to > %(end)s)) AS at_end
    FROM branches_nodeplacement
    WHERE ({windows}) AND (valid_to IS NULL OR valid_to > valid_from)
    GROUP BY node_id
),
branch AS (
    SELECT n.id, n.established_on, n.dissolved_on, p.at_end
    FROM period_nodes p JOIN branches_organizationnode n ON n.id = p.node_id
    WHERE n.kind = ANY(%(branch_kinds)s)
)"""

# The home memberships of the day, in the branches under the root on it.
ON_THE_LAST_DAY = (
    PERIOD_BRANCHES
    + """,
on_last_day AS (
    SELECT h.branch_id, h.member_id
    FROM members_membership h JOIN branch b ON b.id = h.branch_id AND b.at_end
    WHERE h.kind = 'home' AND h.start_date <= %(end)s
      AND (h.end_date IS NULL OR h.end_date > %(end)s)
)"""
)

MEMBERS_AT_END = (
    ON_THE_LAST_DAY
    + """,
exemption AS (
    -- Each member's last exemption or resumption up to the day.
    SELECT DISTINCT ON (member_id) member_id, kind
    FROM members_statusevent
    WHERE kind IN ('exempted', 'resumed') AND date <= %(end)s
    ORDER BY member_id, date DESC, id DESC
)
SELECT d.branch_id, m.occupation, count(*),
       count(*) FILTER (WHERE m.official_date <= %(end)s),
       count(*) FILTER (WHERE m.gender = %(female)s),
       count(*) FILTER (WHERE e.kind = 'exempted')
FROM on_last_day d
JOIN members_member m ON m.id = d.member_id
LEFT JOIN exemption e ON e.member_id = d.member_id
GROUP BY d.branch_id, m.occupation
"""
)

GROUPED = (*DISTRIBUTIONS, "gender", "official_then", "age_band")
# The members grouped by every field at once: one hash of the day's members. A grouping
# set per field (GROUPING SETS) took half as long again at a province.
COMPOSITION = (
    ON_THE_LAST_DAY
    + f"""
SELECT {", ".join(DISTRIBUTIONS)}, gender,
       coalesce(official_date <= %(end)s, false) AS official_then,
       CASE WHEN date_of_birth > %(born_31)s THEN 'le30'
            WHEN date_of_birth > %(born_41)s THEN '31_40'
            WHEN date_of_birth > %(born_51)s THEN '41_50'
            WHEN date_of_birth > %(born_61)s THEN '51_60'
            ELSE 'ge61' END AS age_band,
       count(*), sum(extract(year FROM date_of_birth))::bigint
FROM on_last_day d JOIN members_member m ON m.id = d.member_id
GROUP BY {", ".join(str(i) for i in range(1, len(GROUPED) + 1))}
"""
)


# The subtree on the day before the period and on its last day, each node with where it
# stood; the home memberships of their branches, with those two days' marks.
MOVEMENT = """
WITH placed AS (
    SELECT node_id,
           bool_or(path LIKE %(start_root)s AND valid_from <= %(start)s
                   AND (valid_to IS NULL OR valid_to > %(start)s)) AS at_start,
           bool_or(path LIKE %(end_path)s AND valid_from <= %(end)s
                   AND (valid_to IS NULL OR valid_to > %(end)s)) AS at_end
    FROM branches_nodeplacement
    WHERE (path LIKE %(start_root)s OR path LIKE %(end_path)s)
      AND (valid_to IS NULL OR valid_to > valid_from)
    GROUP BY node_id
),
home AS (
    SELECT h.id, h.member_id, h.start_date, h.end_date, p.at_start, p.at_end
    FROM members_membership h JOIN placed p ON p.node_id = h.branch_id
    WHERE h.kind = 'home' AND (p.at_start OR p.at_end)
),
day_events AS (
    -- What happened to a member on a day of the period that decides a line.
    SELECT member_id, date, array_agg(kind) AS kinds
    FROM members_statusevent
    WHERE date > %(start)s AND date <= %(end)s
      AND kind IN ('readmitted', 'restructured', 'deceased', 'removed', 'expelled', 'left')
    GROUP BY member_id, date
),
came AS (
    SELECT h.member_id, h.start_date,
           NOT EXISTS (SELECT 1 FROM members_membership e WHERE e.member_id = h.member_id
                       AND e.kind = 'home' AND e.start_date < h.start_date) AS first,
           coalesce(ev.kinds, '{}') AS kinds
    FROM home h
    LEFT JOIN day_events ev ON ev.member_id = h.member_id AND ev.date = h.start_date
    WHERE h.start_date > %(start)s AND h.start_date <= %(end)s
      AND NOT EXISTS (SELECT 1 FROM home i WHERE i.member_id = h.member_id
                      AND i.end_date = h.start_date)
),
went AS (
    SELECT coalesce(ev.kinds, '{}') AS kinds
    FROM home h
    LEFT JOIN day_events ev ON ev.member_id = h.member_id AND ev.date = h.end_date
    WHERE h.end_date > %(start)s AND h.end_date <= %(end)s
      AND NOT EXISTS (SELECT 1 FROM home i WHERE i.member_id = h.member_id
                      AND i.start_date = h.end_date)
),
arrival AS (
    SELECT c.first AND NOT 'readmitted' = ANY(c.kinds)
               AND m.admission_decision_date > %(start)s
               AND m.admission_decision_date <= %(end)s AS admitted,
           c.first AND NOT 'readmitted' = ANY(c.kinds) AND m.admission_date > %(start)s
               AND coalesce(m.admission_decision_date <= %(start)s, true) AS earlier,
           'readmitted' = ANY(c.kinds) AS readmitted,
           'restructured' = ANY(c.kinds) AS restructured
    FROM came c JOIN members_member m ON m.id = c.member_id
),
on_days AS (
    SELECT at_start, at_end,
           count(*) FILTER (WHERE start_date <= %(start)s
                            AND (end_date IS NULL OR end_date > %(start)s)) AS on_start,
           count(*) FILTER (WHERE start_date <= %(end)s
                            AND (end_date IS NULL OR end_date > %(end)s)) AS on_end
    FROM home GROUP BY at_start, at_end
)
SELECT
    (SELECT sum(on_start) FROM on_days WHERE at_start),
    (SELECT sum(on_end) FROM on_days WHERE at_end),
    a.admitted, a.earlier, a.readmitted, a.transferred,
    (SELECT sum(on_start) FROM on_days WHERE at_end AND NOT at_start) + a.restructured,
    w.deceased, w.removed, w.expelled, w.left_party, w.transferred,
    (SELECT sum(on_end) FROM on_days WHERE at_start AND NOT at_end) + w.restructured
FROM (
    SELECT count(*) FILTER (WHERE admitted) AS admitted,
           count(*) FILTER (WHERE earlier) AS earlier,
           count(*) FILTER (WHERE readmitted) AS readmitted,
           count(*) FILTER (WHERE NOT (coalesce(admitted, false) OR coalesce(earlier, false)
                                       OR readmitted OR restructured)) AS transferred,
           count(*) FILTER (WHERE restructured) AS restructured
    FROM arrival
) a, (
    SELECT count(*) FILTER (WHERE 'deceased' = ANY(kinds)) AS deceased,
           count(*) FILTER (WHERE 'removed' = ANY(kinds)) AS removed,
           count(*) FILTER (WHERE 'expelled' = ANY(kinds)) AS expelled,
           count(*) FILTER (WHERE 'left' = ANY(kinds)) AS left_party,
           count(*) FILTER (WHERE NOT kinds && '{deceased,removed,expelled,left,restructured}')
               AS transferred,
           count(*) FILTER (WHERE 'restructured' = ANY(kinds)) AS restructured
    FROM went
) w
"""
MOVEMENT_LINES = (
    ("start",),
    ("end",),
    ("in", "admitted"),
    ("in", "admitted_earlier"),
    ("in", "readmitted"),
    ("in", "transferred_in"),
    ("in", "restructured_in"),
    ("out", "deceased"),
    ("out", "removed"),
    ("out", "expelled"),
    ("out", "left"),
    ("out", "transferred_out"),
    ("out", "restructured_out"),
)


def period_values(cursor, code: str, first: datetime.date, end: datetime.date):
    """The parameters of the floors' statements for the subtree of `code` from `first` to
    `end`, and the WHERE clause of its placements (the root's own placements, one query)."""
    start = first - datetime.timedelta(days=1)
    values = {
        "code": code,
        "first": first,
        "start": start,
        "end": end,
        "year": end.year,
        "branch_kinds": sorted(BRANCH_KINDS),
        "grassroots_kinds": sorted(GRASSROOTS_KINDS),
        "levels": list(EvaluationLevel.values),
        "female": Gender.FEMALE.value,
    }
    cursor.execute(ROOT_PLACEMENTS, values)
    windows = []
    for i, (path, valid_from, valid_to) in enumerate(cursor.fetchall()):
        values[f"path{i}"], values[f"from{i}"] = path + "%", max(start, valid_from)
        window = (
            f"path LIKE %(path{i})s AND (valid_to IS NULL OR valid_to > %(from{i})s)"
            " AND valid_from <= %(end)s"
        )
        if valid_to is not None:
            values[f"to{i}"] = valid_to
            window += f" AND valid_from < %(to{i})s"
        windows.append(f"({window})")
        if valid_from <= end and (valid_to is None or valid_to > end):
            values["root_path"], values["end_path"] = path, path + "%"
    return values, " OR ".join(windows)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year - years, day=28)


def members_at_end_floor(code: str, first: datetime.date, end: datetime.date) -> dict:
    """Branch id -> (members, official, women, exempted, {occupation: members})."""
    found = {}
    with connection.cursor() as cursor:
        values, windows = period_values(cursor, code, first, end)
        cursor.execute(MEMBERS_AT_END.replace("{windows}", windows), values)
        for branch_id, occupation, n, official, women, exempted in cursor.fetchall():
            members, official_n, women_n, exempted_n, occupations = found.get(
                branch_id, (0, 0, 0, 0, {})
            )
            found[branch_id] = (
                members + n,
                official_n + official,
                women_n + women,
                exempted_n + exempted,
                occupations | {occupation: n},
            )
    return found


def members_at_end_of_report(per_branch: dict) -> dict:
    """The same from the Figures that add_members_at_end filled."""
    return {
        branch_id: (f.members, f.official, f.women, f.exempted, dict(f.occupations))
        for branch_id, f in per_branch.items()
        if f.members
    }


def composition_floor(code: str, first: datetime.date, end: datetime.date) -> dict:
    """member_composition's figures for the root `code` on `end`."""
    with connection.cursor() as cursor:
        values, windows = period_values(cursor, code, first, end)
        # Born after this day: not yet 31 (41, 51, 61) years old on `end`.
        for age in (31, 41, 51, 61):
            values[f"born_{age}"] = years_before(end, age)
        cursor.execute(COMPOSITION.replace("{windows}", windows), values)
        rows = cursor.fetchall()
    by_field = {name: Counter() for name in GROUPED}
    total, birth_years = 0, 0
    for *fields, n, years in rows:
        total, birth_years = total + n, birth_years + years
        for name, value in zip(GROUPED, fields, strict=True):
            by_field[name][value] += n
    official = by_field["official_then"][True]
    figures = {
        "total": total,
        "official": official,
        "probationary": total - official,
        "women": by_field["gender"][Gender.FEMALE.value],
        "minorities": total - by_field["ethnicity"][Ethnicity.KINH.value],
        "religious": total - by_field["religion"][Religion.NONE.value],
        "average_age": end.year - 0.5 - birth_years / total if total else None,
    }
    for band in ("le30", "31_40", "41_50", "51_60", "ge61"):
        figures[f"age_{band}"] = by_field["age_band"][band]
    for name in DISTRIBUTIONS:
        figures[name] = {value: n for value, n in by_field[name].items() if n}
    return figures


def movement_floor(code: str, first: datetime.date, end: datetime.date) -> dict:
    """movement()'s lines for the subtree of `code` from the day before `first` to `end`,
    as {"start": n, "end": n, "ins": {...}, "outs": {...}}."""
    with connection.cursor() as cursor:
        values, _ = period_values(cursor, code, first, end)
        values.setdefault("end_path", None)  # the root no longer stood on the last day
        # The root's placement on the day before the period (none: it did not stand then).
        cursor.execute(ROOT_PLACEMENTS, {**values, "end": values["start"]})
        placed = cursor.fetchone()
        values["start_root"] = placed[0] + "%" if placed else None
        cursor.execute(MOVEMENT, values)
        row = cursor.fetchone()
    found = {"ins": {}, "outs": {}}
    for line, n in zip(MOVEMENT_LINES, row, strict=True):
        if len(line) == 1:
            found[line[0]] = n or 0
        else:
            found[f"{line[0]}s"][line[1]] = n or 0
    return found


def movement_of_report(moves) -> dict:
    """The same from a reports.membership.Movement."""
    return {"start": moves.start, "end": moves.end, "ins": moves.ins, "outs": moves.outs}
