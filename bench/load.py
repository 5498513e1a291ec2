"""Latency of the busiest pages on province data under 20 concurrent users, measured by
wrk against gunicorn with the production settings, on 127.0.0.1 only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_scale python bench/load.py
        [--duration 15] [--connections 20] [--think-ms 1000] [--no-doc]

The database must hold `seed_demo --scale province` data (the script checks). It
collects the static files into a scratch folder, starts gunicorn with
deploy/gunicorn.conf.py on a free local port (DEBUG unset, SECRET_KEY and ALLOWED_HOSTS
from the environment, no TLS redirect) and, as production runs beside it, the task
worker (`manage.py db_worker`, the database task backend). It signs in once through the
login form as the province officer `tinh.canbo`, as the officer of a commune
(`xa.canbo`, a few hundred branches) and as the secretary of a 50-member branch (the
account `bench.bithu`, created or moved there), then runs wrk on each page twice:

- users: 20 connections, each waiting a think time (0.5-1.5 s) between requests, as
  20 people clicking through the pages would;
- saturated: 20 connections sending back to back, which measures the throughput of the
  machine (latency is then mostly waiting in gunicorn's queue: 20 / throughput).

Every page computes its figures in each request. The province's report dashboard, about
a second and a half of work a view, is measured with REPORT_READERS connections instead of
20: the officers of a province office opening the province's report at the same time.

Each run is bounded by --duration; gunicorn and the worker are stopped at the end. The
table goes to stdout and to the "Load" section of docs/performance.md.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings_load",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="partyorg-static-"))
os.environ.pop("DEBUG", None)
os.environ.update(SETTINGS_ENV, BENCH_STATIC_ROOT=str(STATIC_ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.docsection import machine, table, write_section  # noqa: E402
from branches.enums import BRANCH_KINDS, RoleKind  # noqa: E402
from branches.models import OrganizationNode, UserRole  # noqa: E402
from branchwork.meeting_queries import subtree_branches  # noqa: E402
from demo.management.commands.seed_demo import DEMO_PASSWORD  # noqa: E402
from members.enums import ACTIVE_STATUSES  # noqa: E402
from members.models import Member  # noqa: E402

LUA = ROOT / "bench" / "load.lua"
SECRETARY = "bench.bithu"
PROVINCE_OFFICER = "tinh.canbo"
# A real office: a commune of a few hundred branches.
COMMUNE_OFFICER = "xa.canbo"
# Parallel query workers speed up one large query but, with 20 page views at once on
# two CPUs, only add processes competing for them (member list p95 1.5 s with them,
# 0.36 s without, in the same minute). Recommended for the web server's connections.
SERIAL_QUERIES = "-c max_parallel_workers_per_gather=0"
RESULT = re.compile(r"(\w+)=(\d+)")
# Twenty officers opening the province's report at once would ask the two CPUs for about
# thirty seconds of work: the report's target is its own time, not a page's under 20 users.
REPORT_READERS = 2
# What a browser sends: the pages then travel compressed, as load.lua asks for them too.
BROWSER_HEADERS = {"Accept-Language": "vi", "Accept-Encoding": "gzip, deflate, br"}
WORKER_BACKEND = "django_tasks_db.DatabaseBackend"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def secretary_of_50_member_branch() -> OrganizationNode:
    """The largest branch of at most 50 active members, with `bench.bithu` its secretary."""
    branch = (
        OrganizationNode.objects.open()
        .filter(kind__in=BRANCH_KINDS)
        .annotate(active=Count("members", filter=Q(members__status__in=ACTIVE_STATUSES)))
        .filter(active__lte=50)
        .order_by("-active", "path")
        .first()
    )
    user, _ = get_user_model().objects.get_or_create(username=SECRETARY)
    user.set_password(DEMO_PASSWORD)
    user.save()
    UserRole.objects.update_or_create(
        user=user, defaults={"node": branch, "role": RoleKind.SECRETARY}
    )
    return branch


def log_in(base: str, username: str) -> str:
    """Sign in through the login form; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(f"{base}/login/", data=form, method="POST"))
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Could not sign in as {username}.")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def timed_get(url: str, cookie: str) -> float:
    """Milliseconds of one signed-in request to `url`; stops unless it answers 200 there."""
    request = urllib.request.Request(url, headers={"Cookie": cookie, **BROWSER_HEADERS})
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        response.read()
        if response.status != 200 or response.url != url:
            raise SystemExit(f"{url} answered {response.status} at {response.url}")
    return (time.perf_counter() - start) * 1000


