"""The removal rule (Charter Art. 8): a member who, in a year and without good reason,
misses party meetings for 3 months or does not pay dues for 3 months is proposed for
removal from the roll. This module lists those members; deciding is
`members.lifecycle.record_exit`.

Dues come from branchwork.dues, absences from the meeting minutes (branchwork.meetings).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from branchwork.dues import members_with_unpaid_months
from branchwork.meeting_queries import unexcused_absence_months
from members.enums import ACTIVE_STATUSES
from members.models import Member
from partyorg.rules import removal_rule


@dataclass(frozen=True)
class RemovalCandidate:
    member: Member
    unpaid_months: int
    absent_months: int


class RemovalCandidates(Sequence):
    """Members of `members` in the party with 3 or more months of unpaid dues or of
    unexcused absence from branch meetings in `year`, in branch order. Counted from the
    two tallies (two queries); each slice loads only its own members (one query)."""

    def __init__(self, members: QuerySet[Member], year: int):
        members = members.filter(status__in=ACTIVE_STATUSES)
        self.unpaid = members_with_unpaid_months(members, year)
        self.absent = unexcused_absence_months(members, year, removal_rule(year).months)
        flagged = set(self.unpaid) | set(self.absent)
        self.total = len(flagged)
        self.members = (
            members.filter(pk__in=flagged)
            .select_related("branch")
            .order_by("branch__path", "sort_key", "pk")
        )

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if not self.total:
            return []
        return [
            RemovalCandidate(member, self.unpaid.get(member.pk, 0), self.absent.get(member.pk, 0))
            for member in self.members[index]
        ]

    def __iter__(self):
        return iter(self[:])
