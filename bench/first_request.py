"""The first page a fresh gunicorn worker serves, against the page it serves next.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_scale \\
        python bench/first_request.py [--trials 3]

A worker is fresh after every deploy and each time gunicorn starts it again
(`max_requests`). For each page, --trials times: gunicorn starts with
deploy/gunicorn.conf.py and the production settings (one worker, one thread), and the
province officer `tinh.canbo` (signed in beforehand on another server: the session is in
the database) asks for the page twice. The floor is the second request. Prints the
median of each and their ratio, and the load average.

The database must hold `seed_demo` data (a district or a province).
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time

from django.core.management import call_command
from django.utils import timezone
from load import (
    ROOT,
    STATIC_ROOT,
    free_port,
    log_in,
    start_gunicorn,
    stop,
    timed_get,
)

from branches.models import OrganizationNode

# The same pages as bench/load.py's officer, the report's year being this one.
PAGES = (
    ("home page (dashboard)", "/"),
    ("member list", "/members/"),
    ("tree", "/organizations/"),
    ("node detail", "/organizations/{child}/"),
    ("report dashboard", "/reports/{root}/{year}/"),
    ("admission board", "/admission/"),
)

WORKER_START_SECONDS = 5


def fresh_worker_pair(path: str, cookie: str) -> tuple[float, float]:
    """A gunicorn of one worker, started for this request: its first and second answer to
    `path`. Its start is awaited without a request, so the first one is the page's."""
    port = free_port()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        GUNICORN_CMD_ARGS="--workers 1 --threads 1",
    )
    log = STATIC_ROOT.parent / f"partyorg-bench-first-{port}.log"
    command = [sys.executable, "-m", "gunicorn", "partyorg.wsgi"]
    command += ["-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"]
    command += ["--access-logfile", "/dev/null", "--error-logfile", str(log)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while "Booting worker" not in (log.read_text() if log.exists() else ""):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.1)
        # The worker's own start: with the app loaded in the master a moment; without,
        # the worker loads it after booting. Either way done by then, so that only what
        # a started worker still loads on its first request is measured.
        time.sleep(WORKER_START_SECONDS)
        url = f"http://127.0.0.1:{port}{path}"
        return timed_get(url, cookie), timed_get(url, cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0)
    root = OrganizationNode.objects.filter(depth=1).order_by("path").first()
    child = OrganizationNode.objects.filter(depth=2, dissolved_on=None).order_by("path").first()
    values = {"root": root.code, "child": child.code, "year": timezone.localdate().year}
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    port = free_port()
    signer = start_gunicorn(port, STATIC_ROOT.parent / f"partyorg-bench-{port}.log", "")
    try:
        cookie = log_in(f"http://127.0.0.1:{port}", "tinh.canbo")
    finally:
        stop(signer)
    for label, path in PAGES:
        pairs = [fresh_worker_pair(path.format(**values), cookie) for _ in range(args.trials)]
        first = statistics.median(pair[0] for pair in pairs)
        second = statistics.median(pair[1] for pair in pairs)
        print(
            f"{label:<24} first {first:6.0f} ms / second (floor) {second:5.0f} ms "
            f"= {first / second:.2f}×"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
