"""A prepared export asked for twice at once (a double click on "prepare"): one row is
queued and both requests get it. Real PostgreSQL connections in threads; and the
migration that ends the copies queued before the rule."""

import threading

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from office.imports.exporting import Request, request_export
from partyorg.models import PreparedExport
from tests.test_imports_concurrency import WAIT, InThread, wait_for_lock_waiters

ATTENDANCE = Request("attendance")
BEFORE = [("partyorg", "0010_prepared_export")]
AFTER = [("partyorg", "0011_one_waiting_export_per_request")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_requests_at_once_queue_one_export(world):
    first_written, release = threading.Event(), threading.Event()

    def first_click():
        with transaction.atomic():
            asked = request_export(ATTENDANCE, world.officer)
            first_written.set()
            release.wait(WAIT)
        return asked

    first = InThread(first_click)
    first.start()
    assert first_written.wait(WAIT)
    second = InThread(lambda: request_export(ATTENDANCE, world.officer))
    second.start()
    wait_for_lock_waiters(1)  # the second insert waits on the first's uncommitted row
    release.set()
    (export, new), (again, new_again) = first.outcome(), second.outcome()
    assert (new, new_again) == (True, False)
    assert again.pk == export.pk
    assert PreparedExport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_migration_ends_the_copies_queued_before_the_rule(world, migrations_applied_after):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("partyorg", "PreparedExport")
    same = {"user_id": world.officer.pk, "kind": "members", "file_format": "csv"}
    kept = old.objects.create(**same, filters={"status": "active", "q": "an"})
    copy = old.objects.create(**same, filters={"q": "an", "status": "active"})
    other = old.objects.create(**same, filters={"status": "active"})
    done = old.objects.create(**same, filters={"status": "active"}, status="done", file="x.csv")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("partyorg", "PreparedExport")
    statuses = dict(new.objects.values_list("pk", "status"))
    assert statuses == {kept.pk: "queued", copy.pk: "failed", other.pk: "queued", done.pk: "done"}
