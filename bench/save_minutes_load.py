"""Many branch secretaries saving minutes at once, over real HTTP, against gunicorn and
PostgreSQL; afterwards every meeting and attendance row must be in the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/save_minutes_load.py [--users 40] [--concurrency 20] [--months 3]

It creates a scratch database <name>_minutes_load on the same server (dropped at the end
unless --keep), migrates and seeds it (one commune, one branch and one secretary per user,
--members members each), starts gunicorn on 127.0.0.1, and lets each secretary, in
--concurrency threads: sign in, then for each of --months months open the new-minutes
form, save the minutes with everyone's attendance, open them again and save a correction.
Every request must answer as a browser expects (200 or 302 to the right page), the whole
run must end within --timeout seconds, and the row counts are checked in the database.
"""

import argparse
import concurrent.futures
import datetime
import http.client
import http.cookies
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-password-2025"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the whole run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    return parser.parse_args()


def scratch_database(server_url: str) -> tuple[str, str]:
    """(admin url of the server's postgres db, url of the fresh scratch database)."""
    parts = urllib.parse.urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit("DATABASE_URL must point at PostgreSQL.")
    name = parts.path.lstrip("/") + "_minutes_load"
    return parts._replace(path="/postgres").geturl(), parts._replace(path=f"/{name}").geturl()


def recreate(admin_url: str, url: str, *, drop_only=False) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            c.execute(f'CREATE DATABASE "{name}"')


def seed(users: int, members: int) -> list[dict]:
    """One commune, `users` branches with `members` official members and a secretary."""
    from branches.enums import NodeKind, RoleKind
    from tests.factories import make_member, make_node, make_user

    province = make_node(name="Tỉnh ủy tải thử", code="LOAD")
    commune = make_node(
        province, NodeKind.COMMUNE_COMMITTEE, "Đảng ủy xã tải thử", sector="commune", code="LX"
    )
    accounts = []
    for index in range(users):
        branch = make_node(commune, NodeKind.BRANCH, f"Chi bộ {index + 1}", code=f"LX-{index:03d}")
        for number in range(members):
            make_member(
                branch,
                member_number=f"8{index:03d}{number:04d}",
                full_name=f"Đảng viên {index}-{number}",
            )
        user = make_user(branch, RoleKind.SECRETARY, username=f"secretary{index:03d}")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        accounts.append({"username": user.username, "branch": branch.code})
    return accounts


