"""The planner settings every PostgreSQL connection of the app runs with (settings.py,
POSTGRESQL_OPTIONS), and the server environment's PGOPTIONS kept beside them."""

import os
import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner settings are PostgreSQL's"
)

SHOW = (
    "import django; django.setup(); from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    for name in ('jit', 'random_page_cost', 'work_mem', 'max_parallel_workers_per_gather'):\n"
    "        cursor.execute(f'SHOW {name}')\n"
    "        print(name, cursor.fetchone()[0])"
)


def _shown(**environment) -> dict[str, str]:
    """The settings a fresh process of the app connects to the test database with."""
    database = connection.settings_dict
    credentials = f"{database['USER']}:{database['PASSWORD']}@" if database["USER"] else ""
    url = f"postgres://{credentials}{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {"DATABASE_URL": url, **environment}
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "partyorg.settings", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_connections_run_without_jit_with_an_ssd_page_cost_and_room_to_hash(db):
    shown = []
    with connection.cursor() as cursor:
        for name in ("jit", "random_page_cost", "work_mem"):
            cursor.execute(f"SHOW {name}")
            shown.append(cursor.fetchone()[0])
    assert shown == ["off", "1.1", "16MB"]


def test_the_environments_pgoptions_still_apply_and_may_override(db):
    """The web service's PGOPTIONS (parallel query off) is not replaced by the app's."""
    shown = _shown(
        DEBUG="true",
        PGOPTIONS="-c max_parallel_workers_per_gather=0 -c random_page_cost=2",
    )
    assert shown == {
        "jit": "off",
        "random_page_cost": "2",
        "work_mem": "16MB",
        "max_parallel_workers_per_gather": "0",
    }
