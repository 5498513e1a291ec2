"""Every figure of the annual report, hand-written in PostgreSQL: five statements run with a
raw cursor, which bench/report_figures.py checks build_annual_report's figures against
(a check, not a floor: bench/report_floor.py has the floors).

Parameters: code (the root's code), first (1 January), start (the day before), end (the
as-of date), year. The statements follow reports/service.py, reports/membership.py and
reports/composition.py rule for rule, so their results must equal the report's.
"""

import datetime
from collections import Counter

# The nodes that stood in the root's subtree on some day of the period, each with its last
# placement of the period; the children of the root; the branches among the nodes.
NODES = """
root AS (SELECT id FROM branches_organizationnode WHERE code = %(code)s),
placed AS (
    SELECT DISTINCT ON (q.node_id) q.node_id, q.path, q.valid_to
    FROM branches_nodeplacement q
    WHERE q.valid_from <= %(end)s AND (q.valid_to IS NULL OR q.valid_to > q.valid_from)
      AND ({windows})
    ORDER BY q.node_id, q.valid_from DESC
),
nodes AS (
    SELECT p.node_id, p.path, n.kind, n.established_on, n.dissolved_on,
           (p.valid_to IS NULL OR p.valid_to > %(end)s) AS at_end
    FROM placed p JOIN branches_organizationnode n ON n.id = p.node_id
),
children AS (
    SELECT n.node_id AS child_id, n.path FROM nodes n, nodes r, root
    WHERE r.node_id = root.id AND length(n.path) = length(r.path) + 4
),
child_of AS (
    SELECT n.node_id, c.child_id FROM nodes n JOIN children c ON n.path LIKE c.path || '%%'
),
branches AS (SELECT * FROM nodes WHERE kind IN ('grassroots_branch', 'branch'))
"""

