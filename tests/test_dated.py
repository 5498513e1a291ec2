"""partyorg.dated: the one in-force filter for dated rows, its edges, and a fence that keeps
hand-written copies of it out of the apps."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from branches.models import NodePlacement, UserRole
from branches.queries import subtree_as_of
from branchwork.dues import sheet_members
from members.enums import MembershipKind, PositionRole
from members.models import Membership, Position
from partyorg.dated import add_months, add_years, covers, covers_all
from tests.factories import make_member, make_user, transfer

D = datetime.date


# --- add_months / add_years -----------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(D(2024, 8, 19), 12) == D(2025, 8, 19)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 15), -13) == D(2023, 12, 15)


def test_add_years_turns_29_february_into_28_february():
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), -1) == D(2023, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2023, 3, 1), -18) == D(2005, 3, 1)


# --- .on / .during / .open at their edges ----------------------------------------------


@pytest.fixture
def rows(world):
    """Positions of one member: March 2024 [1 Mar, 1 Apr), zero-length on 10 May, open
    from 1 June."""
    member = make_member(world.branch_a)

    def post(start, end):
        return Position.objects.create(
            member=member,
            role=PositionRole.DEPUTY_SECRETARY,
            node=world.branch_a,
            start_date=start,
            end_date=end,
        )

    return {
        "march": post(D(2024, 3, 1), D(2024, 4, 1)),
        "zero": post(D(2024, 5, 10), D(2024, 5, 10)),
        "open": post(D(2024, 6, 1), None),
    }


def names(rows, queryset):
    by_pk = {row.pk: name for name, row in rows.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in by_pk}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 2, 29), set()),  # the day before the start
        (D(2024, 3, 1), {"march"}),  # the start day
        (D(2024, 3, 31), {"march"}),  # the last day in force
        (D(2024, 4, 1), set()),  # the end day: out of force
        (D(2024, 5, 10), set()),  # a zero-length row covers no day
        (D(2024, 6, 1), {"open"}),
        (D(2099, 1, 1), {"open"}),
    ],
)
def test_on_a_day(rows, day, expected):
    assert names(rows, Position.objects.on(day)) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (D(2024, 1, 1), D(2024, 2, 29), set()),
        (D(2024, 1, 1), D(2024, 3, 1), {"march"}),  # touches the start day
        (D(2024, 3, 31), D(2024, 4, 30), {"march"}),  # touches the last day in force
        (D(2024, 4, 1), D(2024, 5, 31), set()),  # starts on the end day; skips zero-length
        (D(2024, 5, 31), D(2024, 6, 1), {"open"}),  # touches the open row's first day
        (D(2024, 1, 1), D(2030, 1, 1), {"march", "open"}),
    ],
)
def test_during_a_period(rows, first, last, expected):
    assert names(rows, Position.objects.during(first, last)) == expected


def test_rows_in_memory_follow_the_same_rule_as_the_database(rows):
    days = [D(2024, 2, 29), D(2024, 3, 1), D(2024, 3, 31), D(2024, 4, 1), D(2024, 5, 10)]
    days += [D(2024, 6, 1)]
    for day in days:
        in_database = names(rows, Position.objects.on(day))
        in_memory = {n for n, r in rows.items() if covers(r.start_date, r.end_date, day)}
        assert in_memory == in_database, day
    for first, last in [(D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 3, 1), D(2024, 4, 1))]:
        in_database = names(rows, Position.objects.throughout(first, last))
        in_memory = {
            n for n, r in rows.items() if covers_all(r.start_date, r.end_date, first, last)
        }
        assert in_memory == in_database, (first, last)


def test_open_rows_and_related_managers(rows):
    member = rows["open"].member
    assert names(rows, Position.objects.open()) == {"open"}
    assert names(rows, member.positions.on(D(2024, 3, 15))) == {"march"}
    assert names(rows, member.positions.lasting()) == {"march", "open"}


def test_organizations_in_force_by_their_founding_and_dissolution(world):
    world.branch_b.dissolved_on = D(2024, 7, 1)
    world.branch_b.save()
    children = type(world.commune).objects.get_children(world.commune)
    assert set(children.on(D(2024, 6, 30))) == {world.branch_a, world.branch_b}
    assert set(children.on(D(2024, 7, 1))) == {world.branch_a}
    assert set(children.open()) == {world.branch_a}
    assert set(children.throughout(D(2024, 6, 1), D(2024, 6, 30))) == {
        world.branch_a,
        world.branch_b,
    }
    assert set(children.throughout(D(2024, 6, 1), D(2024, 7, 1))) == {world.branch_a}


def test_user_roles_are_dated(world):
    user = make_user(world.branch_a)
    role = UserRole.objects.get(user=user)
    role.started_on, role.ended_on = D(2024, 1, 1), D(2025, 1, 1)
    role.save()
    assert UserRole.objects.filter(user=user).on(D(2024, 12, 31)).exists()
    assert not UserRole.objects.filter(user=user).on(D(2025, 1, 1)).exists()
    assert not UserRole.objects.filter(user=user).open().exists()


def test_memberships_on_a_day_across_a_transfer(world):
    stayed = make_member(world.branch_a)
    moved = make_member(world.branch_a)
    transfer(moved, world.branch_b, D(2024, 5, 10))
    in_a = Membership.objects.filter(branch=world.branch_a)

    assert set(in_a.on(D(2024, 5, 9)).values_list("member_id", flat=True)) == {
        stayed.pk,
        moved.pk,
    }
    assert set(in_a.on(D(2024, 5, 10)).values_list("member_id", flat=True)) == {stayed.pk}


def test_subtree_as_of_a_day_follows_the_placements(world):
    day = D(2024, 6, 1)
    nodes = set(subtree_as_of("X1", day))
    assert {world.commune.pk, world.branch_a.pk, world.branch_b.pk} <= nodes
    assert world.district.pk not in nodes
    assert set(subtree_as_of("X1", D(2014, 12, 31))) == set()  # before it was founded
    assert set(subtree_as_of("NO-SUCH-CODE", day)) == set()


def test_dues_sheet_leaves_out_a_member_who_left_on_the_first_of_the_month(world):
    """The dues sheet counted a membership ending on the 1st as covering that month (end
    day taken as in force), unlike every other filter: the member moved to another
    branch that day sat on both branches' sheets."""
    moved = make_member(world.branch_a, joined_branch_on=D(2020, 1, 1))
    transfer(moved, world.branch_b, D(2025, 3, 1))
    assert moved in sheet_members(world.branch_a, 2025, 2)
    assert moved not in sheet_members(world.branch_a, 2025, 3)
    assert moved in sheet_members(world.branch_b, 2025, 3)
    assert moved not in sheet_members(world.branch_b, 2025, 2)


