"""Attendance import speed: a file of per-member attendance rows (40 branches of 25
members, 20 meetings each: 20,000 rows) checked (dry run) and applied on PostgreSQL,
beside a PostgreSQL COPY of the rows the import wrote as the floor, alternating.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/import_attendance.py [--meetings 20] [--rounds 3] [--profile FILE]

It creates its own test database (test_<name>) and drops it afterwards. With --profile,
one dry run and one apply run under cProfile instead, their statistics written to FILE.
"""

import argparse
import cProfile
import datetime
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings_test")

import django

django.setup()

from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from simple_history.utils import get_history_model_for_model  # noqa: E402

from bench.docsection import machine  # noqa: E402
from bench.import_members import (  # noqa: E402
    Phase,
    build_rows,
    copy_floor,
    dump,
    empty,
    xlsx,
)
from branches.enums import NodeKind, RoleKind  # noqa: E402
from branchwork.meeting_resources import AttendanceResource  # noqa: E402
from branchwork.models import Attendance, Meeting  # noqa: E402
from members.resources import MemberResource  # noqa: E402
from office.imports.registry import resource_class  # noqa: E402
from partyorg.imports.files import store_bytes  # noqa: E402
from partyorg.imports.services import run_import  # noqa: E402
from tests.factories import make_node, make_user  # noqa: E402

BRANCHES, MEMBERS_PER_BRANCH = 40, 25
STATUSES = [("Có mặt", ""), ("Vắng có lý do", "Ốm"), ("Vắng không lý do", "")]


def meeting_days(count: int) -> list[tuple[datetime.date, str]]:
    """A regular meeting on the 5th of each month of 2024, thematic ones on the 20th."""
    days = [(datetime.date(2024, m, 5), "Thường kỳ") for m in range(1, 13)]
    days += [(datetime.date(2024, m, 20), "Chuyên đề") for m in range(1, 13)]
    return days[:count]


def attendance_rows(members: list[list], meetings: int, rng: random.Random) -> list[list]:
    """Every member of each branch at each meeting of it (`members`: the member rows)."""
    rows = []
    for day, kind in meeting_days(meetings):
        for member in members:
            status, reason = rng.choices(STATUSES, weights=[85, 10, 5])[0]
            rows.append(
                [member[17], day.strftime("%d/%m/%Y"), kind, member[0], member[1], status, reason]
            )
    return rows


def written_tables() -> list[str]:
    models = [Meeting, Attendance]
    models += [get_history_model_for_model(model) for model in models]
    return [model._meta.db_table for model in models]


def import_once(stored, user, *, dry_run):
    return run_import(
        resource_class("attendance"), stored, user=user, label="bench", dry_run=dry_run
    )


BOTH = "dry run + apply"
FLOOR = "PostgreSQL COPY of the rows written (floor)"
PHASES = ["dry run", "apply", "re-check (all unchanged)", BOTH, FLOOR]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=20, help="meetings per branch")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="write cProfile statistics here instead")
    args = parser.parse_args()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        province = make_node(name="Tỉnh", code="T")
        district = make_node(province, NodeKind.DISTRICT_COMMITTEE, "Huyện", code="H")
        commune = make_node(district, NodeKind.GRASSROOTS_COMMITTEE, "Xã", code="X")
        codes = [
            make_node(commune, NodeKind.BRANCH, f"Chi bộ {n}", code=f"X-B{n:02d}").code
            for n in range(BRANCHES)
        ]
        user = make_user(district, RoleKind.OFFICER, username="bench")
        members = build_rows(BRANCHES * MEMBERS_PER_BRANCH, codes, random.Random(1))
        headers = [f.column_name for f in MemberResource().get_export_fields()]
        report = run_import(
            resource_class("members"),
            store_bytes("members.xlsx", xlsx(headers, members)),
            user=user,
            label="bench",
            dry_run=False,
        )
        assert report.ok, report.errors[:5]
        rows = attendance_rows(members, args.meetings, random.Random(2))
        headers = [f.column_name for f in AttendanceResource().get_export_fields()]
        content = xlsx(headers, rows)
        stored = store_bytes("bench.xlsx", content)
        tables = written_tables()
        if args.profile:
            profile = cProfile.Profile()
            for dry_run in (True, False):
                with Phase() as phase:
                    profile.enable()
                    report = import_once(stored, user, dry_run=dry_run)
                    profile.disable()
                assert report.ok, report.errors[:5]
                print(f"dry run {dry_run}: {len(rows) / phase.wall:,.0f} rows/s")
            profile.dump_stats(args.profile)
            return
        phases = {name: [] for name in PHASES}
        for _round in range(args.rounds):
            # The import and its floor alternate, so the machine's load weighs on both.
            empty(tables)
            for name, dry_run in (("dry run", True), ("apply", False)):
                with Phase() as phase:
                    report = import_once(stored, user, dry_run=dry_run)
                assert report.ok and report.new == len(rows), report.errors[:5]
                phases[name].append(phase)
            assert Attendance.objects.count() == len(rows)
            with Phase() as phase:
                again = import_once(stored, user, dry_run=True)
            assert again.unchanged == len(rows), again.errors[:5]
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
    count = len(rows)
    for number in range(args.rounds):
        both = Phase()
        both.wall = phases["dry run"][number].wall + phases["apply"][number].wall
        both.cpu = phases["dry run"][number].cpu + phases["apply"][number].cpu
        phases[BOTH].append(both)
    print(where)
    print(f"rows: {count}, file: {len(content) / 2**20:.1f} MB, rounds: {args.rounds}")
    print(f"the floor writes {lines:,} rows into {', '.join(tables)}")
    for name in PHASES:
        wall = statistics.median(p.wall for p in phases[name])
        cpu = statistics.median(p.cpu for p in phases[name])
        runs = ", ".join(f"{count / p.wall:,.0f}" for p in phases[name])
        print(
            f"| {name} | {wall:.2f} | {count / wall:,.0f} | {runs} | {cpu:.2f} "
            f"| {count / cpu:,.0f} |"
        )
    ratios = [b.wall / f.wall for b, f in zip(phases[BOTH], phases[FLOOR], strict=True)]
    print(
        f"dry run + apply / COPY floor: {statistics.median(ratios):.2f}x (each round "
        f"{', '.join(f'{r:.2f}' for r in ratios)})"
    )


if __name__ == "__main__":
    main()
