"""Import speed: a 10,000-member file checked (dry run) and applied on PostgreSQL, beside
a PostgreSQL COPY of the same rows as the ceiling.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/import_members.py [--rows 10000]

It creates its own test database (test_<name>) and drops it afterwards.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings_test")

import django

django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.docsection import machine, section_text, table, write_section  # noqa: E402
from branches.enums import NodeKind, RoleKind  # noqa: E402
from members.models import Member  # noqa: E402
from members.resources import MemberResource  # noqa: E402
from office.imports.registry import resource_class  # noqa: E402
from partyorg.imports.files import store_bytes  # noqa: E402
from partyorg.imports.services import run_import  # noqa: E402
from tests.factories import make_node, make_user  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Phúc", "Thảo", "Yến"]


def build_rows(count: int, branch_codes: list[str], rng: random.Random) -> list[list]:
    rows = []
    for number in range(count):
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 50))
        decided = born + datetime.timedelta(days=365 * rng.randint(19, 24))
        ceremony = decided + datetime.timedelta(days=rng.randint(3, 20))
        official = ceremony + datetime.timedelta(days=370)
        rows.append(
            [
                f"{10_000_000 + number}",
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                rng.choice(["Nam", "Nữ"]),
                born.strftime("%d/%m/%Y"),
                "Kinh",
                "Không",
                "Hương Phú",
                "Thôn 1",
                f"046{number:09d}",
                "12/12",
                "Đại học",
                "Sơ cấp",
                "Nông dân",
                f"0{number:07d}",
                decided.strftime("%d/%m/%Y"),
                ceremony.strftime("%d/%m/%Y"),
                official.strftime("%d/%m/%Y"),
                branch_codes[number % len(branch_codes)],
                "Chính thức",
            ]
        )
    return rows


def xlsx(headers, rows) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def copy_rate(rows, branch_ids) -> float:
    """COPY the same member rows into a scratch copy of the member table."""
    columns = [
        "member_number", "full_name", "gender", "date_of_birth", "ethnicity", "religion",
        "hometown", "residence", "national_id", "general_education", "qualification",
        "political_theory", "occupation", "party_card_number", "admission_decision_date",
        "admission_date", "official_date", "status", "branch_id", "name_folded", "sort_key",
        "created_at", "updated_at", "version",
    ]  # fmt: skip
    now = datetime.datetime.now(datetime.UTC)

    def iso(text):
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copy_ceiling (LIKE members_member INCLUDING ALL)")
        started = time.perf_counter()
        with cursor.copy(f"COPY copy_ceiling ({', '.join(columns)}) FROM STDIN") as copy:
            for r, branch_id in zip(rows, branch_ids, strict=True):
                copy.write_row(
                    [r[0], r[1], "male", iso(r[3]), "kinh", "none", r[6], r[7], r[8],
                     "upper_secondary", "bachelor", "elementary", "farmer", r[13],
                     iso(r[14]), iso(r[15]), iso(r[16]), "official", branch_id,
                     r[1].lower(), "0", now, now, 0]
                )  # fmt: skip
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE copy_ceiling")
    return len(rows) / elapsed


def cpu_seconds() -> float:
    """CPU time of this process and of its PostgreSQL backend (no waiting for other jobs
    on a shared machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return time.process_time() + (int(fields[11]) + int(fields[12])) / ticks


class Phase:
    """Wall and CPU seconds of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, cpu_seconds() - self.cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-doc", action="store_true", help="do not write the docs")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        province = make_node(name="Tỉnh", code="T")
        district = make_node(province, NodeKind.DISTRICT_COMMITTEE, "Huyện", code="H")
        commune = make_node(district, NodeKind.GRASSROOTS_COMMITTEE, "Xã", code="X")
        branches = [
            make_node(commune, NodeKind.BRANCH, f"Chi bộ {n}", code=f"X-B{n:02d}")
            for n in range(40)
        ]
        user = make_user(district, RoleKind.OFFICER, username="bench")
        rows = build_rows(args.rows, [b.code for b in branches], random.Random(1))
        headers = [f.column_name for f in MemberResource().get_export_fields()]
        content = xlsx(headers, rows)
        stored = store_bytes("bench.xlsx", content)
        phases = {}
        for phase, dry_run in (("dry run", True), ("apply", False)):
            with Phase() as phases[phase]:
                report = run_import(
                    resource_class("members"), stored, user=user, label="bench", dry_run=dry_run
                )
            assert report.ok and report.new == args.rows, report.errors[:5]
        assert Member.objects.count() == args.rows
        with Phase() as phases["re-check (all unchanged)"]:
            again = run_import(
                resource_class("members"), stored, user=user, label="bench", dry_run=True
            )
        assert again.unchanged == args.rows
        by_code = {b.code: b.pk for b in branches}
        ceiling = copy_rate(rows, [by_code[r[17]] for r in rows])
        where = machine()
    finally:
        teardown_databases(old, verbosity=0)
    both = Phase()
    both.wall = phases["dry run"].wall + phases["apply"].wall
    both.cpu = phases["dry run"].cpu + phases["apply"].cpu
    phases["dry run + apply"] = both
    print(where)
    print(f"rows: {args.rows}, file: {len(content) / 2**20:.1f} MB")
    table_rows = []
    for name, phase in phases.items():
        wall_rate, cpu_rate = args.rows / phase.wall, args.rows / phase.cpu
        print(
            f"{name:>26}: {phase.wall:6.2f} s {wall_rate:7.0f} rows/s | "
            f"CPU {phase.cpu:6.2f} s {cpu_rate:7.0f} rows/s"
        )
        bold = "**" if name == "dry run + apply" else ""
        table_rows.append(
            [name, f"{phase.wall:.2f}", f"{wall_rate:,.0f}", f"{phase.cpu:.2f}",
             f"{bold}{cpu_rate:,.0f}{bold}"]
        )  # fmt: skip
    print(f"{'PostgreSQL COPY ceiling':>26}: {'':8} {ceiling:8.0f} rows/s")
    table_rows.append(
        ["PostgreSQL COPY of the member rows (ceiling)", "", f"{ceiling:,.0f}", "", ""]
    )
    if not args.no_doc:
        write_doc(args.rows, len(content), where, table_rows)


def write_doc(count, size, where, table_rows):
    header = ["phase", "wall s", "rows/s (wall)", "CPU s", "rows/s (CPU)"]
    body = IMPORT_DOC.format(
        rows=f"{count:,}",
        size=f"{size / 2**20:.1f}",
        date=time.strftime("%d/%m/%Y"),
        machine=where,
        table=table(header, table_rows, "lrrrr"),
    )
    # Keep the notes written by hand below the measured table (of this section only).
    notes = section_text("Import").partition(NOTES_MARK)[2]
    write_section("Import", body + ("\n" + NOTES_MARK + notes if notes else ""))


NOTES_MARK = "Where the time goes and what was done:"
IMPORT_DOC = """
`bench/import_members.py` builds a {rows}-member workbook (19 columns, {size} MB, 40
branches), then on PostgreSQL runs the check (dry run), the import (check again, then
write), a second check of the same file (every row unchanged), and a PostgreSQL `COPY`
of the same member rows into a scratch copy of the member table as the ceiling. It
creates its own test database (test_<name>) and drops it afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/import_members.py [--rows 10000] [--no-doc]

The machine is shared with other jobs, so the run also reports the CPU time of the
import (this process plus its PostgreSQL backend, read from /proc), which does not count
the time spent waiting for other jobs; both move from run to run under contention.
Before the scale work the same bench gave 1,392 rows/s (wall, load average 5.2).

Run of {date}: {machine}.

{table}
"""


if __name__ == "__main__":
    main()
