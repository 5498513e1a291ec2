"""Branch meetings: who is on the roll, and every change to minutes and attendance.

Each state change runs in one transaction and writes its history records with the same
timestamp, so a version of the minutes and the attendance of that version line up.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from branches.models import OrganizationNode
from branchwork.enums import AttendanceStatus, MeetingKind, MeetingStatus
from branchwork.models import Attendance, Meeting, MeetingGuest
from members.enums import EventKind, MembershipKind, MemberStatus
from members.exemptions import exemption_events
from members.models import Member, Membership
from partyorg.bulk import insert_with_history
from partyorg.dated import covers
from partyorg.locking import Stale, check_version, last_change
from partyorg.rules import RuleKind, rule_in_force

# The sections of the minutes' content, in the order they are written and printed; their
# labels are the fields' names (templatetags/minutes.py).
MINUTES_SECTIONS = (
    "news_and_policy",
    "last_month_review",
    "next_month_tasks",
    "assignments",
    "criticism",
    "conclusion",
)
MEETING_FIELDS = [
    "date",
    "start_time",
    "end_time",
    "kind",
    "with_thematic_part",
    "topic",
    "chair",
    "minute_taker",
    "dues_collected",
    *MINUTES_SECTIONS,
]


@dataclasses.dataclass
class RollEntry:
    """A member of the branch on a meeting date."""

    member: Member
    exempted: bool
    probationary: bool
    temporary: bool


@dataclasses.dataclass
class GuestEntry:
    name: str
    title: str = ""
    user_id: int | None = None
    member_id: int | None = None


class AlreadyReceived(Exception):
    """A save sent again, after the one with the same entry key was applied to the
    minutes `meeting_id`: nothing more is written."""

    def __init__(self, meeting_id: int):
        self.meeting_id = meeting_id
        super().__init__(meeting_id)


def received(entry_key, **where) -> int | None:
    """The id of the minutes a save with `entry_key` was applied to (narrowed by
    `where`, e.g. branch_id), or None. The history keeps every version's key, so a late
    resend is recognised even after the minutes were saved again."""
    if entry_key is None:
        return None
    return Meeting.history.filter(entry_key=entry_key, **where).values_list("id", flat=True).first()


def _refuse_if_received(entry_key, **where) -> None:
    """AlreadyReceived when a save with `entry_key` was applied (received)."""
    done = received(entry_key, **where)
    if done is not None:
        raise AlreadyReceived(done)


def branch_roll(branch: OrganizationNode, on: datetime.date) -> list[RollEntry]:
    """Members of `branch` on date `on`, in Vietnamese name order (branch_rolls)."""
    return branch_rolls([(branch, on)])[branch.pk, on]


def branch_rolls(
    meetings: list[tuple[OrganizationNode, datetime.date]],
) -> dict[tuple[int, datetime.date], list[RollEntry]]:
    """The roll of each (branch, day), keyed by (branch id, day), in Vietnamese name
    order, in three queries whatever their number (the members who ever belonged to the
    branches, their memberships, their exemption events).

    Home members of the branch, except those temporarily attached elsewhere that day,
    plus members temporarily attached to the branch. A member is exempted when the last
    exemption event on or before the day is "exempted" (or, with no such event at all,
    when the current status is exempted).
    """
    branch_ids = {branch.pk for branch, _day in meetings}
    ever = Membership.objects.filter(branch__in=branch_ids).values("member_id")
    members = {m.pk: m for m in Member.objects.filter(pk__in=ever)}
    spans: dict[int, list[tuple]] = {}
    ever_in: dict[int, set[int]] = {}  # branch id -> ids of the members who ever belonged
    for row in Membership.objects.filter(member__in=ever).values_list(
        "member_id", "branch_id", "kind", "start_date", "end_date"
    ):
        spans.setdefault(row[0], []).append(row[1:])
        ever_in.setdefault(row[1], set()).add(row[0])
    events: dict[int, list[tuple]] = {}
    for member_id, day, kind in (
        exemption_events()
        .filter(member__in=ever)
        .order_by("date", "id")
        .values_list("member_id", "date", "kind")
    ):
        events.setdefault(member_id, []).append((day, kind))
    rolls = {}
    for branch, on in meetings:
        roll = []
        for member_id in ever_in.get(branch.pk, ()):
            rows = spans[member_id]
            current = [(b, kind) for b, kind, start, end in rows if covers(start, end, on)]
            temporary = (branch.pk, MembershipKind.TEMPORARY) in current
            away = any(b != branch.pk and kind == MembershipKind.TEMPORARY for b, kind in current)
            if not temporary and ((branch.pk, MembershipKind.HOME) not in current or away):
                continue
            member = members[member_id]
            if member_id in events:
                before = [kind for day, kind in events[member_id] if day <= on]
                exempted = bool(before) and before[-1] == EventKind.EXEMPTED
            else:
                exempted = member.status == MemberStatus.EXEMPTED
            roll.append(
                RollEntry(
                    member=member,
                    exempted=exempted,
                    probationary=member.official_date is None or member.official_date > on,
                    temporary=temporary,
                )
            )
        roll.sort(key=lambda e: (e.member.sort_key, e.member.member_number))
        rolls[branch.pk, on] = roll
    return rolls


def duration_warning(meeting: Meeting) -> str | None:
    """A warning (not an error) when the meeting was shorter than the guideline of its date."""
    rule = rule_in_force(RuleKind.MEETINGS, meeting.date)
    if rule.minimum_minutes is None or meeting.duration_minutes <= 0:
        return None
    minimum = rule.minimum_with_thematic if meeting.is_thematic else rule.minimum_minutes
    if meeting.duration_minutes >= minimum:
        return None
    return _(
        "The meeting lasted %(minutes)d minutes; %(regulation)s asks for at least "
        "%(minimum)d minutes."
    ) % {
        "minutes": meeting.duration_minutes,
        "regulation": rule.regulation.number,
        "minimum": minimum,
    }


def date_error(branch: OrganizationNode, day: datetime.date) -> str | None:
    """Why `branch` can have no minutes of `day`, or None: the day is to come, or the
    branch did not exist on it."""
    if day > timezone.localdate():
        return _("Minutes can only be entered for a meeting that has taken place.")
    if day < branch.established_on:
        return _("The branch did not exist yet on this date.")
    if branch.dissolved_on and day >= branch.dissolved_on:
        return _("The branch had been dissolved by this date.")
    return None


def _check_meeting(meeting: Meeting, roll_ids: set[int]) -> None:
    errors = {}
    if meeting.start_time and meeting.end_time and meeting.end_time <= meeting.start_time:
        errors["end_time"] = _("The meeting must end after it starts.")
    message = date_error(meeting.branch, meeting.date)
    if message:
        errors["date"] = message
    for field in ("chair", "minute_taker"):
        person = getattr(meeting, f"{field}_id")
        if person is not None and person not in roll_ids:
            errors[field] = _("This person is not a member of the branch on the meeting date.")
    if meeting.kind == MeetingKind.REGULAR:
        message = _regular_month_taken(meeting)
        if message:
            errors["kind"] = message
    if errors:
        raise ValidationError(errors)


def _regular_month_taken(meeting: Meeting) -> str | None:
    """The message when the branch has other regular minutes in the meeting's month,
    naming who saved them last and when."""
    other = (
        Meeting.objects.filter(branch=meeting.branch, month=meeting.month, kind=MeetingKind.REGULAR)
        .exclude(pk=meeting.pk)
        .first()
    )
    if other is None:
        return None
    change = last_change(other)
    return _(
        "The branch already has a regular meeting in %(month)s: its minutes were recorded "
        "by %(name)s at %(time)s."
    ) % {"month": meeting.date.strftime("%m/%Y"), "name": change.who, "time": change.at}


def _check_attendance(
    attendance: dict[int, tuple[str, str]], roll: list[RollEntry], on: datetime.date
) -> None:
    roll_by_id = {entry.member.pk: entry for entry in roll}
    strangers = sorted(set(attendance) - set(roll_by_id))
    if strangers:
        raise ValidationError(
            {
                "attendance": _(
                    "%(count)d person in the attendance list is not a member of the branch "
                    "on %(date)s."
                )
                % {"count": len(strangers), "date": on.strftime("%d/%m/%Y")}
            }
        )
    missing = [e.member.full_name for e in roll if e.member.pk not in attendance]
    if missing:
        message = _("Attendance is missing for: %(names)s.") % {"names": ", ".join(missing)}
        raise ValidationError({"attendance": message})
    errors = []
    for member_id, (status, reason) in attendance.items():
        entry = roll_by_id[member_id]
        if status not in AttendanceStatus.values:
            errors.append(_("%(name)s: unknown attendance.") % {"name": entry.member.full_name})
        elif status == AttendanceStatus.EXCUSED and not reason.strip() and not entry.exempted:
            errors.append(
                _("%(name)s: give the reason for the absence.") % {"name": entry.member.full_name}
            )
    if errors:
        raise ValidationError({"attendance": errors})


def _set_fields(meeting: Meeting, data: dict) -> None:
    for field in MEETING_FIELDS:
        if field in data:
            setattr(meeting, field, data[field])
    meeting.month = meeting.date.replace(day=1)
    if meeting.kind != MeetingKind.REGULAR:
        meeting.with_thematic_part = False


def _save_meeting(meeting: Meeting, *, by, now, reason: str | None) -> None:
    """Save the Meeting row. Two people saving regular minutes of the same month at once
    both pass the check; the unique constraint stops the second, which then gets the
    check's message (naming the first) instead of an error page. The same save sent
    twice at once is stopped by the entry key's constraint: the second is told it was
    received (AlreadyReceived)."""
    meeting._history_user = by
    meeting._history_date = now
    if reason:
        meeting._change_reason = reason
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        _refuse_if_received(meeting.entry_key, branch_id=meeting.branch_id)
        message = _regular_month_taken(meeting) if meeting.kind == MeetingKind.REGULAR else None
        if message is None:
            raise
        raise ValidationError({"kind": message}) from None


def _save_guests(meeting: Meeting, guests: list[GuestEntry], *, by, now, reason=None) -> None:
    rows = [
        MeetingGuest(
            meeting=meeting,
            name=g.name,
            title=g.title,
            user_id=g.user_id,
            member_id=g.member_id,
        )
        for g in guests
    ]
    if rows:
        bulk_create_with_history(
            rows, MeetingGuest, default_user=by, default_date=now, default_change_reason=reason
        )


@transaction.atomic
def record_meeting(
    *,
    branch: OrganizationNode,
    data: dict,
    attendance: dict[int, tuple[str, str]],
    roll: list[RollEntry] | None = None,
    guests: list[GuestEntry] = (),
    entry_key=None,
    by=None,
) -> Meeting:
    """Record the minutes of a meeting of `branch` as a draft, with its attendance.

    `data` holds the meeting fields (MEETING_FIELDS); `attendance` maps every member on
    the roll of the meeting date to (status, reason); `roll` may be passed when the caller
    already drew it for data["date"]. `entry_key`, drawn by the form for this entry,
    makes sending it again harmless: AlreadyReceived names the minutes it made.

    Effects: a draft Meeting with its attendance totals; one Attendance row per member
    on the roll, with the exempted, probationary and temporary facts of that date; the
    guests; a history record for each, all stamped with the same time and user.
    """
    if not branch.is_branch:
        raise ValidationError({"branch": _("Only a branch holds meetings.")})
    _refuse_if_received(entry_key, branch_id=branch.pk)
    meeting = Meeting(branch=branch, entry_key=entry_key)
    _set_fields(meeting, data)
    if roll is None:
        roll = branch_roll(branch, meeting.date)
    try:
        _check_meeting(meeting, {e.member.pk for e in roll})
    except ValidationError:
        # The same entry sent twice at once: its twin may have been saved since the
        # check above, and taken the month.
        _refuse_if_received(entry_key, branch_id=branch.pk)
        raise
    _check_attendance(attendance, roll, meeting.date)
    meeting.count_attendance((attendance[e.member.pk][0], e.exempted) for e in roll)
    now = timezone.now()
    _save_meeting(meeting, by=by, now=now, reason=None)
    bulk_create_with_history(
        [
            Attendance(
                meeting=meeting,
                member=entry.member,
                status=attendance[entry.member.pk][0],
                reason=_reason(*attendance[entry.member.pk]),
                exempted=entry.exempted,
                probationary=entry.probationary,
                temporary=entry.temporary,
            )
            for entry in roll
        ],
        Attendance,
        default_user=by,
        default_date=now,
    )
    _save_guests(meeting, list(guests), by=by, now=now)
    return meeting


@dataclasses.dataclass
class PastMeeting:
    """A past meeting brought in with its attendance: what record_meeting takes."""

    branch: OrganizationNode
    data: dict
    attendance: dict[int, tuple[str, str]]
    roll: list[RollEntry]


def check_past_meetings(meetings: list[PastMeeting]) -> dict[int, ValidationError]:
    """What record_meeting would refuse of each meeting, by its index: its date, a
    second regular meeting of the branch's month (stored, or among `meetings`), its
    attendance against its roll. One query (the regular meetings stored in those months)."""
    regular = [m for m in meetings if m.data["kind"] == MeetingKind.REGULAR]
    stored = set(
        Meeting.objects.filter(
            kind=MeetingKind.REGULAR,
            branch__in={m.branch.pk for m in regular},
            month__in={m.data["date"].replace(day=1) for m in regular},
        ).values_list("branch_id", "month")
    )
    seen = set()
    problems = {}
    for index, past in enumerate(meetings):
        day, errors = past.data["date"], {}
        message = date_error(past.branch, day)
        if message:
            errors["date"] = message
        if past.data["kind"] == MeetingKind.REGULAR:
            month = (past.branch.pk, day.replace(day=1))
            if month in stored:
                meeting = Meeting(branch=past.branch, month=month[1], date=day)
                errors["kind"] = _regular_month_taken(meeting)
            elif month in seen:
                errors["kind"] = _(
                    "The branch already has a regular meeting in %(month)s, on an earlier row."
                ) % {"month": day.strftime("%m/%Y")}
            seen.add(month)
        try:
            if errors:
                raise ValidationError(errors)
            _check_attendance(past.attendance, past.roll, day)
        except ValidationError as error:
            problems[index] = error
    return problems


@transaction.atomic
def record_past_meetings(meetings: list[PastMeeting], *, by, reason: str) -> None:
    """record_meeting then finalize_meeting for many past meetings at once (an import of
    a minutes book), after check_past_meetings: ValidationError with the first problem.

    Effects: each Meeting, final, with its attendance totals; one Attendance row per
    member on its roll with the facts of that day; one "created" history row each, by
    `by` with `reason`; written through partyorg.bulk (COPY on PostgreSQL).
    """
    problems = check_past_meetings(meetings)
    if problems:
        raise next(iter(problems.values()))
    now = timezone.now()
    rows = []
    for past in meetings:
        meeting = Meeting(
            branch=past.branch, status=MeetingStatus.FINAL, finalized_at=now, finalized_by=by
        )
        _set_fields(meeting, past.data)
        meeting.count_attendance((past.attendance[e.member.pk][0], e.exempted) for e in past.roll)
        rows.append(meeting)
    insert_with_history(Meeting, rows, user=by, reason=reason)
    insert_with_history(
        Attendance,
        [
            Attendance(
                meeting=meeting,
                member=entry.member,
                status=past.attendance[entry.member.pk][0],
                reason=_reason(*past.attendance[entry.member.pk]),
                exempted=entry.exempted,
                probationary=entry.probationary,
                temporary=entry.temporary,
            )
            for meeting, past in zip(rows, meetings, strict=True)
            for entry in past.roll
        ],
        user=by,
        reason=reason,
    )


@dataclasses.dataclass
class HeaderCounts:
    """The counts a minutes book's header gives: the branch's official and probationary
    members, those exempted from party work who did not attend (counted among the absent
    with a reason, exemption being theirs), present, absent with and without a reason."""

    official: int
    probationary: int
    exempted: int
    present: int
    excused: int
    unexcused: int

    def errors(self) -> dict[str, str]:
        """What does not add up, by count."""
        errors = {}
        if self.present + self.excused + self.unexcused > self.official + self.probationary:
            errors["present"] = _(
                "Present and absent (%(attended)d) are more than the members (%(members)d)."
            ) % {
                "attended": self.present + self.excused + self.unexcused,
                "members": self.official + self.probationary,
            }
        if self.exempted > self.excused:
            errors["exempted"] = _(
                "Exempted members who did not attend are among the absent with a reason: "
                "%(exempted)d is more than %(excused)d."
            ) % {"exempted": self.exempted, "excused": self.excused}
        return errors

    def rows(self):
        """One (status, exempted) pair per member on the roll, as the form's rows would be."""
        yield from [(AttendanceStatus.PRESENT, False)] * self.present
        yield from [(AttendanceStatus.EXCUSED, True)] * self.exempted
        yield from [(AttendanceStatus.EXCUSED, False)] * (self.excused - self.exempted)
        yield from [(AttendanceStatus.UNEXCUSED, False)] * self.unexcused


