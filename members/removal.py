"""The removal rule (Charter Art. 8): a member who, in a year and without good reason,
misses party meetings for 3 months or does not pay dues for 3 months is proposed for
removal from the roll. This module lists those members; deciding is `lifecycle.remove`.

The dues half comes from members.dues. The attendance half comes from the meetings
feature through a hook, so this module does not depend on it:

    absence_months(members: QuerySet[Member], year: int) -> Mapping[int, int]

returns, for members of `members`, member id → number of months of `year` with an
unexcused absence (members with none may be left out). Pass it as the `absence_months`
argument, or name it once in settings:

    PARTYORG["ABSENCE_MONTHS_COUNTER"] = "branches.attendance.absence_months"

Without either, only dues are checked and the page says attendance is not counted.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from members.dues import UNPAID_MONTHS_LIMIT, members_with_unpaid_months
from members.enums import ACTIVE_STATUSES
from members.models import Member

AbsenceCounter = Callable[[QuerySet[Member], int], Mapping[int, int]]
LIMIT_MONTHS = UNPAID_MONTHS_LIMIT


def configured_absence_counter() -> AbsenceCounter | None:
    path = settings.PARTYORG.get("ABSENCE_MONTHS_COUNTER")
    return import_string(path) if path else None


@dataclass(frozen=True)
class RemovalCandidate:
    member: Member
    unpaid_months: int
    absent_months: int | None


def removal_candidates(
    members: QuerySet[Member], year: int, *, absence_months: AbsenceCounter | None = None
) -> tuple[list[RemovalCandidate], bool]:
    """Members of `members` in the party with 3 or more months of unpaid dues or of
    unexcused absence in `year`; and whether attendance was counted at all.
    Two queries plus the attendance hook's own."""
    members = members.filter(status__in=ACTIVE_STATUSES)
    counter = absence_months or configured_absence_counter()
    unpaid = members_with_unpaid_months(members, year)
    absent = {}
    if counter is not None:
        absent = {pk: n for pk, n in counter(members, year).items() if n >= LIMIT_MONTHS}
    flagged = members.filter(pk__in=set(unpaid) | set(absent)).select_related("branch")
    candidates = [
        RemovalCandidate(
            member,
            unpaid.get(member.pk, 0),
            absent.get(member.pk, 0) if counter is not None else None,
        )
        for member in flagged.order_by("branch__path", "sort_key")
    ]
    return candidates, counter is not None
