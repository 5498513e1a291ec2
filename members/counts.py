"""The member counts kept per branch (BranchMemberCount, written by the database's
triggers in the statement that writes the members), recounted from the members: one of
the totals `manage.py check_totals` compares and rebuilds."""

from django.db.models import Case, Count, When
from django.utils import timezone

from members.models import BranchMemberCount, Member
from members.queries import official_on
from partyorg.kept_totals import KeptTotals

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


def _rows(counts: Counts):
    for (branch, status, gender, official), members in counts.items():
        yield BranchMemberCount(
            branch_id=branch, status=status, gender=gender, official=official, members=members
        )


MEMBER_TOTALS = KeptTotals(
    name="member totals",
    model=BranchMemberCount,
    sources=(Member,),
    kept=kept,
    recounted=recounted,
    rows=_rows,
)
