"""partyorg.bulk: plain-row inserts with history, and foreign keys checked once at the end
of a load (the province seed)."""

import datetime
import random

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from branches.enums import BRANCH_KINDS, NodeKind
from branches.models import OrganizationNode
from demo.management.commands.seed_demo import SCALES
from demo.tree import build_tree
from members.models import Membership
from partyorg.bulk import foreign_keys_checked_at_end, insert_rows
from tests.factories import make_member, make_node, make_user

pytestmark = pytest.mark.django_db
D = datetime.date


def test_insert_rows_writes_rows_defaults_and_history(world):
    first, second = make_member(world.branch_a), make_member(world.branch_b)
    user = make_user(world.district, username="importer")
    when = [
        datetime.datetime(2026, 1, 5, 8, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 6, 8, tzinfo=datetime.UTC),
    ]
    ids = insert_rows(
        Membership,
        ("member_id", "branch_id", "start_date", "end_date"),
        [
            (first.pk, world.branch_b.pk, D(2020, 1, 5), D(2020, 6, 1)),
            (second.pk, world.branch_a.pk, D(2020, 1, 6), D(2020, 6, 1)),
        ],
        history=True,
        history_dates=when,
        user=user,
        reason="bulk test",
    )
    rows = {m.pk: m for m in Membership.objects.filter(pk__in=ids)}
    assert [rows[pk].member_id for pk in ids] == [first.pk, second.pk]
    assert rows[ids[0]].kind == "home"  # a field's default
    history = Membership.history.filter(id__in=ids).order_by("history_date")
    assert [(h.id, h.history_type, h.history_date) for h in history] == [
        (ids[0], "+", when[0]),
        (ids[1], "+", when[1]),
    ]
    assert {(h.history_user_id, h.history_change_reason) for h in history} == {
        (user.pk, "bulk test")
    }


def test_history_without_dates_copies_each_row_as_inserted(world):
    """Without dates the history rows are copied from the inserted rows by the database
    (on PostgreSQL): every field, the user, the reason, dated now."""
    first, second = make_member(world.branch_a), make_member(world.branch_b)
    user = make_user(world.district, username="importer")
    before = timezone.now()
    ids = insert_rows(
        Membership,
        ("member_id", "branch_id", "start_date", "end_date"),
        [
            (first.pk, world.branch_b.pk, D(2020, 1, 5), D(2020, 6, 1)),
            (second.pk, world.branch_a.pk, D(2020, 1, 6), D(2020, 6, 1)),
        ],
        history=True,
        user=user,
        reason="bulk test",
    )
    fields = ["id", "member_id", "branch_id", "start_date", "end_date", "kind"]
    stored = list(Membership.objects.filter(pk__in=ids).order_by("pk").values_list(*fields))
    history = Membership.history.filter(id__in=ids).order_by("id")
    assert list(history.values_list(*fields)) == stored
    assert {(h.history_type, h.history_user_id, h.history_change_reason) for h in history} == {
        ("+", user.pk, "bulk test")
    }
    assert all(h.history_date >= before for h in history)


def test_insert_rows_of_nothing_writes_nothing(world):
    assert insert_rows(Membership, ("member_id",), []) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="drops keys on PostgreSQL only")
def test_foreign_keys_are_back_and_checked_when_the_load_ends(world):
    member = make_member(world.branch_a)

    def keys():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'members_membership'::regclass AND contype = 'f' ORDER BY 1"
            )
            return cursor.fetchall()

    before = keys()
    with transaction.atomic(), foreign_keys_checked_at_end([Membership]):
        assert keys() == []
        insert_rows(
            Membership,
            ("member_id", "branch_id", "start_date", "end_date"),
            [(member.pk, world.branch_b.pk, D(2020, 2, 1), D(2020, 3, 1))],
        )
    assert keys() == before
    wrong = [(member.pk + 10_000, world.branch_b.pk, D(2020, 2, 1), D(2020, 3, 1))]
    columns = ("member_id", "branch_id", "start_date", "end_date")
    with pytest.raises(IntegrityError), transaction.atomic():  # noqa: SIM117
        with foreign_keys_checked_at_end([Membership]):
            insert_rows(Membership, columns, wrong)
    assert keys() == before
    assert not Membership.objects.filter(member_id=member.pk + 10_000).exists()


@pytest.mark.parametrize(
    ("scale", "grassroots", "branches"),
    # The sizes the issue asks, and the island district (3 communes, 3 to 12 branches).
    [("district", (53, 53), (283, 342)), ("province", (858, 948), (7503, 8612))],
)
def test_scale_trees_have_the_sizes_the_issue_asks(scale, grassroots, branches):
    nodes, _ = build_tree(random.Random(1), SCALES[scale].tree, D(2015, 1, 1))
    assert branches[0] <= len(nodes) <= branches[1]
    assert all(node.kind in BRANCH_KINDS for node in nodes)
    count = OrganizationNode.objects.filter(depth=3).count()
    assert grassroots[0] <= count <= grassroots[1]
    assert OrganizationNode.objects.filter(kind=NodeKind.PROVINCE_COMMITTEE).count() == 1
    island = OrganizationNode.objects.filter(kind=NodeKind.DISTRICT_COMMITTEE).last()
    assert island.name == "Đảng bộ huyện đảo Lý Sơn"


def test_tree_built_in_bulk_is_a_valid_treebeard_tree():
    build_tree(random.Random(2), SCALES["demo"].tree, D(2015, 1, 1))
    province = OrganizationNode.objects.get(code="TU")
    assert OrganizationNode.objects.find_problems() == ([], [], [], [], [])
    district = OrganizationNode.objects.get_children(province).first()
    assert district.residential_areas.count() == 0
    assert OrganizationNode.objects.get_children_count(district) == district.numchild


def test_make_node_still_works_after_a_bulk_tree():
    build_tree(random.Random(3), SCALES["demo"].tree, D(2015, 1, 1))
    district = OrganizationNode.objects.get(code="H01")
    added = make_node(district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ mới")
    assert added.path.startswith(district.path)
