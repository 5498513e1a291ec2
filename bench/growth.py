"""How the reports, pages and the member import grow with the subtree: a district, its
province, and every province of the database (the national slice has one root per
province and nothing above them). Each measure is the median of a few runs, with its
queries, in one process with the production settings, alternated with a signed-in floor
page (bench/meeting_form.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_national \\
        python bench/growth.py [--year 2025] [--district H01] [--runs 3] [--rows 2000] \
        [--scopes district,province,all] [--no-pdf]

Signs in as the officer of the district and of the province (seed_demo's huyen.canbo and
tinh.canbo) and as the superuser for all provinces. "All provinces" of the report is the
sum over the provinces' reports, since the report is made per organization.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

import openpyxl
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from meeting_form import FLOOR, Tally
from pypdf import PdfReader

from branches.enums import BRANCH_KINDS, RoleKind
from branches.models import OrganizationNode, UserRole
from members.enums import MemberStatus
from members.models import Member
from members.resources import MemberResource
from office.imports.registry import resource_class
from partyorg.imports.files import store_bytes
from partyorg.imports.services import run_import
from reports.output import render
from reports.service import build_annual_report

FLOOR_URL = "/account/password/"
IN_PARTY = [MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPTED]


class Counted:
    """Time and queries of a callable, median over runs, each run after a floor request."""

    def __init__(self, client: Client, runs: int):
        self.client, self.runs, self.floors = client, runs, []

    def __call__(self, function) -> tuple[float, int]:
        tally, times = Tally(), []
        for _ in range(self.runs):
            began = time.perf_counter()
            self.client.get(FLOOR_URL)
            self.floors.append(time.perf_counter() - began)
            tally.__init__()
            with connection.execute_wrapper(tally.query):
                began = time.perf_counter()
                function()
                times.append(time.perf_counter() - began)
        return statistics.median(times), tally.queries


def page(client: Client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def import_file(rows: int, branch_codes: list[str]) -> bytes:
    """A members file of `rows` new members (numbers, ID and card numbers no seed uses)
    spread over `branch_codes`."""
    rng = random.Random(1)
    headers = [f.column_name for f in MemberResource().get_export_fields()]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for n in range(rows):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 40))
        decided = born + datetime.timedelta(days=365 * rng.randint(19, 24))
        ceremony = decided + datetime.timedelta(days=rng.randint(3, 20))
        official = ceremony + datetime.timedelta(days=370)
        day = "%d/%m/%Y"
        sheet.append(
            [
                f"{90_000_000 + n}",
                f"Nguyễn Văn {rng.choice(['An', 'Bình', 'Lan', 'Mai', 'Nam'])}",
                rng.choice(["Nam", "Nữ"]),
                born.strftime(day),
                "Kinh",
                "Không",
                "Hương Phú",
                "Thôn 1",
                f"099{n:09d}",
                "12/12",
                "Đại học",
                "Sơ cấp",
                "Nông dân",
                f"9{n:07d}",
                decided.strftime(day),
                ceremony.strftime(day),
                official.strftime(day),
                branch_codes[n % len(branch_codes)],
                "Chính thức",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dry_run(user, stored, rows: int):
    def check():
        report = run_import(
            resource_class("members"), stored, user=user, label="growth", dry_run=True
        )
        assert report.ok and report.new == rows, report.errors[:3]

    return check


def report_measures(measure, nodes: list[OrganizationNode], year: int, pdf: bool) -> dict:
    """The annual report's figures (and PDF) of each of `nodes`, summed."""
    figures = [measure(lambda n=n: build_annual_report(n, year)) for n in nodes]
    results = {
        "report figures": (sum(t for t, _ in figures), sum(q for _, q in figures)),
    }
    if pdf:
        report = build_annual_report(nodes[0], year)
        render(report, "pdf")  # fonts and stylesheets loaded once per process
        seconds, queries = measure(lambda: render(report, "pdf"))
        pages = len(PdfReader(io.BytesIO(render(report, "pdf"))).pages)
        results["report PDF"] = (seconds, queries, f"{pages} pages")
    return results


def scope_measures(args, label, user, nodes, members) -> dict:
    client = Client()
    client.force_login(user)
    measure = Counted(client, args.runs)
    node = nodes[0]
    results = {"members": (members, None)}
    pdf = len(nodes) == 1 and not args.no_pdf
    results.update(report_measures(measure, nodes, args.year, pdf=pdf))
    pages = {"home page": "/", "member list, first page": "/members/"}
    if len(nodes) == 1:
        pages.update(
            {
                "report dashboard": f"/reports/{node.code}/{args.year}/",
                "node detail": f"/organizations/{node.code}/",
                "meetings overview": f"/organizations/{node.code}/meetings/?year={args.year}",
            }
        )
    for name, url in pages.items():
        client.get(url)  # the connection and templates warmed
        results[name] = measure(page(client, url))
    branches = list(
        OrganizationNode.objects.open()
        .filter(kind__in=BRANCH_KINDS, path__startswith=node.path if len(nodes) == 1 else "")
        .order_by("path")
        .values_list("code", flat=True)[:40]
    )
    stored = store_bytes("growth.xlsx", import_file(args.rows, branches))
    results[f"member import, dry run of {args.rows:,} rows"] = measure(
        dry_run(user, stored, args.rows)
    )
    results["floor page"] = (statistics.median(measure.floors), 1)
    print(f"{label} done, load average {os.getloadavg()}", flush=True)
    return results


def officer(node: OrganizationNode):
    role = UserRole.objects.filter(node=node, role=RoleKind.OFFICER).select_related("user")
    return role.first().user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--district", default="H01")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--scopes", default="district,province,all")
    parser.add_argument("--no-pdf", action="store_true", help="skip the report PDF")
    args = parser.parse_args()
    district = OrganizationNode.objects.get(code=args.district)
    province = OrganizationNode.objects.get(path=district.path[: OrganizationNode.steplen])
    roots = list(OrganizationNode.objects.get_root_nodes())
    in_subtree = Member.objects.filter(status__in=IN_PARTY)
    scopes = {}
    chosen = args.scopes.split(",")
    for name, node in (("district", district), ("province", province)):
        if name in chosen:
            scopes[f"{name} {node.code}"] = (
                officer(node),
                [node],
                in_subtree.filter(branch__path__startswith=node.path).count(),
            )
    if "all" in chosen and len(roots) > 1:
        scopes[f"all {len(roots)} provinces"] = (
            get_user_model().objects.filter(is_superuser=True).first(),
            roots,
            in_subtree.count(),
        )
    print(f"load average at start {os.getloadavg()}, year {args.year}, runs {args.runs}")
    table = {label: scope_measures(args, label, *scope) for label, scope in scopes.items()}
    labels = list(table)
    names = list(dict.fromkeys(name for results in table.values() for name in results))
    print(f"| measure | {' | '.join(labels)} |")
    print(f"|---|{'---:|' * len(labels)}")
    for name in names:
        cells = []
        for label in labels:
            value = table[label].get(name)
            if value is None:
                cells.append("—")
            elif name == "members":
                cells.append(f"{value[0]:,}")
            else:
                seconds, queries, *note = value
                cells.append(f"{seconds * 1000:,.0f} ms / {queries} q {' '.join(note)}".strip())
        print(f"| {name} | {' | '.join(cells)} |")
    print(f"load average at end {os.getloadavg()}; {FLOOR}")


if __name__ == "__main__":
    main()
