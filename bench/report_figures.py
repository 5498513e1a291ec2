"""Annual report speed on a district: build_annual_report against one hand-written SQL
query computing the headline figures, in the same run, then the PDF and the workbook.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_reports \\
        python bench/report_figures.py [--code H01] [--year 2025] [--runs 5] [--write]

Uses the database as it is; an empty one is first seeded with
`seed_demo --scale district --seed 1`; on PostgreSQL it runs ANALYZE first. With --write
the table replaces the "## Reports" section of docs/performance.md (other sections are
left alone).
"""

import argparse
import datetime
import io
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings")

import django  # noqa: E402

django.setup()

import report_sql  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS, NodeKind  # noqa: E402
from branches.meeting_queries import rate  # noqa: E402
from branches.models import OrganizationNode  # noqa: E402
from members.enums import AgeBand  # noqa: E402
from reports.membership import IN_REASONS, OUT_REASONS  # noqa: E402
from reports.output import render  # noqa: E402
from reports.service import LEVELS, build_annual_report  # noqa: E402


def timed(function, runs: int):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def hand_written(code: str, report) -> dict:
    """Every figure of the report from report_sql's statements, on a raw cursor."""
    values = report_sql.params(code, report.year, report.first, report.end, settings.PARTYORG)
    with connection.cursor() as cursor:
        return report_sql.run(cursor, values)


def _figures(figures) -> dict:
    """The report's Figures in BRANCH_COLUMNS' terms."""
    row = {name: getattr(figures, name) for name in report_sql.BRANCH_COLUMNS[:14]}
    row.update({level: figures.evaluations[level] for level in LEVELS})
    return row


