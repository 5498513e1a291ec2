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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from branches.models import OrganizationNode  # noqa: E402
from reports.output import render  # noqa: E402
from reports.service import build_annual_report  # noqa: E402

HEADLINE_SQL = """
WITH root AS (
    SELECT p.path FROM branches_nodeplacement p
    JOIN branches_organizationnode n ON n.id = p.node_id
    WHERE n.code = %(code)s AND p.valid_from <= %(end)s
      AND (p.valid_to IS NULL OR p.valid_to > %(end)s)
), subtree AS (
    SELECT p.node_id FROM branches_nodeplacement p, root
    WHERE p.path LIKE root.path || '%%' AND p.valid_from <= %(end)s
      AND (p.valid_to IS NULL OR p.valid_to > %(end)s)
), members AS (
    SELECT m.official_date, m.gender FROM members_membership h
    JOIN members_member m ON m.id = h.member_id
    WHERE h.kind = 'home' AND h.branch_id IN (SELECT node_id FROM subtree)
      AND h.start_date <= %(end)s AND (h.end_date IS NULL OR h.end_date > %(end)s)
), admitted AS (
    SELECT count(*) AS n FROM members_membership h
    JOIN members_member m ON m.id = h.member_id
    WHERE h.kind = 'home' AND h.branch_id IN (SELECT node_id FROM subtree)
      AND h.start_date > %(start)s AND h.start_date <= %(end)s
      AND m.admission_date > %(start)s AND m.admission_date <= %(end)s
      AND NOT EXISTS (SELECT 1 FROM members_membership e WHERE e.member_id = h.member_id
                      AND e.kind = 'home' AND e.start_date < h.start_date)
), attendance AS (
    SELECT count(*) FILTER (WHERE a.status = 'present') AS present,
           count(*) FILTER (WHERE NOT a.exempted OR a.status = 'present') AS counted
    FROM branches_attendance a JOIN branches_meeting g ON g.id = a.meeting_id
    WHERE g.kind = 'regular' AND g.branch_id IN (SELECT node_id FROM subtree)
      AND g.month >= %(first)s AND g.month <= %(end)s
)
SELECT (SELECT count(*) FROM members),
       (SELECT count(*) FROM members WHERE official_date <= %(end)s),
       (SELECT count(*) FROM members WHERE gender = 'female'),
       (SELECT n FROM admitted),
       (SELECT present FROM attendance), (SELECT counted FROM attendance)
"""


def timed(function, runs: int):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def headline(code: str, year: int, end: datetime.date):
    params = {
        "code": code,
        "first": datetime.date(year, 1, 1),
        "start": datetime.date(year - 1, 12, 31),
        "end": end,
    }
    with connection.cursor() as cursor:
        cursor.execute(HEADLINE_SQL, params)
        return cursor.fetchone()


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
    sql_time, row = timed(lambda: headline(args.code, args.year, report.end), args.runs)
    total, official, women, admitted, present, counted = row
    t = report.totals
    same = (total, official, women, admitted, present, counted) == (
        t.members,
        t.official,
        t.women,
        t.admitted,
        t.present,
        t.counted,
    )
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
        ("hand-written SQL (headline figures)", f"{sql_time * 1000:,.1f} ms, 1 query"),
        ("ratio report / SQL", f"{build_time / sql_time:,.1f}×"),
        ("headline figures agree", "yes" if same else f"no: SQL {row}"),
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