# Per-branch figures, rolled up to each child (child_id set) and to the whole subtree
# (child_id NULL, total = 1).
BRANCH_FIGURES = f"""
WITH {NODES},
members_end AS (
    SELECT h.branch_id, count(*) AS members,
           count(*) FILTER (WHERE m.official_date <= %(end)s) AS official,
           count(*) FILTER (WHERE m.gender = 'female') AS women,
           count(*) FILTER (WHERE (
               SELECT e.kind FROM members_statusevent e
               WHERE e.member_id = h.member_id AND e.kind IN ('exempted', 'resumed')
                 AND e.date <= %(end)s
               ORDER BY e.date DESC, e.id DESC LIMIT 1) = 'exempted') AS exempted
    FROM members_membership h JOIN members_member m ON m.id = h.member_id
    WHERE h.kind = 'home' AND h.start_date <= %(end)s
      AND (h.end_date IS NULL OR h.end_date > %(end)s)
      AND h.branch_id IN (SELECT node_id FROM branches WHERE at_end)
    GROUP BY h.branch_id
),
admitted AS (
    SELECT h.branch_id, count(*) AS admitted
    FROM members_membership h JOIN members_member m ON m.id = h.member_id
    WHERE h.kind = 'home' AND h.branch_id IN (SELECT node_id FROM branches)
      AND m.admission_decision_date > %(start)s AND m.admission_decision_date <= %(end)s
      AND NOT EXISTS (SELECT 1 FROM members_membership e WHERE e.member_id = h.member_id
                      AND e.kind = 'home' AND e.start_date < h.start_date)
      AND NOT EXISTS (SELECT 1 FROM members_statusevent e WHERE e.member_id = h.member_id
                      AND e.kind = 'readmitted' AND e.date = h.start_date)
    GROUP BY h.branch_id
),
due AS (
    SELECT b.node_id, s.month::date AS month
    FROM branches b,
         generate_series(date_trunc('month', %(first)s::date), %(end)s, '1 month') s(month)
    WHERE (s.month + interval '1 month - 1 day')::date <= %(end)s
      AND s.month >= %(first)s AND b.established_on <= s.month
      AND (b.dissolved_on IS NULL OR b.dissolved_on > (s.month + interval '1 month - 1 day'))
),
held AS (
    SELECT branch_id, month, count(*) FILTER (WHERE kind = 'regular') AS regular,
           count(*) FILTER (WHERE kind = 'thematic' OR with_thematic_part) AS thematic
    FROM branchwork_meeting
    WHERE branch_id IN (SELECT node_id FROM branches)
      AND month >= %(first)s AND month <= %(end)s
    GROUP BY branch_id, month
),
regular AS (
    SELECT d.node_id, count(*) AS expected_regular,
           count(*) FILTER (WHERE h.regular > 0) AS regular_held
    FROM due d LEFT JOIN held h ON h.branch_id = d.node_id AND h.month = d.month
    GROUP BY d.node_id
),
thematic AS (
    SELECT d.node_id, count(*) AS expected_thematic,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM held h WHERE h.branch_id = d.node_id AND h.thematic > 0
                 AND date_trunc('quarter', h.month) = date_trunc('quarter', d.month)
           )) AS thematic_held
    FROM due d WHERE extract(month FROM d.month)::int %% 3 = 0
    GROUP BY d.node_id
),
attendance AS (
    SELECT g.branch_id, count(*) FILTER (WHERE a.status = 'present') AS present,
           count(*) FILTER (WHERE NOT a.exempted OR a.status = 'present') AS counted
    FROM branchwork_attendance a JOIN branchwork_meeting g ON g.id = a.meeting_id
    WHERE g.kind = 'regular' AND g.branch_id IN (SELECT node_id FROM branches)
      AND g.month >= %(first)s AND g.month <= %(end)s
    GROUP BY g.branch_id
),
inspections AS (
    SELECT inspecting_node_id AS node_id, count(*) AS inspections FROM branchwork_inspection
    WHERE inspecting_node_id IN (SELECT node_id FROM nodes)
      AND date >= %(first)s AND date <= %(end)s
    GROUP BY inspecting_node_id
),
evaluations AS (
    SELECT branch_id,
           count(*) FILTER (WHERE level = 'excellent') AS excellent,
           count(*) FILTER (WHERE level = 'good') AS good,
           count(*) FILTER (WHERE level = 'completed') AS completed,
           count(*) FILTER (WHERE level = 'not_completed') AS not_completed
    FROM branchwork_evaluation
    WHERE year = %(year)s AND branch_id IN (SELECT node_id FROM branches)
    GROUP BY branch_id
),
per_branch AS (
    SELECT b.node_id, b.at_end, coalesce(m.members, 0) AS members,
           coalesce(m.official, 0) AS official, coalesce(m.women, 0) AS women,
           coalesce(m.exempted, 0) AS exempted, coalesce(ad.admitted, 0) AS admitted,
           coalesce(r.expected_regular, 0) AS expected_regular,
           coalesce(r.regular_held, 0) AS regular_held,
           coalesce(t.expected_thematic, 0) AS expected_thematic,
           coalesce(t.thematic_held, 0) AS thematic_held,
           coalesce(at.present, 0) AS present, coalesce(at.counted, 0) AS counted,
           coalesce(i.inspections, 0) AS inspections,
           coalesce(e.excellent, 0) AS excellent, coalesce(e.good, 0) AS good,
           coalesce(e.completed, 0) AS completed,
           coalesce(e.not_completed, 0) AS not_completed
    FROM branches b
    LEFT JOIN members_end m ON m.branch_id = b.node_id
    LEFT JOIN admitted ad ON ad.branch_id = b.node_id
    LEFT JOIN regular r ON r.node_id = b.node_id
    LEFT JOIN thematic t ON t.node_id = b.node_id
    LEFT JOIN attendance at ON at.branch_id = b.node_id
    LEFT JOIN inspections i ON i.node_id = b.node_id
    LEFT JOIN evaluations e ON e.branch_id = b.node_id
),
targeted AS (
    SELECT p.*, CASE WHEN p.at_end AND p.official > 0
                     THEN CASE WHEN p.official >= %(threshold)s THEN %(with_committee)s
                               ELSE %(without_committee)s END
                     ELSE 0 END AS inspection_target
    FROM per_branch p
)
SELECT GROUPING(c.child_id) = 1 AS total, c.child_id,
       sum(members), sum(official), sum(women), sum(exempted), sum(admitted),
       sum(expected_regular), sum(regular_held), sum(expected_thematic), sum(thematic_held),
       sum(present), sum(counted), sum(inspection_target),
       count(*) FILTER (WHERE inspection_target > 0),
       count(*) FILTER (WHERE inspection_target > 0 AND inspections >= inspection_target),
       sum(excellent), sum(good), sum(completed), sum(not_completed),
       count(*) FILTER (WHERE expected_regular > 0),
       count(*) FILTER (WHERE counted > 0),
       count(*) FILTER (WHERE counted > 0 AND 100.0 * present / counted >= 90)
FROM targeted t LEFT JOIN child_of c ON c.node_id = t.node_id
GROUP BY GROUPING SETS ((c.child_id), ())
"""
BRANCH_COLUMNS = (
    "members",
    "official",
    "women",
    "exempted",
    "admitted",
    "expected_regular",
    "regular_held",
    "expected_thematic",
    "thematic_held",
    "present",
    "counted",
    "inspection_target",
    "inspection_branches",
    "inspection_met",
    "excellent",
    "good",
    "completed",
    "not_completed",
    "meeting_branches",
    "branches_rated",
    "branches_90",
)