def compare(report, sql: dict) -> tuple[list[str], int]:
    """The figures the SQL computed that differ from the report's ([] when all agree), and
    how many were compared."""
    expected, got = {}, {}

    def check(name, mine, theirs):
        expected[name], got[name] = mine, theirs

    total, children = report_sql.branch_rows(sql["branches"])
    t = report.totals
    mine = _figures(t)
    for name in report_sql.BRANCH_COLUMNS[:14]:
        # The total's admissions and inspections come from the period statements below.
        if name not in ("admitted", "inspections"):
            check(f"totals.{name}", mine[name], total[name])
    for level in LEVELS:
        check(f"totals.{level}", mine[level], total[level])
    meetings = report.meetings
    check("meetings.branches", meetings["branches"], total["meeting_branches"])
    check("meetings.branches_rated", meetings["branches_rated"], total["branches_rated"])
    check("meetings.branches_90", meetings["branches_90"], total["branches_90"])
    check("children", sorted(row.node.id for row in report.children), sorted(children))
    for row in report.children:
        theirs = children.get(row.node.id, {})
        mine = _figures(row.figures)
        for name in [*report_sql.BRANCH_COLUMNS[:14], *LEVELS]:
            if name != "inspections":
                check(f"child {row.node.code}.{name}", mine[name], theirs.get(name))

    period = report_sql.pairs(sql["period"])
    inspections = period.get("inspections", {})
    check("totals.inspections", t.inspections, inspections.get("total", 0))
    for row in report.children:
        check(
            f"child {row.node.code}.inspections",
            row.figures.inspections,
            inspections.get(str(row.node.id), 0),
        )
    targets = period.get("target", {})
    check("totals.target", t.target, targets.get(str(report.node.id)))
    for row in report.children:
        check(f"child {row.node.code}.target", row.figures.target, targets.get(str(row.node.id)))
    org = {"grassroots": Counter(), "branches": Counter()}
    child_levels = {}
    for key in period.get("org_level", {}):
        node_id, kind, level = key.split(":")
        child_levels[int(node_id)] = level
        if kind in GRASSROOTS_KINDS:
            org["grassroots"][level or "not_classified"] += 1
        if kind in BRANCH_KINDS:
            org["branches"][level or "not_classified"] += 1
    check("organization_evaluations", report.organization_evaluations, org)
    for row in report.children:
        check(
            f"child {row.node.code}.evaluation", row.evaluation, child_levels.get(row.node.id, "")
        )
    thematic = period.get("thematic_meetings", {})
    check(
        "thematic meetings by quarter",
        [q["meetings"] for q in meetings["thematic_by_quarter"]],
        [thematic.get(str(q), 0) for q in range(1, 5)],
    )
    by_month = defaultdict(lambda: [0, 0])
    for kind, months in period.items():
        if kind.startswith("attendance_"):
            status, exempted = kind.removeprefix("attendance_").split(":")
            for month, n in months.items():
                by_month[int(month)][0] += n if status == "present" else 0
                by_month[int(month)][1] += n if status == "present" or exempted == "false" else 0
    check(
        "attendance by month",
        [(row["month"], row["rate"]) for row in meetings["attendance_by_month"]],
        [(row["month"], rate(*by_month[row["month"]])) for row in meetings["attendance_by_month"]],
    )
    visits = period.get("visits", {})
    check(
        "visits",
        (meetings["visits"], meetings["visited_meetings"]),
        (
            visits.get("guests"),
            visits.get("meetings"),
        ),
    )
    check(
        "member evaluations not classified",
        report.member_evaluations["not_classified"],
        period.get("not_classified", {}).get("members"),
    )
    check("badges", report.badges, {int(k): v for k, v in period.get("badges", {}).items()})

    m = report.movement
    start, end, *flows = sql["movement"][0]
    check("movement.start", m.start, start)
    check("movement.end", m.end, end)
    reasons = [*IN_REASONS, *OUT_REASONS]
    check("movement flows", {**m.ins, **m.outs}, dict(zip(reasons, flows, strict=True)))
    check("totals.admitted", t.admitted, flows[0])

    c = report_sql.pairs(sql["composition"])
    comp = report.composition
    for name in ("total", "official", "women", "minorities", "religious"):
        check(f"composition.{name}", comp[name], c[name][""])
    ages = c.get("age", {})
    for band in AgeBand:
        check(f"composition.age_{band.value}", comp[f"age_{band.value}"], ages.get(band.value, 0))
    years_x2 = c["age_years_x2"][""]
    check(
        "composition.average_age",
        round(comp["average_age"], 9) if comp["average_age"] is not None else None,
        round(float(years_x2) / 2 / comp["total"], 9) if comp["total"] else None,
    )
    for field in (
        "general_education",
        "qualification",
        "political_theory",
        "occupation",
        "ethnicity",
        "religion",
    ):
        check(f"composition.{field}", comp[field], c.get(field, {}))
    kinds = c.get("org_kind", {})
    o = report.organizations
    check(
        "organizations.grassroots", o["grassroots"], sum(kinds.get(k, 0) for k in GRASSROOTS_KINDS)
    )
    check(
        "organizations.all_branches", o["all_branches"], sum(kinds.get(k, 0) for k in BRANCH_KINDS)
    )
    for name, kind in (
        ("grassroots_committees", NodeKind.GRASSROOTS_COMMITTEE),
        ("grassroots_branches", NodeKind.GRASSROOTS_BRANCH),
        ("partial_committees", NodeKind.PARTIAL_COMMITTEE),
        ("branches_under_committees", NodeKind.BRANCH),
        ("party_cells", NodeKind.PARTY_CELL),
    ):
        check(f"organizations.{name}", o[name], kinds.get(kind, 0))
    sectors = {}
    for key, n in c.get("org_sector", {}).items():
        sector, kind = key.split(":")
        sectors.setdefault(sector, {})[kind] = n
    check("organizations.by_sector", o["by_sector"], sectors)
    r = report.residential
    for name in (
        "areas",
        "households",
        "population",
        "village_heads_members",
        "secretaries",
        "secretaries_village_heads",
    ):
        check(f"residential.{name}", r[name], int(c[name][""]))
    differences = [
        f"{name}: report {expected[name]!r}, SQL {got[name]!r}"
        for name in expected
        if expected[name] != got[name]
    ]
    return differences, len(expected)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", default="H01")
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not OrganizationNode.objects.exists():
        call_command("seed_demo", scale="district", seed=1)
    if connection.vendor == "postgresql":
        # Fresh bulk-seeded tables have no statistics yet; plans would be guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    node = OrganizationNode.objects.get(code=args.code)

    build_annual_report(node, args.year)  # warm the connection and caches
    with CaptureQueriesContext(connection) as queries:
        report = build_annual_report(node, args.year)
    build_time, report = timed(lambda: build_annual_report(node, args.year), args.runs)
    sql_time, sql = timed(lambda: hand_written(args.code, report), args.runs)
    differences, compared = compare(report, sql)
    for difference in differences:
        print("DIFFERS", difference)
    assert not differences, f"{len(differences)} figures differ"
    t = report.totals
    pdf_time, pdf = timed(lambda: render(report, "pdf"), max(1, args.runs // 2))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    xlsx_time, _ = timed(lambda: render(report, "xlsx"), max(1, args.runs // 2))

    rows = [
        ("district", f"{node.name} ({args.code}), year {args.year}"),
        ("child nodes / members at the end", f"{len(report.children)} / {t.members:,}"),
        (
            "build_annual_report (every figure)",
            f"{build_time * 1000:,.0f} ms, {len(queries)} queries",
        ),
        (
            "hand-written SQL (the same figures)",
            f"{sql_time * 1000:,.1f} ms, {len(report_sql.STATEMENTS)} statements",
        ),
        ("ratio report / SQL", f"{build_time / sql_time:,.2f}×"),
        ("figures compared, all equal", f"{compared}"),
        (
            "PDF (WeasyPrint, with charts)",
            f"{pdf_time:,.2f} s, {pages} pages, {pages / pdf_time:,.1f} pages/s",
        ),
        ("Excel workbook", f"{xlsx_time * 1000:,.0f} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.write:
        write_section(rows, args)


def write_section(rows, args):
    vendor = connection.vendor
    version = connection.cursor().connection.info.server_version if vendor == "postgresql" else ""
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    section = f"""## Reports

`bench/report_figures.py` builds the annual report of a seeded district
(`seed_demo --scale district --seed 1`) and, in the same run, one hand-written SQL query
that computes only the headline figures (members at the end, official, women, admitted
in the year, attendance), so the ratio shows what the full report costs over the bare
minimum; then it renders the PDF and the workbook.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_reports \\
        .venv/bin/python bench/report_figures.py --year {args.year} --write

Run of {datetime.date.today():%d/%m/%Y}: {platform.machine()}, {os.cpu_count()} CPUs,
Python {platform.python_version()}, {vendor} {version}, load average
{os.getloadavg()[0]:.1f} (other jobs share the machine); medians of {args.runs} runs.

| measure | result |
|---|---|
{table}

The report runs a fixed number of queries (tests pin it on a small tree and one ten
times larger): per-branch grouped queries rolled up in Python to the children and the
total, plus the movement table and the composition queries. Subtrees above
`REPORT_BACKGROUND_MEMBERS` members (3,000) are prepared by a background task
(`reports.tasks.generate_report`) and kept for download; the PDF time dominates.
"""
    path = ROOT / "docs" / "performance.md"
    text = path.read_text() if path.exists() else "# Performance\n"
    pattern = re.compile(r"^## Reports\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
