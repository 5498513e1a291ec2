"""Two officers restructuring the same organization at once: real PostgreSQL
connections in threads."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from branches.enums import NodeKind
from branches.models import NodePlacement, OrganizationNode
from members.models import Membership
from members.restructuring import merge_nodes
from tests.factories import make_member, make_node
from tests.test_imports_concurrency import WAIT, InThread, wait_for_lock_waiters

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's locks"),
]
DAY = datetime.date(2025, 7, 1)


def test_the_second_merge_of_one_branch_waits_and_is_refused(world):
    member = make_member(world.branch_b)
    elsewhere = make_node(world.commune, NodeKind.BRANCH, code="X1-B9")
    merged, go_on = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            merge_nodes([world.branch_b], into=world.branch_a, on=DAY)
            merged.set()
            go_on.wait(WAIT)

    one = InThread(first)
    one.start()
    assert merged.wait(WAIT)
    two = InThread(lambda: merge_nodes([world.branch_b], into=elsewhere, on=DAY))
    two.start()
    wait_for_lock_waiters(1)  # the second merge waits for the first's lock
    assert two.is_alive()
    go_on.set()
    one.outcome()
    with pytest.raises(ValidationError, match="ended"):
        two.outcome()

    assert OrganizationNode.objects.get(pk=world.branch_b.pk).merged_into_id == world.branch_a.pk
    assert Membership.objects.open().get(member=member).branch == world.branch_a
    assert not NodePlacement.objects.filter(node=world.branch_b).open().exists()