# Everything counted over the period's nodes as a whole, one row per (kind, key, n):
# inspections by child and in total, admission targets, organization evaluations,
# thematic meetings and attendance by quarter and month, visits, badges, unclassified
# member evaluations.
PERIOD_FIGURES = f"""
WITH {NODES},
meetings AS (
    SELECT * FROM branchwork_meeting
    WHERE branch_id IN (SELECT node_id FROM branches)
      AND month >= %(first)s AND month <= %(end)s
)
SELECT 'inspections', coalesce(c.child_id::text, 'total'), count(*)
FROM branchwork_inspection i LEFT JOIN child_of c ON c.node_id = i.inspecting_node_id
WHERE i.inspecting_node_id IN (SELECT node_id FROM nodes)
  AND i.date >= %(first)s AND i.date <= %(end)s
GROUP BY GROUPING SETS ((c.child_id), ())
UNION ALL
SELECT 'target', t.node_id::text, t.target FROM admission_admissiontarget t
WHERE t.year = %(year)s AND (t.node_id IN (SELECT child_id FROM children)
                             OR t.node_id = (SELECT id FROM root))
UNION ALL
SELECT 'org_level', e.node_id::text || ':' || n.kind || ':' || coalesce(e.level, ''), 1
FROM branchwork_organizationevaluation e JOIN nodes n ON n.node_id = e.node_id
WHERE e.year = %(year)s AND e.node_id <> (SELECT id FROM root)
UNION ALL
SELECT 'thematic_meetings', extract(quarter FROM month)::text, count(*) FROM meetings
WHERE kind = 'thematic' OR with_thematic_part GROUP BY 2
UNION ALL
SELECT 'attendance_' || a.status || ':' || a.exempted::text,
       extract(month FROM g.month)::text, count(*)
FROM branchwork_attendance a JOIN meetings g ON g.id = a.meeting_id
WHERE g.kind = 'regular' GROUP BY 1, 2
UNION ALL
SELECT 'visits', 'guests', count(*) FROM branchwork_meetingguest WHERE meeting_id IN (
    SELECT id FROM meetings)
UNION ALL
SELECT 'visits', 'meetings', count(DISTINCT meeting_id) FROM branchwork_meetingguest
WHERE meeting_id IN (SELECT id FROM meetings)
UNION ALL
SELECT 'not_classified', 'members', count(*) FROM branchwork_evaluation
WHERE year = %(year)s AND branch_id IN (SELECT node_id FROM branches)
  AND coalesce(level, '') = ''
UNION ALL
SELECT 'badges', b.years::text, count(*) FROM branchwork_badgeaward b
WHERE b.award_date >= %(first)s AND b.award_date <= %(end)s AND EXISTS (
    SELECT 1 FROM members_membership h WHERE h.member_id = b.member_id AND h.kind = 'home'
      AND h.branch_id IN (SELECT node_id FROM branches) AND h.start_date <= b.award_date
      AND (h.end_date IS NULL OR h.end_date > b.award_date))
GROUP BY b.years
"""

# The subtree as it stood on a day (branches.queries.subtree_as_of); {pattern} is the
# root's path on that day followed by %, NULL when it did not stand then.
AS_OF = """
{name} AS (
    SELECT q.node_id FROM branches_nodeplacement q
    WHERE q.path LIKE {pattern} AND q.valid_from <= {day}
      AND (q.valid_to IS NULL OR q.valid_to > {day})
)"""

