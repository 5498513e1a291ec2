"""Requests per second of the meeting-entry form under concurrency, against a signed-in
floor page, measured by wrk against gunicorn with the production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/meeting_form_load.py [--duration 15] [--connections 8] [--rounds 2]
        [--workers N]

The database must hold seeded data (`seed_demo --scale district` gives a branch of 50-60
members). gunicorn starts with deploy/gunicorn.conf.py (--workers overrides its number
of workers) on a free local port; the secretary `bench.bithu` (created, or moved to the
largest open branch) signs in through the login form; then wrk sends requests back to
back from --connections connections, to the floor page (the account's password form)
and to the form of that branch in turn, --rounds times each. Prints requests/s, p50
and p95 of each run, the ratio of the form to the floor, and the load average: the
machine's other work takes its share of the two CPUs, so compare the ratio.
"""

import argparse
import os
import shutil
import statistics
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from load import (
    SERIAL_QUERIES,
    STATIC_ROOT,
    drain,
    free_port,
    log_in,
    start_gunicorn,
    stop,
    wrk,
)

from branches.enums import BRANCH_KINDS, RoleKind
from branches.models import OrganizationNode, UserRole
from demo.management.commands.seed_demo import DEMO_PASSWORD

SECRETARY = "bench.bithu"


def largest_branch(code: str | None) -> OrganizationNode:
    """As bench/meeting_form.py chooses it (that script cannot be imported here: it sets
    up Django for the test client)."""
    branches = OrganizationNode.objects.filter(kind__in=BRANCH_KINDS, dissolved_on=None)
    if code:
        return branches.get(code=code)
    return branches.annotate(n=Count("members")).order_by("-n").first()


def secretary_of(branch) -> None:
    user, _ = get_user_model().objects.get_or_create(username=SECRETARY)
    user.set_password(DEMO_PASSWORD)
    user.save()
    UserRole.objects.update_or_create(
        user=user, defaults={"node": branch, "role": RoleKind.SECRETARY}
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    parser.add_argument("--branch")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    branch = largest_branch(args.branch)
    secretary_of(branch)
    call_command("collectstatic", interactive=False, verbosity=0)
    settings = {"GUNICORN_CMD_ARGS": f"--workers {args.workers}"} if args.workers else {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = STATIC_ROOT.parent / f"partyorg-bench-gunicorn-{port}.log"
    server = start_gunicorn(port, log, SERIAL_QUERIES, **settings)
    pages = {
        "floor (password form)": "/account/password/",
        f"meeting form ({branch.code}, {branch.members.count()} members)": (
            f"/organizations/{branch.code}/meetings/new/"
        ),
    }
    results = {label: [] for label in pages}
    try:
        cookie = log_in(base, SECRETARY)
        for _ in range(args.rounds):
            for label, path in pages.items():
                run = wrk(
                    base + path,
                    cookie,
                    connections=args.connections,
                    duration=args.duration,
                    think_ms=0,
                )
                drain(base, settle=run["max"])
                results[label].append(run)
                print(
                    f"{label:<46} {run['rps']:6.1f} req/s  p50 {run['p50']:6.0f} ms  "
                    f"p95 {run['p95']:6.0f} ms  errors {run['errors']}  "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    finally:
        stop(server)
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    floor, form = (statistics.median(r["rps"] for r in runs) for runs in results.values())
    print(
        f"median: floor {floor:.1f} req/s, form {form:.1f} req/s: the form serves "
        f"{form / floor:.2f} of the floor's requests ({floor / form:.2f}× the floor's cost)"
    )


if __name__ == "__main__":
    sys.exit(main())
