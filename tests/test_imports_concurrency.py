"""Imports while other people work: real PostgreSQL connections in threads.

Each scenario holds a lock from its own connection so that one import stops in the
middle of its write, exactly where two users overlap in real use, then lets it go.
"""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from branches.enums import RoleKind
from members.models import Member, Membership
from partyorg.enums import ImportStatus
from partyorg.imports import services
from partyorg.models import ImportBatch
from tests.factories import make_member, make_user
from tests.factories_imports import member_row, xlsx_bytes
from tests.factories_work import members_batch, stale_heartbeat
from tests.form_data import member_form

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's locks"),
]
WAIT = 20  # seconds: a scenario that waits longer has deadlocked


def member_id_sequence() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM members_member_id_seq")
        return cursor.fetchone()[0]


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def upload(client, rows, name="dang-vien.xlsx") -> ImportBatch:
    response = client.post(
        reverse("imports:index"),
        {"kind": "members", "file": SimpleUploadedFile(name, xlsx_bytes(rows))},
    )
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk")


def rows(first: int, count: int, branch="X1-B1") -> list[dict]:
    return [member_row(str(number), branch=branch) for number in range(first, first + count)]


class InThread(threading.Thread):
    """Runs `work` on its own database connection and keeps its result or exception."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work = work
        self.result = self.error = None

    def run(self):
        try:
            self.result = self.work()
        except BaseException as error:  # re-raised in the test by outcome()
            self.error = error
        finally:
            connections.close_all()

    def outcome(self):
        self.join(WAIT)
        assert not self.is_alive(), "the thread did not finish"
        if self.error is not None:
            raise self.error
        return self.result


class HeldLock(InThread):
    """Holds a lock (`statement`) in an open transaction until release()."""

    def __init__(self, statement, params=()):
        self.locked, self.released = threading.Event(), threading.Event()

        def hold():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, params)
                self.locked.set()
                self.released.wait(WAIT)

        super().__init__(hold)
        self.start()
        assert self.locked.wait(WAIT)

    def release(self):
        self.released.set()
        self.outcome()


def wait_for_lock_waiters(count: int) -> None:
    """Until `count` other connections wait for a lock in this database."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.02)
    raise AssertionError(f"{count} connection(s) never waited for a lock")


def lock_branch_row(branch) -> HeldLock:
    """A write that references the branch waits at its commit, ids taken, rows unseen."""
    return HeldLock(
        "SELECT id FROM branches_organizationnode WHERE id = %s FOR UPDATE", [branch.pk]
    )


def test_a_check_never_moves_the_member_id_sequence_back(world):
    make_member(world.branch_a)
    with connection.cursor() as cursor:
        # Ids taken by a write not yet committed (or rolled back): the sequence is ahead.
        cursor.execute("SELECT nextval('members_member_id_seq') FROM generate_series(1, 5)")
    before = member_id_sequence()

    batch = upload(client_for(world.officer), rows(10000001, 3))

    assert batch.status == ImportStatus.CHECKED
    assert member_id_sequence() >= before


def test_add_member_works_after_a_check_overlapping_an_apply(world):
    first = client_for(world.officer)
    colleague = client_for(make_user(world.district, RoleKind.OFFICER, username="colleague"))
    batch = upload(first, rows(10000001, 100))
    assert batch.status == ImportStatus.CHECKED

    lock = lock_branch_row(world.branch_a)
    applying = InThread(lambda: first.post(reverse("imports:apply", args=[batch.pk])))
    applying.start()
    wait_for_lock_waiters(1)
    # Meanwhile a colleague merely uploads a file for a check.
    assert upload(colleague, rows(20000001, 2)).status == ImportStatus.CHECKED
    lock.release()
    assert applying.outcome().status_code == 302

    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    for number in ("30000001", "30000002", "30000003"):
        response = colleague.post(
            reverse("members:create"), member_form(member_number=number, branch=world.branch_b.pk)
        )
        assert response.status_code == 302, number
    assert Member.objects.count() == 103
    assert member_id_sequence() >= Member.objects.order_by("-pk").first().pk