class Session:
    """A browser-like HTTP session: cookies, and the CSRF token sent back with forms."""

    def __init__(self, port: int, timings: dict):
        self.port = port
        self.cookies = http.cookies.SimpleCookie()
        self.timings = timings

    def request(self, label: str, method: str, path: str, data: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": "127.0.0.1", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"].value}
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        self.timings.setdefault(label, []).append(time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        connection.close()
        return response.status, response.headers.get("Location", ""), content


class Failure(Exception):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failure(what)


def secretary_run(port: int, account: dict, months: list[datetime.date], timings: dict) -> int:
    """Sign in, then record and correct the minutes of each month; return requests made."""
    session = Session(port, timings)
    status, _, _ = session.request("sign-in form", "GET", "/login/")
    expect(status == 200, f"login form: {status}")
    status, location, _ = session.request(
        "sign in",
        "POST",
        "/login/",
        {"username": account["username"], "password": PASSWORD},
    )
    expect(status == 302 and not location.startswith("/login"), f"sign in: {status}")
    requests = 2
    base = f"/organizations/{account['branch']}/meetings/"
    for day in months:
        status, _, form = session.request("new minutes form", "GET", f"{base}new/?date={day}")
        expect(status == 200, f"new form {day}: {status}")
        members = re.findall(r'name="att_(\d+)"', form)
        expect(members, "no member on the roll")
        data = {
            "date": day.isoformat(),
            "kind": "regular",
            "start_time": "19:30",
            "end_time": "21:15",
            "topic": f"Sinh hoạt tháng {day.month}",
            "conclusion": "Thống nhất nghị quyết tháng.",
            "guest-TOTAL_FORMS": "0",
            "guest-INITIAL_FORMS": "0",
            "guest-MIN_NUM_FORMS": "0",
            "guest-MAX_NUM_FORMS": "1000",
        }
        for pk in dict.fromkeys(members):
            data[f"att_{pk}"] = "present"
            data[f"why_{pk}"] = ""
        status, location, _ = session.request("save new minutes", "POST", f"{base}new/", data)
        expect(status == 302 and re.search(r"/meetings/\d+/$", location), f"save: {status}")
        meeting = urllib.parse.urlsplit(location).path
        status, _, form = session.request("edit form", "GET", f"{meeting}edit/")
        expect(status == 200, f"edit form: {status}")
        version = re.search(r'name="version" value="(\d+)"', form)
        expect(version, "no version on the edit form")
        data |= {"version": version.group(1), "conclusion": "Đã đọc lại và thông qua."}
        data[f"att_{members[0]}"], data[f"why_{members[0]}"] = "excused", "Ốm"
        status, location, _ = session.request("save correction", "POST", f"{meeting}edit/", data)
        expect(status == 302 and location.endswith(meeting), f"correction: {status}")
        requests += 4
    return requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "partyorg.wsgi",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not start")


def main():
    args = parse_args()
    admin_url, url = scratch_database(os.environ.get("DATABASE_URL", ""))
    recreate(admin_url, url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "AXES_FAILURE_LIMIT": "1000",
        "DJANGO_SETTINGS_MODULE": "partyorg.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from branchwork.models import Attendance, Meeting

    process = None
    try:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.perf_counter()
        accounts = seed(args.users, args.members)
        print(f"seeded {args.users} branches in {time.perf_counter() - started:.1f} s")
        year = datetime.date.today().year - 1
        months = [datetime.date(year, month, 12) for month in range(1, args.months + 1)]
        port = free_port()
        process = start_gunicorn(env, port, args.workers)
        timings: dict[str, list[float]] = {}
        errors = []
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            futures = {
                pool.submit(secretary_run, port, account, months, timings): account
                for account in accounts
            }
            done, pending = concurrent.futures.wait(futures, timeout=args.timeout)
            for future in pending:
                future.cancel()
                errors.append(f"{futures[future]['username']}: not finished in time")
            requests = 0
            for future in done:
                try:
                    requests += future.result()
                except Exception as error:  # every failure is reported, none hidden
                    errors.append(f"{futures[future]['username']}: {error!r}")
        elapsed = time.perf_counter() - started

        meetings = Meeting.objects.count()
        attendance = Attendance.objects.count()
        excused = Attendance.objects.filter(status="excused").count()
        versions = Meeting.history.count()
        expected_meetings = args.users * args.months
        checks = [
            ("meetings", meetings, expected_meetings),
            ("attendance rows", attendance, expected_meetings * args.members),
            ("corrected attendance rows", excused, expected_meetings),
            ("minutes versions in history", versions, 2 * expected_meetings),
        ]
        print()
        print(
            f"{args.users} secretaries, {args.concurrency} at once, {args.months} months each, "
            f"{args.members} members a branch; gunicorn {args.workers} workers x 2 threads"
        )
        print(f"{requests} requests in {elapsed:.1f} s ({requests / elapsed:.1f} requests/s)")
        print()
        print("| request | count | median ms | p95 ms | max ms |")
        print("|---|---:|---:|---:|---:|")
        for label, values in timings.items():
            values = sorted(values)
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            print(
                f"| {label} | {len(values)} | {statistics.median(values) * 1000:.0f} "
                f"| {p95 * 1000:.0f} | {values[-1] * 1000:.0f} |"
            )
        print()
        print("| rows in the database | found | expected |")
        print("|---|---:|---:|")
        for label, found, wanted in checks:
            print(f"| {label} | {found} | {wanted} |")
        problems = errors + [f"{label}: {f} != {w}" for label, f, w in checks if f != w]
        print()
        if problems:
            print("FAILED:\n" + "\n".join(problems[:50]))
            return 1
        print("OK: no errors, every row is there.")
        return 0
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate(admin_url, url, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