MOVEMENT = f"""
WITH root AS (SELECT id FROM branches_organizationnode WHERE code = %(code)s),
{AS_OF.format(name="at_start", day="%(start)s", pattern="%(start_pattern)s")},
{AS_OF.format(name="at_end", day="%(end)s", pattern="%(end_pattern)s")},
subtree AS (SELECT node_id FROM at_start UNION SELECT node_id FROM at_end),
arrivals AS (
    SELECT EXISTS (SELECT 1 FROM members_statusevent e WHERE e.member_id = h.member_id
                   AND e.kind = 'readmitted' AND e.date = h.start_date) AS readmission,
           NOT EXISTS (SELECT 1 FROM members_membership e WHERE e.member_id = h.member_id
                       AND e.kind = 'home' AND e.start_date < h.start_date) AS first,
           m.admission_decision_date > %(start)s AS decided_in,
           m.admission_date > %(start)s AS ceremony_in
    FROM members_membership h JOIN members_member m ON m.id = h.member_id
    WHERE h.kind = 'home' AND h.branch_id IN (SELECT node_id FROM subtree)
      AND h.start_date > %(start)s AND h.start_date <= %(end)s
      AND NOT EXISTS (SELECT 1 FROM members_membership e WHERE e.member_id = h.member_id
                      AND e.kind = 'home' AND e.end_date = h.start_date
                      AND e.branch_id IN (SELECT node_id FROM subtree))
),
departures AS (
    SELECT (SELECT array_agg(DISTINCT e.kind) FROM members_statusevent e
            WHERE e.member_id = h.member_id AND e.date = h.end_date
              AND e.kind IN ('deceased', 'removed', 'expelled', 'left')) AS exits
    FROM members_membership h
    WHERE h.kind = 'home' AND h.branch_id IN (SELECT node_id FROM subtree)
      AND h.end_date > %(start)s AND h.end_date <= %(end)s
      AND NOT EXISTS (SELECT 1 FROM members_membership e WHERE e.member_id = h.member_id
                      AND e.kind = 'home' AND e.start_date = h.end_date
                      AND e.branch_id IN (SELECT node_id FROM subtree))
),
on_start AS (
    SELECT branch_id FROM members_membership WHERE kind = 'home'
      AND start_date <= %(start)s AND (end_date IS NULL OR end_date > %(start)s)
),
on_end AS (
    SELECT branch_id FROM members_membership WHERE kind = 'home'
      AND start_date <= %(end)s AND (end_date IS NULL OR end_date > %(end)s)
)
SELECT
    (SELECT count(*) FROM on_start WHERE branch_id IN (SELECT node_id FROM at_start)),
    (SELECT count(*) FROM on_end WHERE branch_id IN (SELECT node_id FROM at_end)),
    (SELECT count(*) FROM arrivals WHERE first AND decided_in AND NOT readmission),
    (SELECT count(*) FROM arrivals
     WHERE first AND NOT decided_in AND ceremony_in AND NOT readmission),
    (SELECT count(*) FROM arrivals WHERE readmission),
    (SELECT count(*) FROM arrivals
     WHERE NOT readmission AND NOT (first AND (decided_in OR ceremony_in))),
    (SELECT count(*) FROM on_start WHERE branch_id IN (
         SELECT node_id FROM at_end EXCEPT SELECT node_id FROM at_start)),
    (SELECT count(*) FROM departures WHERE 'deceased' = ANY(exits)),
    (SELECT count(*) FROM departures WHERE 'removed' = ANY(exits)),
    (SELECT count(*) FROM departures WHERE 'expelled' = ANY(exits)),
    (SELECT count(*) FROM departures WHERE 'left' = ANY(exits)),
    (SELECT count(*) FROM departures WHERE exits IS NULL),
    (SELECT count(*) FROM on_end WHERE branch_id IN (
         SELECT node_id FROM at_start EXCEPT SELECT node_id FROM at_end))
"""

