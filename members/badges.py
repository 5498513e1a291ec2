"""Party badges (Huy hiệu Đảng): who reaches 30, 40, 45 … 90 years of party age on an award
day (3/2, 19/5, 2/9, 7/11), who may get one early for serious illness, and the awards.

Early award: up to 12 months early for 30–65 years, 24 months for 70–90 years. Illness is
not recorded in the member's record, so the early list names those inside the window and
the officer ticks the members whose illness the branch has confirmed.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from members.enums import (
    ACTIVE_STATUSES,
    BADGE_AWARD_DAYS,
    BADGE_YEARS,
    LEAVING_EVENTS,
    RETURNING_EVENTS,
)
from members.models import BadgeAward, Member, StatusEvent
from members.party_age import PartyAge, party_age

EARLY_MONTHS_UP_TO_65 = 12
EARLY_MONTHS_FROM_70 = 24


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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


def _may_reach_a_new_badge(award_date: datetime.date) -> Q:
    """Members who, counting no gap, reach by `award_date` (or inside the early window) a
    milestone above the badges they hold. Gaps only shorten party age, so everyone the
    exact count in Python finds is kept; most of a province's long-standing members
    already hold their last badge and are left in the database."""
    reaches = Q()
    for years in BADGE_YEARS:
        # A few days' slack for month ends: this only narrows what Python checks.
        latest = add_months(award_date, early_months(years) - years * 12)
        latest += datetime.timedelta(days=3)
        reaches |= Q(admission_decision_date__lte=latest, held_badge__lt=years)
    return reaches


def _candidate_members(members: QuerySet[Member], award_date: datetime.date):
    held = BadgeAward.objects.filter(member=OuterRef("pk")).order_by("-years").values("years")
    return (
        members.filter(status__in=ACTIVE_STATUSES)
        .alias(held_badge=Coalesce(Subquery(held[:1]), 0))
        .filter(_may_reach_a_new_badge(award_date))
        .select_related("branch")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=StatusEvent.objects.filter(
                    kind__in=LEAVING_EVENTS | RETURNING_EVENTS
                ).only("member_id", "kind", "date"),
                to_attr="gap_events",
            ),
            Prefetch("badges", queryset=BadgeAward.objects.only("member_id", "years")),
        )
    )


def _candidate(member: Member, award_date: datetime.date) -> BadgeCandidate | None:
    awarded = max((b.years for b in member.badges.all()), default=0)
    age = party_age(member.admission_decision_date, member.gap_events, award_date)
    reached = [y for y in BADGE_YEARS if y <= age.years and y > awarded]
    if reached:
        return BadgeCandidate(member, reached[-1], age, early=False)
    for years in BADGE_YEARS:
        if years <= max(awarded, age.years):
            continue
        later = party_age(
            member.admission_decision_date,
            member.gap_events,
            add_months(award_date, early_months(years)),
        )
        if later.years >= years:
            return BadgeCandidate(member, years, age, early=True)
        break
    return None


def badge_list(
    members: QuerySet[Member], award_date: datetime.date
) -> tuple[list[BadgeCandidate], list[BadgeCandidate]]:
    """For an award day: members due a badge (the highest milestone reached and not yet
    awarded), and members who could receive the next one early for serious illness.
    Three queries whatever the number of members."""
    due, early = [], []
    for member in _candidate_members(members, award_date):
        candidate = _candidate(member, award_date)
        if candidate is not None:
            (early if candidate.early else due).append(candidate)
    key = lambda c: (-c.years, c.member.branch.path, c.member.sort_key)  # noqa: E731
    return sorted(due, key=key), sorted(early, key=key)


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
    chosen = {}
    for member in _candidate_members(members.filter(pk__in=wanted), award_date):
        candidate = _candidate(member, award_date)
        if candidate is not None:
            chosen[member.pk] = candidate
    problems = []
    for pk in wanted:
        candidate = chosen.get(pk)
        if candidate is None or candidate.early != (pk in early_ids):
            problems.append(_("Member %(id)s is not on this award day's list.") % {"id": pk})
    if problems:
        raise ValidationError(problems)
    awards = [
        BadgeAward(
            member=c.member,
            years=c.years,
            award_date=award_date,
            decision_number=decision_number.strip(),
            early=c.early,
            recorded_by=by,
        )
        for c in chosen.values()
    ]
    return bulk_create_with_history(awards, BadgeAward, default_user=by)
