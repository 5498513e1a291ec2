"""Report building reads from the replica when one is configured; nothing else does.

The `replica` alias of the test settings mirrors the test database, so its connection
sees the rows the test committed (hence transactional tests) and each query is captured
on the alias it was sent to.
"""

import runpy
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyorg import settings as settings_module
from reports.enums import ReportStatus
from reports.models import GeneratedReport
from reports.service import build_annual_report
from tests.factories_reports import YEAR, build_district

on_both_aliases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROUTER = "partyorg.routers.ReportReadRouter"


@pytest.fixture
def district(world, settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    return build_district(world)


@contextmanager
def queries_on_each_alias():
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield primary, replica


def sql(captured) -> str:
    return "\n".join(query["sql"] for query in captured.captured_queries)


def only_reads(captured) -> bool:
    return all(query["sql"].startswith("SELECT") for query in captured.captured_queries)


@on_both_aliases
def test_dashboard_builds_the_report_on_the_replica(as_user, district, world):
    with CaptureQueriesContext(connections["default"]) as unrouted:
        build_annual_report(district.district, YEAR)
    client = as_user(world.officer)
    with queries_on_each_alias() as (primary, replica):
        response = client.get(reverse("reports:dashboard", args=["H1", YEAR]))
    assert response.status_code == 200
    assert response.context["report"].totals.members == 9
    # Every query of the building, across the apps it reads, and nothing else.
    assert len(replica) == len(unrouted)
    assert only_reads(replica)
    for table in ("branches_nodeplacement", "branchwork_evaluation", "admission_admissiontarget"):
        assert table in sql(replica)
        assert table not in sql(primary)
    # The list of report files stays on the primary: a file asked for a moment ago shows.
    assert "reports_generatedreport" in sql(primary)


@on_both_aliases
def test_report_file_is_built_on_the_replica(as_user, district, world):
    client = as_user(world.officer)
    with queries_on_each_alias() as (primary, replica):
        response = client.get(reverse("reports:report_file", args=["H1", YEAR, "xlsx"]))
    assert response.status_code == 200
    assert only_reads(replica)
    assert "admission_admissiontarget" in sql(replica)
    assert "admission_admissiontarget" not in sql(primary)


@on_both_aliases
def test_pages_outside_reports_read_from_the_primary(as_user, district, world):
    client = as_user(world.officer)
    with queries_on_each_alias() as (primary, replica):
        for name in ("home", "members:list"):
            assert client.get(reverse(name)).status_code == 200
    assert len(primary) > 0
    assert len(replica) == 0


@on_both_aliases
def test_annual_report_command_reads_the_replica(district, tmp_path):
    target = tmp_path / "report.xlsx"
    with queries_on_each_alias() as (primary, replica):
        call_command("annual_report", "H1", str(YEAR), "--format", "xlsx", "--output", target)
    assert target.stat().st_size > 0
    assert len(replica) > 0
    assert only_reads(replica)
    # Only the lookup of the organization by its code.
    assert len(primary) == 1
    assert "branches_organizationnode" in sql(primary)


@on_both_aliases
def test_background_file_writes_its_row_on_the_primary(as_user, district, world):
    client = as_user(world.officer)
    with queries_on_each_alias() as (primary, replica):
        response = client.post(reverse("reports:generate", args=["H1", YEAR]), {"format": "xlsx"})
    generated = GeneratedReport.objects.get()
    assert response.status_code == 302
    assert generated.status == ReportStatus.DONE
    assert generated.file
    assert len(replica) > 0
    assert only_reads(replica)
    # The row was written a moment before: reading it back from the replica could miss it.
    assert "reports_generatedreport" not in sql(replica)
    assert 'UPDATE "reports_generatedreport"' in sql(primary)


def test_migrations_run_on_the_primary_only(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    assert router.allow_migrate("default", "members")
    assert not router.allow_migrate("replica", "members")


def load_settings(monkeypatch, replica_url: str | None) -> dict:
    monkeypatch.setenv("DATABASE_URL", "postgres://partyorg@10.0.0.1:5432/partyorg")
    monkeypatch.setenv("CONN_MAX_AGE", "30")
    if replica_url is None:
        monkeypatch.delenv("REPLICA_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("REPLICA_DATABASE_URL", replica_url)
    return runpy.run_path(settings_module.__file__)


def test_without_replica_url_there_is_no_replica(monkeypatch):
    for unset in (None, ""):
        loaded = load_settings(monkeypatch, unset)
        assert list(loaded["DATABASES"]) == ["default"]
        assert "DATABASE_ROUTERS" not in loaded


def test_replica_url_adds_the_replica_and_the_router(monkeypatch):
    url = "postgres://reader:secret@10.0.0.2:5432/partyorg"
    loaded = load_settings(monkeypatch, url)
    default, replica = loaded["DATABASES"]["default"], loaded["DATABASES"]["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == ("10.0.0.2", "reader", "partyorg")
    assert replica["CONN_MAX_AGE"] == default["CONN_MAX_AGE"] == 30
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert loaded["DATABASE_ROUTERS"] == [ROUTER]
    assert url not in [value for name, value in loaded.items() if name.isupper()]


def test_a_mistyped_replica_url_stops_the_start(monkeypatch):
    with pytest.raises(ValueError, match="postgress"):
        load_settings(monkeypatch, "postgress://reader@10.0.0.2/partyorg")


def test_connections_last_the_process_unless_an_age_is_set(monkeypatch):
    """A connection reopened every minute cost its page 7-14 ms (bench/new_connection.py)."""
    loaded = load_settings(monkeypatch, None)
    assert loaded["DATABASES"]["default"]["CONN_MAX_AGE"] == 30
    monkeypatch.delenv("CONN_MAX_AGE")
    loaded = runpy.run_path(settings_module.__file__)
    assert loaded["DATABASES"]["default"]["CONN_MAX_AGE"] is None
    assert loaded["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