def single_requests(url: str, cookie: str, count: int = 5) -> float:
    """Median milliseconds of `count` requests one after another (no load)."""
    return statistics.median(timed_get(url, cookie) for _ in range(count))


def drain(base: str, *, settle: float, limit: float = 60) -> None:
    """Wait until gunicorn has finished the requests wrk left queued (slow pages keep the
    workers busy after wrk stops), so the next measurement starts on an idle server:
    as long as the slowest request of the run took, then until the login page answers
    quickly."""
    time.sleep(min(settle, limit))
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        start = time.perf_counter()
        urllib.request.urlopen(f"{base}/login/", timeout=limit).read()
        if time.perf_counter() - start < 0.05:
            return
        time.sleep(1)


def wrk(url: str, cookie: str, *, connections: int, duration: int, think_ms: int) -> dict:
    env = dict(os.environ, BENCH_COOKIE=cookie, BENCH_THINK_MS=str(think_ms))
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    output = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    values = {key: int(value) for key, value in RESULT.findall(line)}
    kinds = ("connect", "read", "write", "timeout", "not_ok")
    errors = sum(values[k] for k in kinds)
    return {
        "error_kinds": ", ".join(f"{values[k]} {k}" for k in kinds if values[k]),
        "rps": values["requests"] / (values["duration_us"] / 1e6),
        "p50": values["p50_us"] / 1000,
        "p95": values["p95_us"] / 1000,
        "max": values["max_us"] / 1e6,
        "errors": errors,
        "requests": values["requests"],
    }


def start_gunicorn(port: int, log: Path, pgoptions: str, **settings: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PGOPTIONS=pgoptions, **settings)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "partyorg.wsgi",
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop(process: subprocess.Popen) -> None:
    """Ask a server or worker to stop; kill it if it has not within 40 s."""
    process.terminate()
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_worker(log: Path, pgoptions: str, **settings: str) -> subprocess.Popen:
    """The task worker, as production runs it beside gunicorn (deploy/): it prepares the
    large report files and runs the imports."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PGOPTIONS=pgoptions, **settings)
    command = [sys.executable, str(ROOT / "manage.py"), "db_worker"]
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)


def serve_and_measure(args, pages) -> list:
    """Start gunicorn and the task worker with the database task backend; sign in as each
    account `pages` names (label, path, username, connections), measure each page alone,
    under users and saturated; stop them."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = STATIC_ROOT.parent / f"partyorg-bench-gunicorn-{port}.log"
    settings = {"TASK_BACKEND": WORKER_BACKEND}
    server = start_gunicorn(port, log, args.pgoptions, **settings)
    tasks = start_worker(log.with_suffix(".worker.log"), args.pgoptions, **settings)
    rows = []
    try:
        pages = [page for page in pages if args.only in page[0]]
        cookies = {username: log_in(base, username) for username in {page[2] for page in pages}}
        for label, path, username, connections in pages:
            url, cookie = base + path, cookies[username]
            alone = single_requests(url, cookie)
            users = wrk(
                url,
                cookie,
                connections=connections,
                duration=args.duration,
                think_ms=args.think_ms,
            )
            drain(base, settle=users["max"])
            flat_out = wrk(url, cookie, connections=connections, duration=args.duration, think_ms=0)
            drain(base, settle=flat_out["max"])
            rows.append([label, connections, alone, users, flat_out])
            print(
                f"{label:<38} alone {alone:6.0f} ms | users p50 {users['p50']:6.0f} "
                f"p95 {users['p95']:6.0f} err {users['errors']} | saturated "
                f"{flat_out['rps']:5.1f}/s p50 {flat_out['p50']:6.0f} p95 {flat_out['p95']:6.0f} "
                f"err {flat_out['errors']} {users['error_kinds']} {flat_out['error_kinds']}",
                flush=True,
            )
    finally:
        stop(server)
        stop(tasks)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--think-ms", type=int, default=1000)
    parser.add_argument("--no-doc", action="store_true", help="do not write the docs")
    parser.add_argument("--only", default="", help="run only the pages whose label has this")
    parser.add_argument(
        "--pgoptions",
        default=SERIAL_QUERIES,
        help="PGOPTIONS of the web server's database connections (default: %(default)s)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    members = Member.objects.count()
    if members < 100_000:
        raise SystemExit(f"{members} members: seed the province first (seed_demo --scale province)")
    branch = secretary_of_50_member_branch()
    branch_size = Member.objects.filter(branch=branch, status__in=ACTIVE_STATUSES).count()
    district = OrganizationNode.objects.get(code="H01")
    province = OrganizationNode.objects.get_first_root_node()
    commune = UserRole.objects.get(user__username=COMMUNE_OFFICER).node
    commune_size = subtree_branches(commune).open().count()
    this_year = timezone.localdate().year
    call_command("collectstatic", interactive=False, verbosity=0)

    pages = [
        ("home page (the province)", "/", PROVINCE_OFFICER),
        ("member list, first page", "/members/", PROVINCE_OFFICER),
        ("member list, page 100", "/members/?status=active&page=100", PROVINCE_OFFICER),
        ("member search by name", "/members/?q=nguyen+thi+hoa&status=", PROVINCE_OFFICER),
        ("tree", "/organizations/", PROVINCE_OFFICER),
        ("node detail (a district)", f"/organizations/{district.code}/", PROVINCE_OFFICER),
        ("node detail (the province)", f"/organizations/{province.code}/", PROVINCE_OFFICER),
        (
            "meetings overview (the province)",
            f"/organizations/{province.code}/meetings/?year={this_year}",
            PROVINCE_OFFICER,
        ),
        ("admission board (the province)", "/admission/", PROVINCE_OFFICER),
        (f"commune home page ({commune_size} branches)", "/", COMMUNE_OFFICER),
        ("commune admission board", "/admission/", COMMUNE_OFFICER),
        ("commune node detail", f"/organizations/{commune.code}/", COMMUNE_OFFICER),
        (
            f"meeting-entry form ({branch_size} members)",
            f"/organizations/{branch.code}/meetings/new/",
            SECRETARY,
        ),
    ]
    pages = [(*page, args.connections) for page in pages]
    pages.append(
        (
            f"report dashboard (the province), {REPORT_READERS} users",
            f"/reports/{province.code}/{this_year}/",
            PROVINCE_OFFICER,
            REPORT_READERS,
        )
    )
    try:
        rows = serve_and_measure(args, pages)
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)

    if not args.no_doc:
        write_doc(rows, args, members)


