"""Numbers from a body's register under load: two officers issuing at the same moment,
on real PostgreSQL connections, get every number once, with no gap."""

import threading

import pytest
from django.db import connection, connections, transaction

from papers.domain import next_number
from papers.models import Register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL connections"
    ),
]

THREADS, ISSUES = 2, 20


def test_two_threads_take_every_number_once(world):
    barrier = threading.Barrier(THREADS)
    taken, errors = [], []

    def issue_many():
        try:
            barrier.wait()
            for _ in range(ISSUES):
                with transaction.atomic():
                    taken.append(next_number(world.district, 2026))
        except Exception as error:  # reported below, with the numbers taken so far
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_many) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(taken) == list(range(1, THREADS * ISSUES + 1))
    assert Register.objects.get(node=world.district, year=2026).last_number == THREADS * ISSUES
