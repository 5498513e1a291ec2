"""Where the meeting-entry form's time goes, in one process with the production settings:
the form of the largest open branch, opened by the superuser, and the same form posted
with mistakes (drawn again with its messages), against a signed-in page that draws
almost nothing (the floor of any request), timed alternately.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/meeting_form.py [--runs 40] [--branch CODE] [--profile 20]

The database must hold seeded data (`seed_demo --scale district` for a branch of 50-60
members); nothing is written to it (the posted form is refused). Prints for each page:
median wall ms, requests/s of one process, median CPU ms of this process per request
(what limits gunicorn on a loaded machine: two CPUs serve at most 2000 / CPU ms
requests a second), database ms and queries, the templates included and the widgets
rendered per request. With --profile N, the form's GET and refused POST are each run N
times under cProfile and the functions taking the most CPU time are printed.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("DEBUG", None)
os.environ.update(
    DJANGO_SETTINGS_MODULE="partyorg.settings",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="false",
    SECURE_COOKIES="false",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Static files unhashed: the manifest needs collectstatic, and the URLs cost the same.
settings.STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.forms.boundfield import BoundField  # noqa: E402
from django.template.loader_tags import IncludeNode  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from branches.enums import BRANCH_KINDS  # noqa: E402
from branches.models import OrganizationNode  # noqa: E402
from branchwork.enums import AttendanceStatus, MeetingKind  # noqa: E402
from branchwork.meetings import branch_roll  # noqa: E402

FLOOR = "floor: a signed-in page (the account's password form)"


class Tally:
    def __init__(self):
        self.db_seconds = self.queries = self.includes = self.widgets = 0

    def query(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.db_seconds += time.perf_counter() - began
            self.queries += 1


def counting(tally: Tally):
    include, widget = IncludeNode.render, BoundField.as_widget

    def counted_include(self, context):
        tally.includes += 1
        return include(self, context)

    def counted_widget(self, *args, **kwargs):
        tally.widgets += 1
        return widget(self, *args, **kwargs)

    IncludeNode.render, BoundField.as_widget = counted_include, counted_widget


def largest_branch(code: str | None) -> OrganizationNode:
    branches = OrganizationNode.objects.filter(kind__in=BRANCH_KINDS, dissolved_on=None)
    if code:
        return branches.get(code=code)
    return branches.annotate(n=Count("members")).order_by("-n").first()


def request(client, page):
    """GET `page` (a URL) or POST it (a pair: URL, data) form-encoded, as the browser and
    static/js/offline.js send the form (the test client's default, multipart, costs
    several times more to parse)."""
    if isinstance(page, str):
        return client.get(page)
    url, data = page
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def measure(client, pages: dict, runs: int) -> None:
    """Each page of `pages` (label: url or (url, POST data), the first one the floor)
    `runs` times in turn; print the medians."""
    tally = Tally()
    counting(tally)
    results = {label: {"times": [], "cpu": [], "db": []} for label in pages}
    with connection.execute_wrapper(tally.query):
        for page in pages.values():
            assert request(client, page).status_code == 200, page
        for _ in range(runs):
            for label, page in pages.items():
                tally.__init__()
                began, cpu = time.perf_counter(), time.process_time()
                request(client, page)
                result = results[label]
                result["times"].append(time.perf_counter() - began)
                result["cpu"].append(time.process_time() - cpu)
                result["db"].append(tally.db_seconds)
                result["counts"] = (tally.queries, tally.includes, tally.widgets)
    print(f"load average: {os.getloadavg()}")
    floor = results[next(iter(pages))]
    floor_wall, floor_cpu = (statistics.median(floor[key]) for key in ("times", "cpu"))
    for label, result in results.items():
        median, cpu = (statistics.median(result[key]) for key in ("times", "cpu"))
        queries, includes, widgets = result["counts"]
        print(
            f"{label:<58} {median * 1000:7.1f} ms  {1 / median:6.1f} req/s (one process)  "
            f"CPU {cpu * 1000:6.1f} ms ({cpu / floor_cpu:4.1f}×)  "
            f"db {statistics.median(result['db']) * 1000:6.1f} ms / {queries} queries  "
            f"includes {includes}  widgets {widgets}  {median / floor_wall:5.1f}× the floor"
        )


def profile(client, pages: dict, runs: int) -> None:
    """Each page `runs` times under cProfile, timed by CPU: the functions that take the
    most of it, on their own and with what they call."""
    for label, page in pages.items():
        request(client, page)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(runs):
            request(client, page)
        profiler.disable()
        print(f"\n=== {label}, {runs} requests")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


def refused_post(branch: OrganizationNode) -> dict:
    """The form's POST data with two mistakes the form reports: an end time that is no
    time, and one member's reason longer than allowed (marked on that member's row)."""
    roll = branch_roll(branch, timezone.localdate())
    data = {
        "date": timezone.localdate().isoformat(),
        "kind": MeetingKind.REGULAR,
        "start_time": "20:00",
        "end_time": "25:00",
        "chair": str(roll[0].member.pk),
        "minute_taker": str(roll[-1].member.pk),
        "guest-TOTAL_FORMS": "2",
        "guest-INITIAL_FORMS": "0",
    }
    for entry in roll:
        data[f"att_{entry.member.pk}"] = AttendanceStatus.PRESENT
        data[f"why_{entry.member.pk}"] = ""
    data[f"att_{roll[1].member.pk}"] = AttendanceStatus.EXCUSED
    data[f"why_{roll[1].member.pk}"] = "x" * 201
    return data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--branch")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    branch = largest_branch(args.branch)
    client = Client()
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    form = f"meeting form, {branch.members.count()} members"
    url = f"/organizations/{branch.code}/meetings/new/"
    pages = {
        FLOOR: "/account/password/",
        form: url,
        f"{form}, posted with mistakes": (url, refused_post(branch)),
    }
    if args.profile:
        profile(client, dict(list(pages.items())[1:]), args.profile)
    else:
        measure(client, pages, args.runs)


if __name__ == "__main__":
    main()
