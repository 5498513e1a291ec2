"""The member counts kept per branch (BranchMemberCount, written by the database's
triggers in the statement that writes the members), recounted from the members: what
`manage.py check_totals` compares, and what it writes back with --rebuild."""

from django.db import connection, transaction
from django.db.models import Case, Count, When
from django.utils import timezone

from members.models import BranchMemberCount, Member
from members.queries import official_on

# (branch id, status, gender, official) → members
Counts = dict[tuple[int, str, str, bool], int]


def kept() -> Counts:
    rows = BranchMemberCount.objects.filter(members__gt=0).values_list(
        "branch_id", "status", "gender", "official", "members"
    )
    return {tuple(row[:4]): row[4] for row in rows}


def recounted() -> Counts:
    """The counts from the members themselves, official as on every page: by the member's
    official date, today."""
    official = Case(When(official_on(timezone.localdate()), then=True), default=False)
    rows = (
        Member.objects.order_by()
        .annotate(official=official)
        .values_list("branch_id", "status", "gender", "official")
        .annotate(members=Count("id"))
    )
    return {tuple(row[:4]): row[4] for row in rows}


def differences() -> list[tuple[tuple, int, int]]:
    """Each key whose kept count is not its recount: (key, kept, recounted). Both are read
    from one snapshot, so members written meanwhile make no difference."""
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        kept_counts, counts = kept(), recounted()
    return [
        (key, kept_counts.get(key, 0), counts.get(key, 0))
        for key in sorted(kept_counts.keys() | counts.keys())
        if kept_counts.get(key, 0) != counts.get(key, 0)
    ]


@transaction.atomic
def rebuild() -> int:
    """Write the counts again from the members (after a restore without the triggers, or a
    difference found); members cannot change meanwhile. Returns the rows written."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE members_member IN SHARE MODE")
    BranchMemberCount.objects.all().delete()
    rows = BranchMemberCount.objects.bulk_create(
        BranchMemberCount(
            branch_id=branch, status=status, gender=gender, official=official, members=members
        )
        for (branch, status, gender, official), members in recounted().items()
    )
    return len(rows)
