"""The annual report against its floors, timed alternately in the same run.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_reports \\
        python bench/report_floor.py [--code H01] [--year 2026] [--runs 7] [--no-pdf]

Figures: build_annual_report (every figure of every section) against HEADLINE, one
PostgreSQL statement written apart from the report's code that computes its headline
figures (members at the end, organizations by kind, admissions, regular and thematic
meetings held against due, attendance, member evaluations). The statement's figures are
checked equal to the report's before anything is timed; the bench stops on a difference.
The floor is the least a report showing those figures must do: each of its parts reads
its rows once, through the indexes, with no correlated subquery per member, and the
attendance comes from the meetings' stored totals.

Sections: the three sections over the members, the members per branch on the last day
(add_members_at_end), the composition (member_composition) and the movement table
(movement), and the other sections of the headline figures, the admissions, the meetings,
the member evaluations and the organizations, each against statements of its own that
compute the same figures (bench/section_floors.py, bench/headline_floors.py), checked
equal first, then timed alternately.

PDF: rendering the report's PDF (figures computed before) against WeasyPrint rendering
the same text, every paragraph, heading and table cell, as plain paragraphs on A4 pages
with no stylesheet beyond the font. Pages/s is the real PDF's pages over its rendering
time.

Both sides run on one connection with parallel query off, as the web server runs them
(deploy/systemd/partyorg-web.service), so the CPU time printed (this process plus its
PostgreSQL backend, from /proc) is all the work done.
"""

import argparse
import datetime
import html
import io
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from headline_floors import (  # noqa: E402
    ADMITTED,
    DUE_MONTHS,
    ORGANIZATIONS_ON_THE_LAST_DAY,
    admissions_floor,
    evaluations_floor,
    evaluations_of_report,
    meetings_floor,
    meetings_of_report,
    organizations_floor,
)
from pypdf import PdfReader  # noqa: E402
from section_floors import (  # noqa: E402
    composition_floor,
    members_at_end_floor,
    members_at_end_of_report,
    movement_floor,
    movement_of_report,
    period_values,
)
from weasyprint import HTML  # noqa: E402

from branches.models import OrganizationNode  # noqa: E402
from branchwork.enums import EvaluationLevel  # noqa: E402
from reports import service  # noqa: E402
from reports.composition import member_composition, organization_counts  # noqa: E402
from reports.membership import movement  # noqa: E402
from reports.output import DOCUMENT_TEMPLATE, document_context, render  # noqa: E402
from reports.period import report_period  # noqa: E402
from reports.sections import (  # noqa: E402
    Figures,
    add_admissions,
    add_member_evaluations,
    add_members_at_end,
    meetings_section,
)
from reports.service import build_annual_report  # noqa: E402

HEADLINE = (
    DUE_MONTHS
    + f""",
held AS (
    SELECT branch_id, month,
           bool_or(kind = 'regular') AS regular,
           bool_or(kind = 'thematic' OR with_thematic_part) AS thematic,
           sum(present_count) FILTER (WHERE kind = 'regular') AS present,
           sum(counted_count) FILTER (WHERE kind = 'regular') AS counted
    FROM branchwork_meeting JOIN branch ON branch.id = branch_id
    WHERE month >= %(first)s AND month <= %(end)s
    GROUP BY branch_id, month
),
thematic_quarter AS (
    SELECT DISTINCT branch_id, date_trunc('quarter', month) AS quarter FROM held WHERE thematic
),
due_quarter AS (
    SELECT DISTINCT branch_id, date_trunc('quarter', month) AS quarter FROM due
    WHERE extract(month FROM month) IN (3, 6, 9, 12)
),
organization AS ({ORGANIZATIONS_ON_THE_LAST_DAY})
SELECT
    (SELECT count(*) FROM members_membership h JOIN branch ON branch.id = h.branch_id
     WHERE branch.at_end AND h.kind = 'home' AND h.start_date <= %(end)s
       AND (h.end_date IS NULL OR h.end_date > %(end)s)) AS members,
    (SELECT count(*) FROM organization WHERE kind = ANY(%(grassroots_kinds)s)) AS grassroots,
    (SELECT count(*) FROM organization WHERE kind = ANY(%(branch_kinds)s)) AS branches,
    (SELECT count(*) {ADMITTED}) AS admitted,
    (SELECT count(*) FROM due) AS regular_due,
    (SELECT count(*) FROM due JOIN held USING (branch_id, month) WHERE held.regular)
        AS regular_held,
    (SELECT count(*) FROM due_quarter) AS thematic_due,
    (SELECT count(*) FROM due_quarter JOIN thematic_quarter USING (branch_id, quarter))
        AS thematic_held,
    (SELECT coalesce(sum(present), 0) FROM held) AS present,
    (SELECT coalesce(sum(counted), 0) FROM held) AS counted,
    e.excellent, e.good_or_better, e.rated
FROM (
    SELECT count(*) FILTER (WHERE level = 'excellent') AS excellent,
           count(*) FILTER (WHERE level IN ('excellent', 'good')) AS good_or_better,
           count(*) FILTER (WHERE level = ANY(%(levels)s)) AS rated
    FROM branchwork_evaluation JOIN branch ON branch.id = branch_id
    WHERE year = %(year)s
) e
"""
)
NAMES = (
    "members",
    "grassroots",
    "branches",
    "admitted",
    "regular_due",
    "regular_held",
    "thematic_due",
    "thematic_held",
    "present",
    "counted",
    "members_excellent",
    "members_good_or_better",
    "members_rated",
)