# Composition of the members on the as-of date, organizations by kind and sector, and the
# residential figures: one row per (kind, key, n).
COMPOSITION = f"""
WITH root AS (SELECT id, code FROM branches_organizationnode WHERE code = %(code)s),
{AS_OF.format(name="subtree", day="%(end)s", pattern="%(end_pattern)s")},
members AS (
    SELECT m.* FROM members_member m WHERE m.id IN (
        SELECT member_id FROM members_membership WHERE kind = 'home'
          AND branch_id IN (SELECT node_id FROM subtree)
          AND start_date <= %(end)s AND (end_date IS NULL OR end_date > %(end)s))
),
heads AS (
    SELECT p.* FROM members_position p
    JOIN branches_residentialarea a ON a.id = p.residential_area_id
    WHERE p.role = 'village_head' AND a.branch_id IN (SELECT node_id FROM subtree)
      AND p.start_date <= %(end)s AND (p.end_date IS NULL OR p.end_date > %(end)s)
),
village_branches AS (
    SELECT DISTINCT branch_id FROM branches_residentialarea
    WHERE branch_id IN (SELECT node_id FROM subtree)
),
secretaries AS (
    SELECT p.* FROM members_position p
    WHERE p.role = 'secretary' AND p.node_id IN (SELECT branch_id FROM village_branches)
      AND p.start_date <= %(end)s AND (p.end_date IS NULL OR p.end_date > %(end)s)
),
years AS (SELECT extract(year FROM %(end)s::date)::int AS year)
SELECT 'total', '', count(*) FROM members
UNION ALL SELECT 'official', '', count(*) FROM members WHERE official_date <= %(end)s
UNION ALL SELECT 'women', '', count(*) FROM members WHERE gender = 'female'
UNION ALL SELECT 'minorities', '', count(*) FROM members WHERE ethnicity <> 'kinh'
UNION ALL SELECT 'religious', '', count(*) FROM members WHERE religion <> 'none'
UNION ALL
SELECT 'age', CASE
        WHEN date_of_birth > (%(end)s::date - interval '31 years') THEN 'le30'
        WHEN date_of_birth > (%(end)s::date - interval '41 years') THEN '31_40'
        WHEN date_of_birth > (%(end)s::date - interval '51 years') THEN '41_50'
        WHEN date_of_birth > (%(end)s::date - interval '61 years') THEN '51_60'
        ELSE 'ge61' END, count(*)
FROM members GROUP BY 2
UNION ALL
SELECT 'age_years_x2', '', coalesce(sum(2 * (y.year - extract(year FROM date_of_birth)) - 1), 0)
FROM members, years y
UNION ALL
SELECT field, value, count(*) FROM members, LATERAL (VALUES
    ('general_education', general_education), ('qualification', qualification),
    ('political_theory', political_theory), ('occupation', occupation),
    ('ethnicity', ethnicity), ('religion', religion)) v(field, value)
GROUP BY field, value
UNION ALL
SELECT 'org_kind', kind, count(*) FROM branches_organizationnode
WHERE id IN (SELECT node_id FROM subtree) AND code <> %(code)s GROUP BY kind
UNION ALL
SELECT 'org_sector', sector || ':' || kind, count(*) FROM branches_organizationnode
WHERE id IN (SELECT node_id FROM subtree) AND code <> %(code)s
  AND kind IN ('grassroots_committee', 'grassroots_branch')
GROUP BY sector, kind
UNION ALL
SELECT 'areas', '', count(*) FROM branches_residentialarea
WHERE branch_id IN (SELECT node_id FROM subtree)
UNION ALL
SELECT 'households', '', coalesce(sum(y.households), 0) FROM branches_residentialareayear y
JOIN branches_residentialarea a ON a.id = y.area_id
WHERE a.branch_id IN (SELECT node_id FROM subtree) AND y.year = (SELECT year FROM years)
UNION ALL
SELECT 'population', '', coalesce(sum(y.population), 0) FROM branches_residentialareayear y
JOIN branches_residentialarea a ON a.id = y.area_id
WHERE a.branch_id IN (SELECT node_id FROM subtree) AND y.year = (SELECT year FROM years)
UNION ALL
SELECT 'village_heads_members', '', count(DISTINCT residential_area_id) FROM heads
UNION ALL SELECT 'village_branches', '', count(*) FROM village_branches
UNION ALL
SELECT 'secretaries_village_heads', '', count(DISTINCT s.node_id) FROM secretaries s
WHERE EXISTS (SELECT 1 FROM heads h JOIN branches_residentialarea a
              ON a.id = h.residential_area_id
              WHERE h.member_id = s.member_id AND a.branch_id = s.node_id)
"""

