"""A member's own page: what the party record says of them, read from the same rules
as the office pages, and nothing of anyone else."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from branchwork.badges import NextBadge, next_badge
from branchwork.meeting_queries import shared_notices
from branchwork.models import Attendance, Dues, Meeting, MeetingNotice
from branchwork.months import month_end, month_start
from members.models import Member
from members.party_age import PartyAge, party_age

MONTHS_SHOWN = 12


@dataclass
class DuesMonth:
    first: datetime.date
    record: Dues | None

    @property
    def owed(self) -> int:
        """What the month still asks: its dues when entered as unpaid without reason."""
        record = self.record
        return record.amount_due if record and not record.paid_on and not record.excused else 0


@dataclass
class MeetingLine:
    meeting: Meeting
    attendance: Attendance | None


@dataclass
class OwnRecord:
    member: Member
    events: list
    memberships: list
    party_age: PartyAge
    next_badge: NextBadge | None
    badges: list
    dues: list[DuesMonth]
    evaluations: list
    meetings: list[MeetingLine]
    notices: list[MeetingNotice]  # each file marked `opened` when the member opened it

    @property
    def owed(self) -> int:
        return sum(month.owed for month in self.dues)


def last_months(today: datetime.date, count: int) -> list[datetime.date]:
    """First days of the `count` months up to `today`'s, latest first."""
    months, first = [], today.replace(day=1)
    for _month in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months


def own_record(member: Member, today: datetime.date) -> OwnRecord:
    """Everything the member's page shows, in a fixed number of queries."""
    events = list(member.events.select_related("from_branch", "to_branch"))
    months = last_months(today, MONTHS_SHOWN)
    oldest = months[-1]
    dues = {
        (d.year, d.month): d
        for d in member.dues.filter(
            Q(year__gt=oldest.year) | Q(year=oldest.year, month__gte=oldest.month)
        )
    }
    meetings = (
        Meeting.objects.filter(
            Q(branch_id=member.branch_id) | Q(attendances__member=member),
            date__gte=month_start(oldest.year, oldest.month),
            date__lte=month_end(today.year, today.month),
        )
        .select_related("branch")
        .distinct()
        .order_by("-date")
    )
    attended = {a.meeting_id: a for a in member.attendances.filter(meeting__in=meetings)}
    notices = list(shared_notices(member.branch_id, oldest))
    opened = set(
        member.notice_openings.filter(file__notice__in=notices).values_list("file_id", flat=True)
    )
    for notice in notices:
        for file in notice.files.all():
            file.opened = file.pk in opened
    return OwnRecord(
        member=member,
        events=events[::-1],
        memberships=list(member.memberships.select_related("branch").order_by("-start_date")),
        party_age=party_age(member.admission_decision_date, events, today),
        next_badge=next_badge(member, events, today),
        badges=list(member.badges.order_by("years")),
        dues=[DuesMonth(first, dues.get((first.year, first.month))) for first in months],
        evaluations=list(member.evaluations.select_related("branch").order_by("-year")),
        meetings=[MeetingLine(m, attended.get(m.pk)) for m in meetings],
        notices=notices,
    )
