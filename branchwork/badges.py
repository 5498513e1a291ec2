"""Party badges (Huy hiệu Đảng): who reaches 30, 40, 45 … 90 years of party age on an award
day (3/2, 19/5, 2/9, 7/11), who may get one early for serious illness, and the awards.

Early award: up to 12 months early for 30–65 years, 24 months for 70–90 years. Illness is
not recorded in the member's record, so the early list names those inside the window and
the officer ticks the members whose illness the branch has confirmed.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branchwork.enums import BADGE_AWARD_DAYS, BADGE_YEARS
from branchwork.models import BadgeAward
from members.enums import ACTIVE_STATUSES, LEAVING_EVENTS, RETURNING_EVENTS
from members.models import Member, StatusEvent
from members.party_age import PartyAge, party_age
from partyorg.dated import add_months

EARLY_MONTHS_UP_TO_65 = 12
EARLY_MONTHS_FROM_70 = 24


def is_award_day(day: datetime.date) -> bool:
    return (day.day, day.month) in BADGE_AWARD_DAYS


def award_days(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, d) for d, month in BADGE_AWARD_DAYS]


def next_award_day(today: datetime.date) -> datetime.date:
    """The first award day on or after `today`."""
    return next(d for d in award_days(today.year) + award_days(today.year + 1) if d >= today)


def early_months(years: int) -> int:
    return EARLY_MONTHS_UP_TO_65 if years <= 65 else EARLY_MONTHS_FROM_70


@dataclass(frozen=True)
class BadgeCandidate:
    member: Member
    years: int
    party_age: PartyAge
    early: bool


class BadgeRow(NamedTuple):
    """A member on an award day's list, not loaded: a province lists thousands."""

    member_id: int
    years: int
    party_age: PartyAge
    early: bool


class GapEvent(NamedTuple):
    kind: str
    date: datetime.date


def _latest_admission(award_date: datetime.date, years: int) -> datetime.date:
    """The latest admission decision that could, counting no gap, reach `years` by
    `award_date` or inside the early window. A few days' slack for month ends: this only
    narrows what Python checks."""
    latest = add_months(award_date, early_months(years) - years * 12)
    return latest + datetime.timedelta(days=3)


def _candidate_rows(members: QuerySet[Member], award_date: datetime.date):
    """(id, admission decision, a badge held or None) of the active members who may reach
    a milestone above every badge they hold, by organization and name. Gaps only
    shorten party age, so everyone the exact count in Python finds is kept; most of a
    province's long-standing members already hold their last badge and are left in the
    database (an anti-join on one_badge_per_milestone). A member holding several badges
    comes once per badge."""
    reachable = Case(
        *[
            When(admission_decision_date__lte=_latest_admission(award_date, y), then=Value(y))
            for y in reversed(BADGE_YEARS)
        ],
        default=Value(0),
    )
    above = BadgeAward.objects.filter(member=OuterRef("pk"), years__gte=OuterRef("reachable"))
    first_milestone = _latest_admission(award_date, BADGE_YEARS[0])
    return (
        members.filter(status__in=ACTIVE_STATUSES, admission_decision_date__lte=first_milestone)
        .alias(reachable=reachable)
        .exclude(Exists(above))
        .order_by("branch__path", "sort_key", "member_number")
        .values_list("pk", "admission_decision_date", "badges__years")
    )


def _gap_events(members: QuerySet[Member]) -> dict[int, list[GapEvent]]:
    """Leaving and returning events of the active members who ever left the party (the
    only ones whose party age is not the time since their admission decision)."""
    events = StatusEvent.objects.filter(
        kind__in=LEAVING_EVENTS | RETURNING_EVENTS,
        member__in=members.filter(status__in=ACTIVE_STATUSES),
        member_id__in=StatusEvent.objects.filter(kind__in=LEAVING_EVENTS).values("member"),
    )
    found = defaultdict(list)
    for member_id, kind, day in events.values_list("member_id", "kind", "date"):
        found[member_id].append(GapEvent(kind, day))
    return found


def _badge_due(
    decided: datetime.date, held: int, events, award_date: datetime.date
) -> tuple[int, PartyAge, bool] | None:
    """(milestone, party age, early) of a member holding badges up to `held`: the highest
    milestone reached and not yet awarded, or the next one inside the early window."""
    age = party_age(decided, events, award_date)
    reached = [y for y in BADGE_YEARS if y <= age.years and y > held]
    if reached:
        return reached[-1], age, False
    for years in BADGE_YEARS:
        if years <= max(held, age.years):
            continue
        later = party_age(decided, events, add_months(award_date, early_months(years)))
        if later.years >= years:
            return years, age, True
        break
    return None


