"""Tables filled by the demo seed and by large imports are vacuumed once committed, so
that index-only scans need not read the table pages (PostgreSQL's visibility map)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from branchwork.models import Attendance
from members.models import Member
from partyorg import bulk
from tests.factories import make_member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's"),
]


def all_visible_pages(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relallvisible FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        return cursor.fetchone()[0]


def test_vacuum_marks_the_committed_pages_all_visible(world):
    for _ in range(3):
        make_member(world.branch_a)
    assert all_visible_pages(Member) == 0
    with transaction.atomic():
        bulk.vacuum([Member])  # VACUUM cannot run here: nothing done, no error
    assert all_visible_pages(Member) == 0
    bulk.vacuum([Member])
    assert all_visible_pages(Member) > 0


def test_the_demo_seed_is_vacuumed_after_its_transaction():
    call_command("seed_demo", scale="demo", seed=3, today=datetime.date(2026, 3, 15))
    assert all_visible_pages(Attendance) > 0
    assert all_visible_pages(Member) > 0
