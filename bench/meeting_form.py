"""Where the meeting-entry form's time goes, in one process with the production settings:
the form of the largest open branch, opened by the superuser, against a
signed-in page that draws almost nothing (the floor of any request), timed alternately.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        python bench/meeting_form.py [--runs 40] [--branch CODE]

Prints for each: median ms, requests/s of one process, database ms and queries, and for
the form the templates included and the widgets rendered per request. gunicorn on two
CPUs serves at most about twice the one-process rate.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

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

from branches.enums import BRANCH_KINDS  # noqa: E402
from branches.models import OrganizationNode  # noqa: E402

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


def measure(client, pages: dict, runs: int) -> None:
    """Each page of `pages` (label: url, the first one the floor) `runs` times in turn;
    print the medians."""
    tally = Tally()
    counting(tally)
    results = {label: {"times": [], "db": []} for label in pages}
    with connection.execute_wrapper(tally.query):
        for url in pages.values():
            assert client.get(url).status_code == 200, url
        for _ in range(runs):
            for label, url in pages.items():
                tally.__init__()
                began = time.perf_counter()
                client.get(url)
                result = results[label]
                result["times"].append(time.perf_counter() - began)
                result["db"].append(tally.db_seconds)
                result["counts"] = (tally.queries, tally.includes, tally.widgets)
    print(f"load average: {os.getloadavg()}")
    floor = statistics.median(results[next(iter(pages))]["times"])
    for label, result in results.items():
        median = statistics.median(result["times"])
        queries, includes, widgets = result["counts"]
        print(
            f"{label:<58} {median * 1000:7.1f} ms  {1 / median:6.1f} req/s (one process)  "
            f"db {statistics.median(result['db']) * 1000:6.1f} ms / {queries} queries  "
            f"includes {includes}  widgets {widgets}  {median / floor:5.1f}× the floor"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--branch")
    args = parser.parse_args()
    branch = largest_branch(args.branch)
    client = Client()
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    form = f"meeting form, {branch.members.count()} members"
    pages = {
        FLOOR: "/account/password/",
        form: f"/organizations/{branch.code}/meetings/new/",
    }
    measure(client, pages, args.runs)


if __name__ == "__main__":
    main()
