"""The import engine's own shortcuts: cell values cleaned once per distinct value, and
the file's keys looked up as one array parameter on PostgreSQL."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member
from office.imports.registry import resource_class
from partyorg.imports import services
from partyorg.imports.files import store_bytes
from tests.factories import make_member
from tests.factories_imports import member_row, xlsx_bytes

pytestmark = pytest.mark.django_db
MEMBERS = resource_class("members")


def checked(rows, user):
    stored = store_bytes("dang-vien.xlsx", xlsx_bytes(rows))
    return services.run_import(MEMBERS, stored, user=user, label="test", dry_run=True)


def test_a_refused_value_is_refused_on_every_row_that_repeats_it(world):
    rows = [
        member_row("10000001", **{"Ngày sinh": "31/02/1980", "Giới tính": "X"}),
        member_row("10000002"),
        member_row("10000003", **{"Ngày sinh": "31/02/1980", "Giới tính": "X"}),
    ]
    report = checked(rows, world.officer)
    assert sorted((e["row"], e["column"]) for e in report.errors) == [
        (2, "Giới tính"),
        (2, "Ngày sinh"),
        (4, "Giới tính"),
        (4, "Ngày sinh"),
    ]
    assert report.invalid == 2


def test_equal_numbers_of_other_types_are_cleaned_apart(world):
    """The Excel serial 1 is a date (31/12/1899); the cell TRUE is not, though 1 == True."""
    rows = [
        member_row("10000001", **{"Ngày chính thức": 1}),
        member_row("10000002", **{"Ngày chính thức": True}),
    ]
    report = checked(rows, world.officer)
    refused = {e["row"] for e in report.errors if "dd/mm/yyyy" in e["message"]}
    assert refused == {3}


@pytest.mark.parametrize("count", [3, 40])
def test_the_check_queries_do_not_grow_with_the_file(world, count, django_assert_max_num_queries):
    make_member(world.branch_a, member_number="10000001")
    rows = [member_row(f"{10000001 + n}") for n in range(count)]
    stored = store_bytes("dang-vien.xlsx", xlsx_bytes(rows))
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(8):
        report = services.run_import(
            MEMBERS, stored, user=world.officer, label="test", dry_run=True
        )
    assert report.total == count
    if connection.vendor == "postgresql":
        lookups = [q["sql"] for q in queries if '"member_number" = ANY(' in q["sql"]]
        assert lookups and all(" IN (" not in sql for sql in lookups)


def test_any_lookup_matches_in(world):
    a = make_member(world.branch_a, member_number="10000001")
    b = make_member(world.branch_a, member_number="10000002")
    make_member(world.branch_a, member_number="10000003")
    found = Member.objects.filter(member_number__any=["10000001", "10000002", None, "x"])
    assert set(found) == {a, b}
    assert not Member.objects.filter(member_number__any=[]).exists()
    assert set(Member.objects.filter(pk__any=[a.pk])) == {a}


def test_the_check_and_the_write_run_with_the_cycle_collector_paused(world, monkeypatch):
    """It would walk the import's hundreds of thousands of objects again and again
    (partyorg.collector); it is on again after."""
    seen = []
    for name in ("check_row", "write"):
        real = getattr(MEMBERS, name)

        def spy(self, *args, real=real, **kwargs):
            seen.append(gc.isenabled())
            return real(self, *args, **kwargs)

        monkeypatch.setattr(MEMBERS, name, spy)
    stored = store_bytes("dang-vien.xlsx", xlsx_bytes([member_row("10000001")]))
    report = services.run_import(MEMBERS, stored, user=world.officer, label="test", dry_run=False)
    assert report.ok and report.new == 1
    assert seen == [False, False]  # the check, the write
    assert gc.isenabled()
