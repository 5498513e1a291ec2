"""The member counts the database keeps per branch (BranchMemberCount) follow every path
that writes members, and `manage.py check_totals` finds and mends a difference."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from members import counts, lifecycle, restructuring
from members.domain import convert_to_official
from members.enums import ExitKind, MemberStatus
from members.models import BranchMemberCount, Member
from members.stats import rolled_up_counts
from office.imports.registry import resource_class
from partyorg.imports import services
from partyorg.imports.files import store_bytes
from tests.factories import MemberFactory, make_member, transfer
from tests.factories_imports import member_row, xlsx_bytes
from tests.threads import together

TODAY = timezone.localdate()


def kept(branch) -> dict[tuple[str, str, bool], int]:
    rows = BranchMemberCount.objects.filter(branch=branch, members__gt=0)
    return {(row.status, row.gender, row.official): row.members for row in rows}


def active(world, branch) -> int:
    return rolled_up_counts(world.commune, [branch])[branch.pk]["members"]


@pytest.mark.django_db
def test_counts_follow_every_path_that_writes_members(world):
    woman = make_member(world.branch_a, gender="female", official_date=None)
    leaving, exempted = make_member(world.branch_a), make_member(world.branch_a)
    assert kept(world.branch_a) == {
        (MemberStatus.PROBATIONARY, "female", False): 1,
        (MemberStatus.OFFICIAL, "male", True): 2,
    }

    stored = store_bytes(
        "dang-vien.xlsx",
        xlsx_bytes([member_row("10000001", "X1-B2"), member_row("10000002", "X1-B2")]),
    )
    report = services.run_import(
        resource_class("members"), stored, user=world.officer, label="test", dry_run=False
    )
    assert report.ok, report.errors
    assert kept(world.branch_b) == {(MemberStatus.OFFICIAL, "male", True): 2}

    convert_to_official(woman, on=TODAY, document_number="1-QĐ")
    lifecycle.exempt(exempted, on=TODAY, document_number="2-QĐ")
    lifecycle.record_exit(leaving, kind=ExitKind.LEFT, on=TODAY, document_number="3-QĐ")
    assert kept(world.branch_a) == {
        (MemberStatus.OFFICIAL, "female", True): 1,
        (MemberStatus.EXEMPTED, "male", True): 1,
        (MemberStatus.LEFT, "male", True): 1,
    }
    assert active(world, world.branch_a) == 2

    transfer(woman, world.branch_b, TODAY)
    assert active(world, world.branch_a) == 1
    assert active(world, world.branch_b) == 3

    restructuring.merge_nodes([world.branch_b], into=world.branch_a, on=TODAY)
    assert active(world, world.branch_a) == 4
    assert kept(world.branch_b) == {}
    assert counts.MEMBER_TOTALS.differences() == []


@pytest.mark.django_db
def test_rows_written_and_deleted_in_bulk_are_counted(world):
    """No page deletes a member; a bulk write and a delete by hand are counted all the same."""
    made = Member.objects.bulk_create(
        MemberFactory.build(branch=world.branch_a, status=MemberStatus.OFFICIAL, gender=gender)
        for gender in ("male", "female", "female")
    )
    assert kept(world.branch_a) == {
        (MemberStatus.OFFICIAL, "male", True): 1,
        (MemberStatus.OFFICIAL, "female", True): 2,
    }
    Member.objects.filter(pk__in=[made[0].pk, made[1].pk]).delete()
    assert kept(world.branch_a) == {(MemberStatus.OFFICIAL, "female", True): 1}
    assert counts.MEMBER_TOTALS.differences() == []


@pytest.mark.django_db
def test_a_member_edit_that_changes_no_count_leaves_the_counts_alone(world):
    member = make_member(world.branch_a)
    before = list(BranchMemberCount.objects.values_list("pk", "members"))
    Member.objects.filter(pk=member.pk).update(full_name="Trần Văn Bình")
    assert list(BranchMemberCount.objects.values_list("pk", "members")) == before


@pytest.mark.django_db
def test_check_totals_reports_a_difference_and_rebuild_mends_it(world):
    make_member(world.branch_a)
    make_member(world.branch_b, gender="female")
    call_command("check_totals", stdout=io.StringIO())

    BranchMemberCount.objects.filter(branch=world.branch_a).update(members=F("members") + 2)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 kept totals differ"):
        call_command("check_totals", stdout=out)
    assert (
        f"member totals, ({world.branch_a.pk}, 'official', 'male', True): kept 3, recounted 1"
        in out.getvalue()
    )

    call_command("check_totals", "--rebuild", stdout=io.StringIO())
    assert counts.MEMBER_TOTALS.differences() == []
    assert kept(world.branch_a) == {(MemberStatus.OFFICIAL, "male", True): 1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent PostgreSQL writers")
def test_concurrent_writes_keep_the_counts_without_deadlock(world):
    """Members registered at once in one branch, and transfers crossing between two
    branches at the same moment, from connections of their own."""
    rounds = 8
    crossing = [(make_member(world.branch_a), make_member(world.branch_b)) for _ in range(rounds)]
    errors = []
    for there, back in crossing:
        errors += together(
            lambda: make_member(world.branch_a),
            lambda: make_member(world.branch_a, gender="female"),
        )
        errors += together(
            lambda there=there: transfer(there, world.branch_b, TODAY, letter="A"),
            lambda back=back: transfer(back, world.branch_a, TODAY, letter="B"),
        )
    assert errors == []
    assert active(world, world.branch_a) == 3 * rounds
    assert active(world, world.branch_b) == rounds
    assert counts.MEMBER_TOTALS.differences() == []
