"""Every figure of the annual report checked against hand-written SQL computing the same
figures (bench/report_sql.py, figure by figure), both timed alternately in the same run,
then the PDF and the workbook. The hand-written SQL is a check, not a floor: on a province
it is slower than the report. The floors are bench/report_floor.py's.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_reports \\
        python bench/report_figures.py [--code H01] [--year 2025] [--runs 7] \\
        [--figures-only] [--write "District run"]

Uses the database as it is; an empty one is first seeded with
`seed_demo --scale district --seed 1`; on PostgreSQL it runs ANALYZE first. With --write
the table replaces the "### <heading>" part of docs/performance.md's "## Reports" section
(everything else is left alone).
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS, NodeKind  # noqa: E402
from branches.models import OrganizationNode  # noqa: E402
from branchwork.meeting_queries import rate  # noqa: E402
from members.enums import AgeBand  # noqa: E402
from partyorg.rules import RuleKind, rule_in_force  # noqa: E402
from reports.membership import IN_REASONS, OUT_REASONS  # noqa: E402
from reports.output import render  # noqa: E402
from reports.period import report_period  # noqa: E402
from reports.sections import Figures, meetings_section  # noqa: E402
from reports.service import LEVELS, build_annual_report  # noqa: E402


def timed(function, runs: int):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def sql_values(code: str, report) -> dict:
    rules = [
        rule_in_force(kind, report.end) for kind in (RuleKind.INSPECTION, RuleKind.BRANCH_SIZE)
    ]
    return report_sql.params(code, report.year, report.first, report.end, rules)


def hand_written(code: str, report) -> dict:
    """Every figure of the report from report_sql's statements, on a raw cursor."""
    with connection.cursor() as cursor:
        return report_sql.run(cursor, sql_values(code, report))


def attendance_floor(code: str, report, statement: str) -> tuple:
    """The report's attendance figures from one of report_sql's ATTENDANCE_STATEMENTS."""
    values = sql_values(code, report)
    with connection.cursor() as cursor:
        rows = report_sql.run(
            cursor, values, {statement: report_sql.ATTENDANCE_STATEMENTS[statement]}
        )
    return tuple(rows[statement][0])


def attendance_section(node, year: int) -> tuple:
    """The report's attendance figures as build_annual_report gets them: its period, then
    the meetings section alone."""
    period = report_period(node, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    per_branch = defaultdict(Figures)
    meetings = meetings_section(period, per_branch)
    return (
        sum(f.present for f in per_branch.values()),
        sum(f.counted for f in per_branch.values()),
        meetings["branches_rated"],
        meetings["branches_90"],
    )


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
        # The total's inspections come from the period statements below.
        if name != "inspections":
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
        "village_branches",
        "secretaries_village_heads",
    ):
        check(f"residential.{name}", r[name], int(c[name][""]))
    differences = [
        f"{name}: report {expected[name]!r}, SQL {got[name]!r}"
        for name in expected
        if expected[name] != got[name]
    ]
    return differences, len(expected)


def paired(first, second, runs: int):
    """Median wall times of two functions run alternately, so a machine that is busier
    at one moment than another weighs on both alike; and the last results."""
    times: tuple[list, list] = ([], [])
    results = [None, None]
    for _ in range(runs):
        for i, function in enumerate((first, second)):
            began = time.perf_counter()
            results[i] = function()
            times[i].append(time.perf_counter() - began)
    return statistics.median(times[0]), statistics.median(times[1]), results