def test_a_temporary_row_counts_as_a_row_of_its_own(world):
    member = make_member(world.branch_a)
    Membership.objects.create(
        member=member,
        branch=world.branch_b,
        kind=MembershipKind.TEMPORARY,
        start_date=D(2024, 1, 1),
        end_date=D(2024, 2, 1),
    )
    temporary = Membership.objects.filter(kind=MembershipKind.TEMPORARY)
    assert temporary.on(D(2024, 1, 31)).count() == 1
    assert temporary.on(D(2024, 2, 1)).count() == 0


# --- the fence ---------------------------------------------------------------------------

KERNEL = Path("partyorg") / "dated.py"


def _dated_field_lookups() -> re.Pattern:
    """Lookups that compare a dated model's start or end field with a day: the pieces of
    a hand-written in-force filter."""
    starts, ends = set(), set()
    for model in apps.get_models():
        if hasattr(model, "dated_fields"):
            start, end = model.dated_fields
            starts.add(start)
            ends.add(end)
    start_names, end_names = "|".join(sorted(starts)), "|".join(sorted(ends))
    return re.compile(
        rf"(?<![A-Za-z0-9])(?:(?:{end_names})__(?:isnull=True|gt|gte|lt|lte)"
        rf"|(?:{start_names})__(?:gt|gte|lt|lte))\b"
    )


def test_no_in_force_filter_outside_the_kernel():
    root = Path(settings.BASE_DIR)
    pattern = _dated_field_lookups()
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0].startswith(".") or "migrations" in relative.parts:
            continue
        # makemessages (run by test_catalogue alongside) leaves short-lived .py copies of
        # the templates beside them; templates hold no Python.
        if relative.parts[0] == "templates":
            continue
        if relative == KERNEL:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # A table constraint's condition declares what rows may hold, it filters nothing.
            if pattern.search(line) and "condition=" not in line:
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "in-force filters written by hand; use partyorg.dated:\n" + "\n".join(found)


def test_every_dated_model_has_the_dated_queryset():
    dated = [m for m in apps.get_models() if hasattr(m, "dated_fields")]
    assert {NodePlacement, Membership, Position, UserRole} <= set(dated)
    for model in dated:
        assert hasattr(model._default_manager, "on"), model