def badge_rows(
    members: QuerySet[Member], award_date: datetime.date
) -> tuple[list[BadgeRow], list[BadgeRow]]:
    """For an award day: members due a badge (the highest milestone reached and not yet
    awarded), and members who could receive the next one early for serious illness, by
    badge, organization and name. Two queries of plain rows whatever the number of
    members; party age is computed exactly in Python."""
    candidates = {}  # id: (admission decision, highest badge held), by organization and name
    for pk, decided, badge in _candidate_rows(members, award_date):
        held = max(candidates[pk][1], badge or 0) if pk in candidates else badge or 0
        candidates[pk] = (decided, held)
    gaps = _gap_events(members)
    by_dates = {}
    due, early = [], []
    for pk, key in candidates.items():
        if pk in gaps:
            found = _badge_due(*key, gaps[pk], award_date)
        else:  # members admitted on the same day holding the same badge share the result
            if key not in by_dates:
                by_dates[key] = _badge_due(*key, (), award_date)
            found = by_dates[key]
        if found is not None:
            years, age, is_early = found
            (early if is_early else due).append(BadgeRow(pk, years, age, is_early))
    by_badge = lambda row: -row.years  # noqa: E731
    return sorted(due, key=by_badge), sorted(early, key=by_badge)  # stable: then by name


def with_members(rows: list[BadgeRow], members: QuerySet[Member]) -> list[BadgeCandidate]:
    """The rows (one page) with their members, loaded in one query."""
    loaded = members.in_bulk([row.member_id for row in rows])
    return [BadgeCandidate(loaded[r.member_id], r.years, r.party_age, r.early) for r in rows]


def badge_list(
    members: QuerySet[Member], award_date: datetime.date
) -> tuple[list[BadgeCandidate], list[BadgeCandidate]]:
    """badge_rows() with every member loaded: four queries."""
    due, early = badge_rows(members, award_date)
    return with_members(due, members), with_members(early, members)


@transaction.atomic
def award_badges(
    *,
    members: QuerySet[Member],
    award_date: datetime.date,
    member_ids: list[int],
    early_ids: list[int],
    decision_number: str,
    by=None,
) -> list[BadgeAward]:
    """Record the badges of an award day for the chosen members of `members`.

    `member_ids` are members on the due list; `early_ids` members on the early list whose
    serious illness was confirmed. Effects: one BadgeAward each (with history), all or none.
    """
    errors = {}
    if not is_award_day(award_date):
        errors["award_date"] = _("Badges are awarded on 3/2, 19/5, 2/9 and 7/11.")
    if not decision_number.strip():
        errors["decision_number"] = _("Enter the number of the award decision.")
    if not member_ids and not early_ids:
        errors["__all__"] = _("Tick at least one member.")
    if errors:
        raise ValidationError(errors)
    wanted = set(member_ids) | set(early_ids)
    due, early = badge_rows(members.filter(pk__in=wanted), award_date)
    chosen = {row.member_id: row for row in due + early}
    problems = []
    for pk in wanted:
        row = chosen.get(pk)
        if row is None or row.early != (pk in early_ids):
            problems.append(_("Member %(id)s is not on this award day's list.") % {"id": pk})
    if problems:
        raise ValidationError(problems)
    awards = [
        BadgeAward(
            member_id=row.member_id,
            years=row.years,
            award_date=award_date,
            decision_number=decision_number.strip(),
            early=row.early,
            recorded_by=by,
        )
        for row in chosen.values()
    ]
    return bulk_create_with_history(awards, BadgeAward, default_user=by)


class NextBadge(NamedTuple):
    years: int
    award_date: datetime.date


def next_badge(member: Member, events, today: datetime.date) -> NextBadge | None:
    """A member's next badge: on the first award day from `today` on which their party
    age reaches a milestone above the badges they hold (the highest such milestone, as
    on the award day's list). None for members who left and for those holding the last.
    `events` are the member's status events; the badges are read (one query)."""
    if member.status not in ACTIVE_STATUSES:
        return None
    held = max(member.badges.values_list("years", flat=True), default=0)
    ahead = [y for y in BADGE_YEARS if y > held]
    if not ahead:
        return None
    day = next_award_day(today)
    # Party age grows by at most a year a year: the milestone is reached within this many.
    for _round in range(len(BADGE_AWARD_DAYS) * (ahead[0] + 1)):
        age = party_age(member.admission_decision_date, events, day)
        reached = [y for y in ahead if y <= age.years]
        if reached:
            return NextBadge(reached[-1], day)
        day = next_award_day(day + datetime.timedelta(days=1))
    return None
