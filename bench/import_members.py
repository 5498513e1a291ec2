"""Import speed: a 10,000-member file checked (dry run) and applied on PostgreSQL, beside
a PostgreSQL COPY of the same rows as the ceiling. Each phase goes the way of the import
page and its task worker: the upload is stored, its batch checked, then applied.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/import_members.py [--rows 10000]

It creates its own test database (test_<name>) and drops it afterwards.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings_test")

import django

django.setup()

import openpyxl  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from simple_history.utils import get_history_model_for_model  # noqa: E402

from bench.docsection import machine, section_text, table, write_section  # noqa: E402
from branches.enums import NodeKind, RoleKind  # noqa: E402
from members.models import Member, Membership, StatusEvent  # noqa: E402
from members.resources import MemberResource  # noqa: E402
from office.imports.registry import resource_class  # noqa: E402
from partyorg.imports import services  # noqa: E402
from partyorg.imports.files import store_bytes  # noqa: E402
from partyorg.models import ImportBatch  # noqa: E402
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


def written_tables() -> list[str]:
    """Every table a member import writes: members, memberships and status events, each
    with its history table."""
    models = [Member, Membership, StatusEvent]
    models += [get_history_model_for_model(model) for model in models]
    return [model._meta.db_table for model in models]


def empty(tables) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def dump(tables) -> dict[str, bytes]:
    """The rows the import wrote, as COPY text, table by table."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                found[table] = b"".join(bytes(block) for block in copy)
    return found


def copy_floor(rows: dict[str, bytes]) -> float:
    """Seconds to COPY the rows back into the real tables, with all their indexes and
    constraints, in one transaction (foreign keys checked at commit)."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, data in rows.items():
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(data)
    return time.perf_counter() - started


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


BOTH = "dry run + apply"
FLOOR = "PostgreSQL COPY of the rows written (floor)"
PHASES = ["dry run", "apply", "re-check (all unchanged)", BOTH, FLOOR]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
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
        tables = written_tables()
        phases = {name: [] for name in PHASES}

        def checked_upload():
            batch = ImportBatch.objects.create(
                kind="members",
                file_name="bench.xlsx",
                stored_file=store_bytes("bench.xlsx", content),
                user=user,
            )
            return batch, services.check_batch(batch, resource_class=resource_class("members"))

        for _round in range(args.rounds):
            # The import and its floor alternate, so the machine's load weighs on both.
            empty(tables)
            with Phase() as phase:
                batch, report = checked_upload()
            assert report.ok and report.new == args.rows, report.errors[:5]
            phases["dry run"].append(phase)
            with Phase() as phase:
                services.start_apply(batch)
                report = services.apply_batch(batch, resource_class=resource_class("members"))
            assert report.ok and report.new == args.rows, report.errors[:5]
            phases["apply"].append(phase)
            assert Member.objects.count() == args.rows
            with Phase() as phase:
                _batch, again = checked_upload()
            assert again.unchanged == args.rows
            phases["re-check (all unchanged)"].append(phase)
            written = dump(tables)
            empty(tables)
            with Phase() as phase:
                copy_floor(written)
            phases[FLOOR].append(phase)
        lines = sum(data.count(b"\n") for data in written.values())
        where = machine()
    finally:
        teardown_databases(old, verbosity=0)
    for number in range(args.rounds):
        both = Phase()
        both.wall = phases["dry run"][number].wall + phases["apply"][number].wall
        both.cpu = phases["dry run"][number].cpu + phases["apply"][number].cpu
        phases[BOTH].append(both)
    print(where)
    print(f"rows: {args.rows}, file: {len(content) / 2**20:.1f} MB, rounds: {args.rounds}")
    print(f"the floor writes {lines:,} rows into {', '.join(tables)}")
    table_rows = []
    medians = {}
    for name in PHASES:
        wall = statistics.median(p.wall for p in phases[name])
        cpu = statistics.median(p.cpu for p in phases[name])
        medians[name] = wall, cpu
        wall_rate, cpu_rate = args.rows / wall, args.rows / cpu
        runs = ", ".join(f"{args.rows / p.wall:,.0f}" for p in phases[name])
        print(
            f"{name:>26}: {wall:6.2f} s {wall_rate:7.0f} rows/s | "
            f"CPU {cpu:6.2f} s {cpu_rate:7.0f} rows/s | each round {runs}"
        )
        bold = "**" if name == BOTH else ""
        table_rows.append(
            [name, f"{wall:.2f}", f"{bold}{wall_rate:,.0f}{bold}", runs, f"{cpu:.2f}",
             f"{cpu_rate:,.0f}"]
        )  # fmt: skip
    ratios = [b.wall / f.wall for b, f in zip(phases[BOTH], phases[FLOOR], strict=True)]
    ratio = statistics.median(ratios)
    print(
        f"dry run + apply / COPY floor: {ratio:.2f}x (each round "
        f"{', '.join(f'{r:.2f}' for r in ratios)}); by CPU "
        f"{medians[BOTH][1] / medians[FLOOR][1]:.2f}x"
    )
    if not args.no_doc:
        write_doc(args.rows, args.rounds, len(content), lines, where, table_rows, ratio, ratios)


def write_doc(count, rounds, size, lines, where, table_rows, ratio, ratios):
    header = ["phase", "wall s", "rows/s (wall)", "each round", "CPU s", "rows/s (CPU)"]
    body = IMPORT_DOC.format(
        rows=f"{count:,}",
        rounds=rounds,
        size=f"{size / 2**20:.1f}",
        lines=f"{lines:,}",
        date=time.strftime("%d/%m/%Y"),
        machine=where,
        table=table(header, table_rows, "lrrrrr"),
        ratio=f"{ratio:.2f}",
        ratios=", ".join(f"{r:.2f}" for r in ratios),
    )
    # Keep the notes written by hand below the measured table (of this section only).
    notes = section_text("Import").partition(NOTES_MARK)[2]
    write_section("Import", body + ("\n" + NOTES_MARK + notes if notes else ""))


NOTES_MARK = "Where the time goes and what was done:"
IMPORT_DOC = """
`bench/import_members.py` builds a {rows}-member workbook (20 columns, {size} MB, 40
branches), then on PostgreSQL, {rounds} times, as the import page and its task worker do
(`partyorg.imports.services`): the upload stored and its batch checked (dry run), the
batch applied (checked again, then written), a second upload of the same file checked
(every row unchanged); then, as the
floor, it empties the tables and writes the same {lines} rows the import wrote (members,
memberships and status events, each with its history row) back into them with
PostgreSQL `COPY`, with all their indexes and constraints, in one transaction. The
import and the floor alternate, so the machine's load weighs on both; the table gives
medians. It creates its own test database (test_<name>) and drops it afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/import_members.py [--rows 10000] [--rounds 3] [--no-doc]

The CPU time is this process plus its PostgreSQL backend (read from /proc): it leaves
out the time spent waiting for other jobs on this shared machine.

Run of {date}: {machine}.

{table}

Dry run + apply against the floor: **{ratio}×** (each round {ratios}).
"""


if __name__ == "__main__":
    main()