def timed_cpu(function, runs: int):
    """Median wall and CPU (this process) times: a PDF is rendered in-process, so its CPU
    time shows its cost whatever else the machine is doing."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def machine() -> str:
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    vendor = connection.vendor
    if vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        vendor = f"PostgreSQL {version // 10000}.{version % 10000}"
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, {int(memory) / 1024**2:.0f} GB memory, "
        f"Python {platform.python_version()}, {vendor}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", default="H01")
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--figures-only", action="store_true", help="no PDF, no workbook")
    parser.add_argument("--write", metavar="HEADING", help="e.g. 'District run'")
    args = parser.parse_args()
    if not OrganizationNode.objects.exists():
        call_command("seed_demo", scale="district", seed=1)
    if connection.vendor == "postgresql":
        # Fresh bulk-seeded tables have no statistics yet; plans would be guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    node = OrganizationNode.objects.get(code=args.code)
    load_before = os.getloadavg()[0]

    report = build_annual_report(node, args.year)  # warm the connection and caches
    hand_written(args.code, report)
    with CaptureQueriesContext(connection) as queries:
        report = build_annual_report(node, args.year)
    build_time, sql_time, (report, sql) = paired(
        lambda: build_annual_report(node, args.year),
        lambda: hand_written(args.code, report),
        args.runs,
    )
    differences, compared = compare(report, sql)
    section = attendance_section(node, args.year)
    floors = []
    for statement in report_sql.ATTENDANCE_STATEMENTS:
        section_time, floor_time, (section, floor) = paired(
            lambda: attendance_section(node, args.year),
            lambda statement=statement: attendance_floor(args.code, report, statement),
            args.runs,
        )
        if section != floor:
            differences.append(f"{statement}: report {section}, SQL {floor}")
        floors.append((statement, section_time, floor_time))
    for difference in differences:
        print("DIFFERS", difference)
    assert not differences, f"{len(differences)} figures differ"
    t = report.totals
    rows = [
        ("subtree", f"{node.name} ({args.code}), year {args.year}"),
        ("child nodes / members at the end", f"{len(report.children)} / {t.members:,}"),
        (
            "build_annual_report (every figure)",
            f"{build_time * 1000:,.0f} ms, {len(queries)} queries",
        ),
        (
            "hand-written SQL (the same figures; a check, not a floor)",
            f"{sql_time * 1000:,.0f} ms, {len(report_sql.STATEMENTS) + 1} statements",
        ),
        ("ratio report / SQL", f"{build_time / sql_time:,.2f}×"),
        ("figures compared, all equal", f"{compared}"),
    ]
    for statement, section_time, floor_time in floors:
        rows.append(
            (
                f"attendance section / {statement} (one statement)",
                f"{section_time * 1000:,.0f} ms / {floor_time * 1000:,.0f} ms = "
                f"{section_time / floor_time:,.2f}×",
            )
        )
    if not args.figures_only:
        render(report, "pdf")  # fonts and stylesheets loaded once per process
        runs = max(3, args.runs // 2)
        pdf_time, pdf_cpu, pdf = timed_cpu(lambda: render(report, "pdf"), runs)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        xlsx_time, _ = timed(lambda: render(report, "xlsx"), runs)
        rows += [
            (
                "PDF (WeasyPrint, with charts)",
                f"{pdf_time:,.2f} s ({pdf_cpu:,.2f} s CPU), {pages} pages, "
                f"{pages / pdf_time:,.1f} pages/s",
            ),
            ("Excel workbook", f"{xlsx_time * 1000:,.0f} ms"),
        ]
    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(machine(), load)
    if args.write:
        write_section(args, rows, load)


def write_section(args, rows, load):
    """Replace the "### <heading>" part of docs/performance.md's Reports section."""
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    part = f"""### {args.write}

Run of {datetime.date.today():%d/%m/%Y}: {machine()};
{load} (other jobs share the machine);
report and SQL timed alternately, medians of {args.runs} runs.

    DEBUG=1 DATABASE_URL=... python bench/report_figures.py --code {args.code} \\
        --year {args.year}{" --figures-only" if args.figures_only else ""} --write "{args.write}"

| measure | result |
|---|---|
{table}
"""
    path = ROOT / "docs" / "performance.md"
    text = path.read_text()
    section = re.search(r"^## Reports\n.*?(?=^## |\Z)", text, re.S | re.M)
    body = section.group(0)
    pattern = re.compile(rf"^### {re.escape(args.write)}\n.*?(?=^##|\Z)", re.S | re.M)
    if pattern.search(body):
        body = pattern.sub(lambda _: part + "\n", body)
    else:
        body = body.rstrip() + "\n\n" + part + "\n"
    text = text[: section.start()] + body + text[section.end() :]
    path.write_text(text.rstrip() + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