@transaction.atomic
def record_meeting_totals(
    *, branch: OrganizationNode, data: dict, counts: HeaderCounts, by=None
) -> Meeting:
    """Record the finalized minutes of a past meeting of `branch` from its minutes book's
    header alone, without an attendance roll (an office bringing in its history).

    `data` holds meeting fields (MEETING_FIELDS: at least date and kind). The meeting is
    checked as record_meeting checks it and its counts must add up.

    Effects: a final Meeting holding the header counts and the attendance totals counted
    from them as the form counts its rows (Meeting.count_attendance), so reports read it
    like any other; a history record.
    """
    if not branch.is_branch:
        raise ValidationError({"branch": _("Only a branch holds meetings.")})
    meeting = Meeting(branch=branch)
    _set_fields(meeting, data)
    _check_meeting(meeting, set())
    errors = counts.errors()
    if errors:
        raise ValidationError(errors)
    meeting.official_count = counts.official
    meeting.probationary_count = counts.probationary
    meeting.exempted_count = counts.exempted
    meeting.count_attendance(counts.rows())
    now = timezone.now()
    meeting.status = MeetingStatus.FINAL
    meeting.finalized_at = now
    meeting.finalized_by = by
    _save_meeting(meeting, by=by, now=now, reason=None)
    return meeting


