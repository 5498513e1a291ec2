import datetime

import pytest

from branches import domain as tree
from branches.enums import NodeKind
from members import lifecycle, restructuring
from members.enums import EventKind, ExitKind
from members.models import Membership, StatusEvent
from reports.membership import movement
from tests.factories import make_member, make_node, transfer

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_START, YEAR_END = D(2024, 12, 31), D(2025, 12, 31)


def leave(member, kind, on):
    """What an exit does to the dated rows: the membership ends, an event is written."""
    Membership.objects.open().filter(member=member).update(end_date=on)
    StatusEvent.objects.create(member=member, kind=kind, date=on)


def test_movement_balances_with_every_kind_of_flow(world):
    for _ in range(3):
        make_member(world.branch_a)
    moved_inside = make_member(world.branch_a)
    moved_away = make_member(world.branch_b)
    died = make_member(world.branch_b)
    removed = make_member(world.branch_a)
    make_member(  # admitted in the year
        world.branch_a,
        admission_decision_date=D(2025, 4, 1),
        admission_date=D(2025, 4, 20),
        official_date=None,
    )
    make_member(  # record arriving from outside the system
        world.branch_b, joined_branch_on=D(2025, 8, 1)
    )

    transfer(moved_inside, world.branch_b, D(2025, 3, 1), letter="1")
    transfer(moved_away, world.other_branch, D(2025, 5, 1), letter="2")
    leave(died, EventKind.DECEASED, D(2025, 6, 1))
    leave(removed, EventKind.REMOVED, D(2025, 7, 1))

    result = movement("H1", YEAR_START, YEAR_END)
    assert result.start == 7  # 3 stay + moved_inside + moved_away + died + removed
    assert result.ins == {
        "admitted": 1,
        "admitted_earlier": 0,
        "readmitted": 0,
        "transferred_in": 1,
        "restructured_in": 0,
    }
    assert result.outs == {
        "deceased": 1,
        "removed": 1,
        "expelled": 0,
        "left": 0,
        "transferred_out": 1,
        "restructured_out": 0,
    }
    assert result.end == 3 + 1 + 1 + 1  # stay, moved_inside, admitted, entered
    assert result.balances

    other = movement("H2", YEAR_START, YEAR_END)
    assert (other.start, other.ins["transferred_in"], other.end) == (0, 1, 1)


def test_restructuring_moves_members_between_subtrees(world):
    for _ in range(2):
        make_member(world.branch_a)
    tree.move_node(world.commune, new_parent=world.other_district, on=D(2025, 9, 1))

    district = movement("H1", YEAR_START, YEAR_END)
    assert (district.start, district.outs["restructured_out"], district.end) == (2, 2, 0)
    assert district.balances
    other = movement("H2", YEAR_START, YEAR_END)
    assert (other.start, other.ins["restructured_in"], other.end) == (0, 2, 2)
    assert other.balances
    # The past year is unchanged by the later move.
    assert movement("H1", D(2023, 12, 31), D(2024, 12, 31)).end == 2


def test_merged_branch_is_internal(world):
    make_member(world.branch_b)
    restructuring.merge_nodes([world.branch_b], into=world.branch_a, on=D(2025, 2, 1))
    result = movement("H1", YEAR_START, YEAR_END)
    assert (result.start, result.end) == (1, 1)
    assert sum(result.ins.values()) == sum(result.outs.values()) == 0


def test_query_count_is_fixed(world, django_assert_num_queries):
    make_member(world.branch_a)
    with django_assert_num_queries(5):
        movement("H1", YEAR_START, YEAR_END)
    commune = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE)
    for _ in range(5):
        branch = make_node(commune, NodeKind.BRANCH)
        make_member(branch)
    with django_assert_num_queries(5):
        movement("H1", YEAR_START, YEAR_END)


def test_a_readmission_is_its_own_line(world):
    """Readmitted members come in on their own line, neither admitted nor transferred: one
    who left the year before, and one who left and came back within the year (who also
    goes out on the "left" line)."""
    make_member(world.branch_a)
    left_before = make_member(world.branch_a)
    left_and_back = make_member(world.branch_b)
    lifecycle.record_exit(left_before, kind=ExitKind.LEFT, on=D(2024, 6, 1), document_number="1")
    lifecycle.record_exit(left_and_back, kind=ExitKind.LEFT, on=D(2025, 2, 1), document_number="2")
    lifecycle.readmit(left_before, branch=world.branch_a, on=D(2025, 5, 1), document_number="3")
    lifecycle.readmit(left_and_back, branch=world.branch_a, on=D(2025, 9, 1), document_number="4")

    result = movement("H1", YEAR_START, YEAR_END)
    assert (result.start, result.end) == (2, 3)
    assert result.ins == {
        "admitted": 0,
        "admitted_earlier": 0,
        "readmitted": 2,
        "transferred_in": 0,
        "restructured_in": 0,
    }
    assert result.outs["left"] == 1
    assert sum(result.outs.values()) == 1
    assert result.balances