def write_doc(rows, args, members):
    header = [
        "page",
        "users",
        "alone ms",
        "users p50 ms",
        "users p95 ms",
        "users errors",
        "saturated req/s",
        "saturated p50 ms",
        "saturated p95 ms",
        "saturated errors",
    ]
    body = [
        [
            label,
            connections,
            f"{alone:,.0f}",
            f"{users['p50']:,.0f}",
            f"**{users['p95']:,.0f}**",
            users["errors"],
            f"{flat_out['rps']:,.1f}",
            f"{flat_out['p50']:,.0f}",
            f"{flat_out['p95']:,.0f}",
            flat_out["errors"],
        ]
        for label, connections, alone, users, flat_out in rows
    ]
    write_section(
        "Load",
        f"""
`bench/load.py` runs wrk against gunicorn (deploy/gunicorn.conf.py, production settings,
static files through whitenoise) on 127.0.0.1, on the province data ({members:,} members),
signed in as the province officer, as the officer of a commune (the rows that name it)
and as a branch secretary (the meeting form), with the task worker running beside
gunicorn. For each page:
*alone* is the median of 5 requests one after another; *users* is as many connections
(the column) each pausing {args.think_ms / 1000:g} s on average between requests, for
{args.duration} s; *saturated* is as many connections without pause, which shows the
throughput (its latency is mostly queueing: connections / throughput). Errors count
failed connections, timeouts and every answer other than 200. The web server's database
connections ran with PGOPTIONS `{args.pgoptions}`. Every figure is computed in each
request. The province's report dashboard, some 1.5 s of work a view, runs with
{REPORT_READERS} connections: the officers of a province office opening it at once.

    apt-get install wrk
    createdb po_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_scale DEBUG=1 \\
        python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_scale DEBUG=1 \\
        python manage.py seed_demo --scale province --seed 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_scale python bench/load.py

Run of {time.strftime("%d/%m/%Y")}: {machine()}.

{table(header, body, "lrrrrrrrrr")}
""",
    )


if __name__ == "__main__":
    main()