def _reason(status: str, reason: str) -> str:
    return reason.strip() if status != AttendanceStatus.PRESENT else ""


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    data: dict,
    attendance: dict[int, tuple[str, str]],
    rows: list[Attendance],
    guests: list[GuestEntry] | None = None,
    reason: str = "",
    version: int | None = None,
    entry_key=None,
    by=None,
) -> Meeting:
    """Change the minutes and attendance of `meeting`.

    `rows` are the meeting's Attendance rows (the roll was fixed when the minutes were
    first recorded); `attendance` maps each row's member to (status, reason); `guests`,
    when given, replaces the guest list. A finalized meeting needs a `reason`. `version`,
    the one the form was opened on, refuses the change (partyorg.locking.Stale) when
    someone saved the minutes since; finalizing them counts. `entry_key`, drawn by the
    form for this save, is kept with the version it writes: the same save sent again
    finds the version moved on by itself and raises AlreadyReceived instead.

    Effects: the Meeting row (its version raised, its attendance totals counted again,
    except for minutes brought in as totals)
    and a history record carrying the reason; the Attendance rows that changed and a
    history record each; when the guests changed, the old guest rows are deleted and the
    new ones created, each with a history record.
    """
    if version is None:
        # check_version locks the minutes otherwise; the totals below need the lock.
        list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk"))
    try:
        check_version(meeting, version)
    except Stale:
        # Read after the row's lock was released: a resend waiting on its first sending
        # sees that one's key.
        if received(entry_key, id=meeting.pk) is not None:
            raise AlreadyReceived(meeting.pk) from None
        raise
    meeting.entry_key = entry_key
    reason = reason.strip()
    if meeting.is_final and not reason:
        raise ValidationError(
            {"change_reason": _("Say why the finalized minutes are being changed.")}
        )
    _set_fields(meeting, data)
    roll = [RollEntry(row.member, row.exempted, row.probationary, row.temporary) for row in rows]
    _check_meeting(meeting, {row.member_id for row in rows})
    _check_attendance(attendance, roll, meeting.date)
    now = timezone.now()
    changed = []
    for row in rows:
        status, text = attendance[row.member_id]
        text = _reason(status, text)
        if (row.status, row.reason) != (status, text):
            row.status, row.reason = status, text
            changed.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            Attendance,
            ["status", "reason"],
            default_user=by,
            default_date=now,
            default_change_reason=reason or None,
        )
    # Counted from the rows as they now stand: `rows` may have been read before another
    # save of these minutes, which the lock above has waited for. Minutes brought in as
    # totals have no rows: their counts stay as recorded.
    if meeting.official_count is None:
        meeting.count_attendance(meeting.attendances.values_list("status", "exempted"))
    _save_meeting(meeting, by=by, now=now, reason=reason or None)
    if guests is not None:
        old = list(meeting.guests.all())
        key = [(g.name, g.title, g.user_id, g.member_id) for g in old]
        if key != [(g.name, g.title, g.user_id, g.member_id) for g in guests]:
            for guest in old:
                guest._history_user = by
                guest._history_date = now
                guest._change_reason = reason or None
                guest.delete()
            _save_guests(meeting, guests, by=by, now=now, reason=reason or None)
    return meeting


@transaction.atomic
def finalize_meeting(meeting: Meeting, *, by=None) -> Meeting:
    """Mark the minutes as read back and signed.

    Effects: status final, finalized_at and finalized_by set; a history record. From
    then on update_meeting needs a reason.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_final:
        raise ValidationError(_("These minutes are already finalized."))
    meeting.status = MeetingStatus.FINAL
    meeting.finalized_at = timezone.now()
    meeting.finalized_by = by
    meeting._history_user = by
    meeting._change_reason = _("Finalized")
    meeting.save(update_fields=["status", "finalized_at", "finalized_by"])
    return meeting
