"""A write the database refuses becomes the import's errors, in the user's words,
whichever database runs it (COPY on PostgreSQL, bulk_create on SQLite)."""

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from branches.models import ResidentialArea
from branches.resources import AreaResource
from members.models import Member
from members.resources import MemberResource
from partyorg.bulk import insert
from tests.factories import MemberFactory, make_member

pytestmark = pytest.mark.django_db


def test_a_key_stored_meanwhile_names_the_rows_that_hold_it(world):
    resource = MemberResource(user=world.officer)
    resource.creates = [
        MemberFactory.build(member_number=number, branch=world.branch_a, status="official")
        for number in ("10000001", "10000002", "10000003")
    ]
    for row, member in enumerate(resource.creates, start=2):
        member._import_row = row
    # Another officer's import stores two of them after this file was checked.
    make_member(world.branch_b, member_number="10000003")
    make_member(world.branch_b, member_number="10000002")

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        insert(Member, resource.creates)

    assert [(row, column) for row, column, _ in resource.database_problems(refused.value)] == [
        (3, "Số lý lịch"),
        (4, "Số lý lịch"),
    ]
    message = resource.database_problems(refused.value)[0][2]
    assert "“10000002” was saved by another user or import" in message


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps long strings")
def test_a_value_copy_refuses_is_a_database_error_named_by_its_column(world):
    too_long = ResidentialArea(code="A" * 40, name="Thôn 1", kind="village", branch=world.branch_a)

    with pytest.raises(DataError) as refused, transaction.atomic():
        insert(ResidentialArea, [too_long])

    assert AreaResource(user=world.officer).database_problems(refused.value) == [
        (
            None,
            "Mã thôn, tổ dân phố",
            "The database refused a value in this column; nothing was imported.",
        )
    ]