def headline_floor(code: str, first: datetime.date, end: datetime.date) -> dict:
    """HEADLINE's figures for the subtree of `code` from `first` to `end`: two statements,
    the root's placements (a few rows) and HEADLINE."""
    with connection.cursor() as cursor:
        values, windows = period_values(cursor, code, first, end)
        cursor.execute(HEADLINE.replace("{windows}", windows), values)
        return dict(zip(NAMES, cursor.fetchone(), strict=True))


def report_headline(report) -> dict:
    """The same figures as the report has them."""
    t, evaluations = report.totals, report.member_evaluations
    return {
        "members": t.members,
        "grassroots": report.organizations["grassroots"],
        "branches": report.organizations["all_branches"],
        "admitted": t.admitted,
        "regular_due": t.expected_regular,
        "regular_held": t.regular_held,
        "thematic_due": t.expected_thematic,
        "thematic_held": t.thematic_held,
        "present": t.present,
        "counted": t.counted,
        "members_excellent": evaluations[EvaluationLevel.EXCELLENT],
        "members_good_or_better": evaluations[EvaluationLevel.EXCELLENT]
        + evaluations[EvaluationLevel.GOOD],
        "members_rated": sum(evaluations[level] for level in EvaluationLevel.values),
    }


def report_sections_headline(node, year: int) -> dict:
    """The headline figures from the report's own sections alone (its period, members at
    the end, admissions, meetings, member evaluations, organizations), as
    build_annual_report runs them: the same work as HEADLINE, done the report's way."""
    period = report_period(node, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    per_branch = defaultdict(Figures)
    add_members_at_end(period, per_branch)
    add_admissions(period, per_branch)
    meetings_section(period, per_branch)
    add_member_evaluations(period, per_branch)
    organizations = organization_counts(period.node.code, period.end)
    totals = Figures()
    for figures in per_branch.values():
        totals.add(figures)
    levels = totals.evaluations
    return {
        "members": totals.members,
        "grassroots": organizations["grassroots"],
        "branches": organizations["all_branches"],
        "admitted": totals.admitted,
        "regular_due": totals.expected_regular,
        "regular_held": totals.regular_held,
        "thematic_due": totals.expected_thematic,
        "thematic_held": totals.thematic_held,
        "present": totals.present,
        "counted": totals.counted,
        "members_excellent": levels[EvaluationLevel.EXCELLENT],
        "members_good_or_better": levels[EvaluationLevel.EXCELLENT] + levels[EvaluationLevel.GOOD],
        "members_rated": sum(levels[level] for level in EvaluationLevel.values),
    }


# The sections over the members, and the sections of the headline figures; a section
# may be in both.
MEMBER_SECTIONS = ("members at the end", "composition", "movement")
HEADLINE_SECTIONS = (
    "members at the end",
    "admissions",
    "meetings",
    "member evaluations",
    "organizations",
)


def section_floors(node, year: int, runs: int, backend_pid: int | None) -> list[str]:
    """Each section that has a floor (bench/section_floors.py, bench/headline_floors.py)
    against it: checked equal, then timed alternately; a ratio line each, one for the
    sections over the members, one for the sections of the headline figures, and one for
    all of them."""
    period = report_period(node, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    first, start, end = period.first, period.start, period.end

    def with_figures(section, of_report):
        """Run a section that fills per-branch Figures; its figures as the floor has them."""

        def run():
            per_branch = defaultdict(Figures)
            returned = section(period, per_branch)
            return of_report(per_branch, returned)

        return run

    pairs = {
        "members at the end": (
            with_figures(add_members_at_end, lambda pb, _: members_at_end_of_report(pb)),
            lambda: members_at_end_floor(node.code, first, end),
        ),
        "composition": (
            lambda: member_composition(node.code, end),
            lambda: composition_floor(node.code, first, end),
        ),
        "movement": (
            lambda: movement_of_report(movement(node.code, start, end)),
            lambda: movement_floor(node.code, first, end),
        ),
        "admissions": (
            with_figures(add_admissions, lambda pb, _: {b: f.admitted for b, f in pb.items()}),
            lambda: admissions_floor(node.code, first, end),
        ),
        "meetings": (
            with_figures(meetings_section, meetings_of_report),
            lambda: meetings_floor(node.code, first, end),
        ),
        "member evaluations": (
            with_figures(add_member_evaluations, evaluations_of_report),
            lambda: evaluations_floor(node.code, first, end),
        ),
        "organizations": (
            lambda: organization_counts(node.code, end),
            lambda: organizations_floor(node.code, first, end),
        ),
    }
    functions = {}
    for name, (section, floor) in pairs.items():
        mine, theirs = section(), floor()
        assert mine == theirs, f"{name}: the section and its floor differ"
        functions[name], functions[f"{name} floor"] = section, floor
    measured = alternate(functions, runs, backend_pid)
    lines = [ratio_line(f"{name} / its floor", measured, name, f"{name} floor") for name in pairs]

    def summed(names, suffix: str) -> tuple:
        wall = sum(measured[f"{name}{suffix}"][0] for name in names)
        cpu = sum(measured[f"{name}{suffix}"][1] for name in names)
        return wall, cpu, None

    for label, names in (
        ("the member sections", MEMBER_SECTIONS),
        ("the headline sections", HEADLINE_SECTIONS),
        ("all seven sections", tuple(pairs)),
    ):
        both = {"sections": summed(names, ""), "floors": summed(names, " floor")}
        lines.append(ratio_line(f"{label} / their floors", both, "sections", "floors"))
    return lines


# The steps of build_report, timed one by one (where the report's time goes).
STEPS = (
    "report_period",
    "add_members_at_end",
    "add_admissions",
    "meetings_section",
    "add_member_evaluations",
    "add_inspections",
    "subtree_as_of",
    "movement",
    "roll_up",
    "children_of",
    "admission_targets",
    "organization_levels",
    "organization_counts",
    "member_composition",
    "residential_figures",
    "organization_evaluations",
    "badges_section",
    "child_rows",
    "branch_groups",
    "localities",
)


def steps_breakdown(node, year: int, runs: int) -> dict[str, tuple[float, int]]:
    """Median seconds and queries of each step of build_annual_report."""
    spent = {name: [] for name in STEPS}
    queries = {}
    originals = {name: getattr(service, name) for name in STEPS}

    def timed_step(name, function):
        def step(*args, **kwargs):
            began, count = time.perf_counter(), len(connection.queries)
            try:
                return function(*args, **kwargs)
            finally:
                spent[name][-1] += time.perf_counter() - began
                queries[name] = queries.get(name, 0) + len(connection.queries) - count

        return step

    for name, function in originals.items():
        setattr(service, name, timed_step(name, function))
    try:
        with CaptureQueriesContext(connection):
            for _ in range(runs):
                for name in STEPS:
                    spent[name].append(0.0)
                queries.clear()
                build_annual_report(node, year)
    finally:
        for name, function in originals.items():
            setattr(service, name, function)
    return {name: (statistics.median(spent[name]), queries.get(name, 0)) for name in STEPS}


def plain_document(report) -> str:
    """The report's text (every paragraph, heading, table cell and chart title of its
    document) as plain paragraphs, with no stylesheet but the font."""
    document = render_to_string(DOCUMENT_TEMPLATE, document_context(report))
    body = re.sub(r"<(style|head)\b.*?</\1>", "", document, flags=re.S)
    body = re.sub(r'<img [^>]*alt="([^"]*)"[^>]*>', r"\n\1\n", body)
    body = re.sub(r"</(p|div|tr|h\d|figure)>|<br\s*/?>", "\n", body)
    body = re.sub(r"</t[dh]>", " ", body)
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    return (
        '<html><head><meta charset="utf-8"><style>@page { size: A4 } '
        'body { font-family: "Liberation Serif"; font-size: 14pt }</style></head><body>'
        + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
        + "</body></html>"
    )


def cpu_seconds(backend_pid: int) -> float:
    """CPU time used so far by this process and by its PostgreSQL backend."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    return time.process_time() + (int(fields[11]) + int(fields[12])) / ticks


def alternate(functions: dict, runs: int, backend_pid: int | None) -> dict:
    """Median wall and CPU seconds of each function, the functions run in turn so the
    machine's load weighs on each alike; and each one's last result."""
    walls = {name: [] for name in functions}
    cpus = {name: [] for name in functions}
    results = {}
    for _ in range(runs):
        for name, function in functions.items():
            cpu = cpu_seconds(backend_pid) if backend_pid else time.process_time()
            began = time.perf_counter()
            results[name] = function()
            walls[name].append(time.perf_counter() - began)
            after = cpu_seconds(backend_pid) if backend_pid else time.process_time()
            cpus[name].append(after - cpu)
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name]), results[name])
        for name in functions
    }


def ratio_line(label: str, measured: dict, app: str, floor: str) -> str:
    (wall, cpu, _), (floor_wall, floor_cpu, _) = measured[app], measured[floor]
    return (
        f"{label:<36} {wall * 1000:8,.0f} ms (CPU {cpu * 1000:6,.0f}) / floor "
        f"{floor_wall * 1000:7,.0f} ms (CPU {floor_cpu * 1000:6,.0f}) = {wall / floor_wall:.2f}×"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", default="H01")
    parser.add_argument("--year", type=int, default=datetime.date.today().year)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    node = OrganizationNode.objects.get(code=args.code)
    backend_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
    print(f"load average {os.getloadavg()[0]:.1f} at the start")

    report = build_annual_report(node, args.year)  # warms the connection and caches
    first, end = report.first, report.end
    floor = headline_floor(args.code, first, end)
    mine = report_headline(report)
    differences = {k: (mine[k], floor[k]) for k in NAMES if mine[k] != floor[k]}
    assert not differences, f"report vs floor differ (report, floor): {differences}"
    sections = report_sections_headline(node, args.year)
    assert sections == floor, f"the report's sections vs floor: {sections} vs {floor}"
    measured = alternate(
        {
            "report": lambda: build_annual_report(node, args.year),
            "floor": lambda: headline_floor(args.code, first, end),
            "sections": lambda: report_sections_headline(node, args.year),
        },
        args.runs,
        backend_pid,
    )
    for name in ("report", "floor", "sections"):
        result = measured[name][2]
        got = report_headline(result) if name == "report" else result
        assert got == floor, f"{name} changed between runs: {got} vs {floor}"
    print(f"{node.name} ({args.code}), {first:%d/%m/%Y}–{end:%d/%m/%Y}, {args.runs} runs")
    print("headline figures, all equal:", ", ".join(f"{k} {v:,}" for k, v in floor.items()))
    print(ratio_line("whole report / headline", measured, "report", "floor"))
    print(ratio_line("its headline sections / headline", measured, "sections", "floor"))
    for line in section_floors(node, args.year, args.runs, backend_pid):
        print(line)
    print("where the whole report's time goes (median ms, queries):")
    for name, (seconds, count) in steps_breakdown(node, args.year, args.runs).items():
        print(f"    {name:<26} {seconds * 1000:8,.1f} ms {count:3}")

    if not args.no_pdf:
        plain = plain_document(report)
        render(report, "pdf")  # fonts and stylesheets loaded once per process
        HTML(string=plain).write_pdf()
        measured = alternate(
            {
                "pdf": lambda: render(report, "pdf"),
                "plain": lambda: HTML(string=plain).write_pdf(),
            },
            max(3, args.runs // 2),
            None,
        )
        pages = len(PdfReader(io.BytesIO(measured["pdf"][2])).pages)
        plain_pages = len(PdfReader(io.BytesIO(measured["plain"][2])).pages)
        print(ratio_line("PDF / the text on plain pages", measured, "pdf", "plain"))
        print(
            f"PDF {pages} pages = {pages / measured['pdf'][0]:.1f} pages/s (rendering only, "
            f"figures computed before); plain {plain_pages} pages"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