# The floor of the report's attendance figures (reports.sections.meetings_section): one
# statement adding up the regular meetings' totals by branch, then over the subtree; and
# the same figures from the attendance rows, as the report read them before meetings
# carried their totals. Each returns present, counted, branches rated, branches at 90%.
ATTENDANCE = """
WITH {NODES},
per_branch AS (
    SELECT {per_branch}
    WHERE g.kind = 'regular' AND g.branch_id IN (SELECT node_id FROM branches)
      AND g.month >= %(first)s AND g.month <= %(end)s
    GROUP BY g.branch_id
)
SELECT coalesce(sum(present), 0), coalesce(sum(counted), 0),
       count(*) FILTER (WHERE counted > 0),
       count(*) FILTER (WHERE counted > 0 AND 100.0 * present / counted >= 90)
FROM per_branch
"""
ATTENDANCE_STATEMENTS = {
    "attendance from the meetings' totals": ATTENDANCE.replace(
        "{per_branch}",
        "g.branch_id, sum(g.present_count) AS present, sum(g.counted_count) AS counted "
        "FROM branchwork_meeting g",
    ).replace("{NODES}", NODES),
    "attendance from the rows": ATTENDANCE.replace(
        "{per_branch}",
        "g.branch_id, count(*) FILTER (WHERE a.status = 'present') AS present, "
        "count(*) FILTER (WHERE NOT a.exempted OR a.status = 'present') AS counted "
        "FROM branchwork_attendance a JOIN branchwork_meeting g ON g.id = a.meeting_id",
    ).replace("{NODES}", NODES),
}

STATEMENTS = {
    "branches": BRANCH_FIGURES,
    "period": PERIOD_FIGURES,
    "movement": MOVEMENT,
    "composition": COMPOSITION,
}


def params(code: str, year: int, first: datetime.date, end: datetime.date, rules) -> dict:
    """The statements' parameters; `rules` are the inspection and branch size rules in
    force at `end`."""
    inspection, size = rules
    return {
        "code": code,
        "year": year,
        "first": first,
        "start": first - datetime.timedelta(days=1),
        "end": end,
        "threshold": size.committee_min_official,
        "with_committee": inspection.with_committee,
        "without_committee": inspection.without_committee,
    }


# The root's placements during the period: the statements get its paths as constants, so
# PostgreSQL estimates the subtree's size from its statistics (joined to the placements
# table instead, the subtree is estimated at a couple of rows and a province's per-branch
# joins become nested loops over thousands of rows).
ROOT_PLACEMENTS = """
SELECT p.path, p.valid_from, p.valid_to FROM branches_nodeplacement p
JOIN branches_organizationnode n ON n.id = p.node_id
WHERE n.code = %(code)s AND p.valid_from <= %(end)s
  AND (p.valid_to IS NULL OR p.valid_to > %(start)s AND p.valid_to > p.valid_from)
"""


def _path_on(placements, day: datetime.date) -> str | None:
    for path, valid_from, valid_to in placements:
        if valid_from <= day and (valid_to is None or valid_to > day):
            return path + "%"
    return None


def run(cursor, values: dict, statements: dict = STATEMENTS) -> dict:
    """The raw rows of each of `statements`."""
    cursor.execute(ROOT_PLACEMENTS, values)
    placements = cursor.fetchall()
    values = {
        **values,
        "start_pattern": _path_on(placements, values["start"]),
        "end_pattern": _path_on(placements, values["end"]),
    }
    windows = []
    for i, (path, valid_from, valid_to) in enumerate(placements):
        values[f"w{i}_path"] = path + "%"
        values[f"w{i}_after"] = max(values["start"], valid_from)
        window = (
            f"q.path LIKE %(w{i}_path)s AND (q.valid_to IS NULL OR q.valid_to > %(w{i}_after)s)"
        )
        if valid_to is not None:
            values[f"w{i}_to"] = valid_to
            window += f" AND q.valid_from < %(w{i}_to)s"
        windows.append(f"({window})")
    condition = " OR ".join(windows) or "false"
    result = {}
    for name, sql in statements.items():
        cursor.execute(sql.replace("{windows}", condition), values)
        result[name] = cursor.fetchall()
    return result


def pairs(rows) -> dict:
    """(kind, key, n) rows as {kind: {key: n}}."""
    result: dict[str, dict] = {}
    for kind, key, n in rows:
        result.setdefault(kind, {})[key] = n
    return result


def evaluation_counter(row: dict) -> Counter:
    return Counter(
        {
            level: row[level]
            for level in ("excellent", "good", "completed", "not_completed")
            if row[level]
        }
    )


def branch_rows(rows) -> tuple[dict, dict[int, dict]]:
    """The subtree total and the per-child rows of BRANCH_FIGURES, as dicts."""
    total, children = None, {}
    for is_total, child_id, *values in rows:
        row = dict(zip(BRANCH_COLUMNS, (int(v or 0) for v in values), strict=True))
        if is_total:
            total = row
        elif child_id is not None:
            children[child_id] = row
    return total, children
