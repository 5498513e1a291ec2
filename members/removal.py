"""The removal rule (Charter Art. 8): a member who, in a year and without good reason,
misses party meetings for 3 months or does not pay dues for 3 months is proposed for
removal from the roll. This module lists those members; deciding is `lifecycle.remove`.

Dues come from members.dues, absences from the meeting minutes (branches).
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from branches.meeting_queries import unexcused_absence_months
from members.dues import UNPAID_MONTHS_LIMIT, members_with_unpaid_months
from members.enums import ACTIVE_STATUSES
from members.models import Member

LIMIT_MONTHS = UNPAID_MONTHS_LIMIT


@dataclass(frozen=True)
class RemovalCandidate:
    member: Member
    unpaid_months: int
    absent_months: int


def removal_candidates(members: QuerySet[Member], year: int) -> list[RemovalCandidate]:
    """Members of `members` in the party with 3 or more months of unpaid dues or of
    unexcused absence from branch meetings in `year`. Three queries."""
    members = members.filter(status__in=ACTIVE_STATUSES)
    unpaid = members_with_unpaid_months(members, year)
    absent = {
        pk: months
        for pk, months in unexcused_absence_months(members, year).items()
        if months >= LIMIT_MONTHS
    }
    flagged = members.filter(pk__in=set(unpaid) | set(absent)).select_related("branch")
    return [
        RemovalCandidate(member, unpaid.get(member.pk, 0), absent.get(member.pk, 0))
        for member in flagged.order_by("branch__path", "sort_key")
    ]