def test_pressing_apply_twice_imports_once_and_answers_with_a_message(world):
    client = client_for(world.officer)
    batch = upload(client, rows(10000001, 20))
    apply_url = reverse("imports:apply", args=[batch.pk])

    lock = lock_branch_row(world.branch_a)
    first = InThread(lambda: client.post(apply_url))
    first.start()
    wait_for_lock_waiters(1)
    second = client_for(world.officer).post(apply_url, follow=True)
    lock.release()

    assert first.outcome().status_code == 302
    assert second.status_code == 200
    assert "This file is being imported already." in second.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and not batch.errors
    assert Member.objects.count() == Membership.objects.count() == 20
    # Once applied, another press is refused too, with its own message.
    third = client.post(apply_url, follow=True).content.decode()
    assert "This file has been imported already." in third
    assert Member.history.count() == 20


def test_two_officers_import_the_same_new_members_one_wins_the_other_names_the_rows(world):
    colleague = make_user(world.district, RoleKind.OFFICER, username="colleague")
    clients = [client_for(world.officer), client_for(colleague)]
    file_rows = rows(10000001, 30)
    batches = [upload(client, file_rows) for client in clients]
    assert [b.status for b in batches] == [ImportStatus.CHECKED] * 2

    # Both checks pass, then both writes meet at the member table.
    lock = HeldLock("LOCK TABLE members_member IN SHARE MODE")
    threads = [
        InThread(lambda c=c, b=b: c.post(reverse("imports:apply", args=[b.pk])))
        for c, b in zip(clients, batches, strict=True)
    ]
    for thread in threads:
        thread.start()
    wait_for_lock_waiters(2)
    lock.release()
    assert [t.outcome().status_code for t in threads] == [302, 302]

    for batch in batches:
        batch.refresh_from_db()
    statuses = sorted(b.status for b in batches)
    assert statuses == [ImportStatus.APPLIED, ImportStatus.FAILED]
    loser = next(b for b in batches if b.status == ImportStatus.FAILED)
    assert loser.errors and all(e["column"] == "Số lý lịch" for e in loser.errors)
    assert [e["row"] for e in loser.errors] == list(range(2, 32))
    assert "10000001" in loser.errors[0]["message"]
    assert "another" in loser.errors[0]["message"]
    # Nothing of the losing import was written.
    assert Member.objects.count() == Membership.objects.count() == 30
    assert Member.history.count() == 30
    assert set(Member.history.values_list("history_change_reason", flat=True)) == {
        next(b for b in batches if b.status == ImportStatus.APPLIED).label
    }


def test_a_live_apply_holding_its_batch_is_not_ended_however_old_its_heartbeat(world, settings):
    """A worker writing rows holds its batch locked: only a dead one's batch is ended."""
    batch = members_batch(
        world.officer, status=ImportStatus.APPLYING, heartbeat_at=stale_heartbeat()
    )
    writer = HeldLock("SELECT id FROM partyorg_importbatch WHERE id = %s FOR UPDATE", [batch.pk])
    assert services.end_stopped_batches() == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLYING

    writer.release()  # the writer's connection is gone, its lock with it
    assert services.end_stopped_batches() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED


def test_two_officers_adding_the_same_code_at_once_one_gets_a_message(world):
    from branches.models import OrganizationNode

    colleague = make_user(world.district, RoleKind.OFFICER, username="colleague")
    clients = [client_for(world.officer), client_for(colleague)]
    data = {
        "code": "X1-B9",
        "name": "Chi bộ thôn 9",
        "kind": "branch",
        "established_on": "01/01/2020",
    }
    url = reverse("organizations:node_create", args=["X1"])

    lock = HeldLock("LOCK TABLE branches_organizationnode IN SHARE MODE")
    threads = [InThread(lambda c=c: c.post(url, data)) for c in clients]
    for thread in threads:
        thread.start()
    wait_for_lock_waiters(2)
    lock.release()

    responses = sorted((t.outcome() for t in threads), key=lambda r: r.status_code)
    assert [r.status_code for r in responses] == [200, 302]
    assert "at the same time" in str(responses[0].context["form"].non_field_errors())
    assert OrganizationNode.objects.filter(code="X1-B9").count() == 1
