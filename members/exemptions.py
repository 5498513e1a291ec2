"""Exemption from party work holds from an "exempted" event to the next "resumed" one, so
whether a member was exempted on a day is read from their last such event up to it."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from members.enums import EventKind
from members.models import StatusEvent


def exemption_events() -> QuerySet[StatusEvent]:
    return StatusEvent.objects.filter(kind__in=[EventKind.EXEMPTED, EventKind.RESUMED])


def latest_exemption(day: datetime.date, member_ref: str = "member_id") -> Subquery:
    """The kind of the member's last exemption or resumption event up to `day`: the
    member is exempted on `day` when it is "exempted"."""
    return Subquery(
        exemption_events()
        .filter(member_id=OuterRef(member_ref), date__lte=day)
        .order_by("-date", "-id")
        .values("kind")[:1]
    )


def exempted_on(day: datetime.date) -> QuerySet:
    """Ids of the members exempted on `day`, as latest_exemption says, but uncorrelated,
    so the database hashes it once rather than looking up each member's events (the cost
    of latest_exemption over a whole district)."""
    events = exemption_events()
    later = events.filter(member_id=OuterRef("member_id"), date__lte=day).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), id__gt=OuterRef("id"))
    )
    return (
        events.filter(kind=EventKind.EXEMPTED, date__lte=day)
        .exclude(Exists(later))
        .values("member_id")
    )
