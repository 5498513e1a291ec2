import datetime

from branchwork import meetings as domain
from branchwork.enums import AttendanceStatus, MeetingKind
from members.enums import EventKind, TransferKind
from members.models import StatusEvent
from tests.factories import transfer


def minutes_data(
    roll_members,
    *,
    date,
    kind=MeetingKind.REGULAR,
    start="19:30",
    end="21:15",
    absences=None,
    **extra,
):
    """POST data of the minutes form: everyone present unless listed in `absences`
    ({member: (status, reason)})."""
    absences = absences or {}
    data = {
        "date": date.isoformat(),
        "kind": kind,
        "start_time": start,
        "end_time": end,
        "topic": "",
        "chair": "",
        "minute_taker": "",
        "guest-TOTAL_FORMS": "2",
        "guest-INITIAL_FORMS": "0",
        "guest-MIN_NUM_FORMS": "0",
        "guest-MAX_NUM_FORMS": "1000",
    }
    for member in roll_members:
        status, reason = absences.get(member, (AttendanceStatus.PRESENT, ""))
        data[f"att_{member.pk}"] = status
        data[f"why_{member.pk}"] = reason
    data.update(extra)
    return data


def record(
    branch,
    date,
    *,
    kind=MeetingKind.REGULAR,
    absences=None,
    by=None,
    start=datetime.time(19, 30),
    end=datetime.time(21, 15),
    entry_key=None,
    **fields,
):
    """A meeting through the domain function, everyone present unless in `absences`."""
    roll = domain.branch_roll(branch, date)
    absences = absences or {}
    attendance = {
        e.member.pk: absences.get(
            e.member,
            (AttendanceStatus.EXCUSED, "") if e.exempted else (AttendanceStatus.PRESENT, ""),
        )
        for e in roll
    }
    data = {"date": date, "kind": kind, "start_time": start, "end_time": end, **fields}
    return domain.record_meeting(
        branch=branch, data=data, attendance=attendance, entry_key=entry_key, by=by
    )


def attach_temporarily(member, branch, start):
    """A temporary transfer to `branch` from `start`, for six months, through the letter."""
    return transfer(
        member,
        branch,
        start,
        kind=TransferKind.TEMPORARY,
        planned_until=start + datetime.timedelta(days=180),
    )


def exempt(member, on):
    return StatusEvent.objects.create(member=member, kind=EventKind.EXEMPTED, date=on)
