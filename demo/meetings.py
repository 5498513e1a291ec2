"""Demo meetings: a year of minutes with attendance for every demo branch, bulk-inserted."""

import datetime
import random

from django.utils import timezone

from branches.models import OrganizationNode
from branchwork.enums import AttendanceStatus, MeetingKind, MeetingStatus
from branchwork.models import Attendance, Meeting, MeetingGuest
from members.enums import EventKind, PositionRole
from members.models import Member, Position, StatusEvent
from partyorg.bulk import insert_rows, insert_with_history

REASONS = ["Ốm", "Đi công tác", "Việc gia đình", "Đi làm ăn xa", "Nằm viện", "Đi học"]
NEWS = [
    "Quán triệt Nghị quyết của Đảng ủy về phát triển kinh tế - xã hội; thông tin thời sự "
    "trong nước và quốc tế.",
    "Phổ biến Kế hoạch thu hoạch vụ Hè Thu và phòng chống thiên tai, tìm kiếm cứu nạn.",
    "Thông tin về Đề án sắp xếp đơn vị hành chính cấp xã và tổ chức chính quyền địa phương "
    "hai cấp.",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; chuyên đề năm.",
]
REVIEW = [
    "Chi bộ đã hoàn thành các nhiệm vụ đề ra: thu đảng phí đầy đủ, vận động nhân dân "
    "tham gia làm đường giao thông nông thôn.",
    "Các đảng viên đã hoàn thành nhiệm vụ được phân công; công tác vệ sinh môi trường "
    "được duy trì.",
]
TASKS = [
    "Tiếp tục vận động nhân dân tham gia xây dựng nông thôn mới; chuẩn bị đại hội chi bộ.",
    "Tổ chức ra quân vệ sinh môi trường; rà soát hộ nghèo, cận nghèo.",
    "Vận động đoàn viên thanh niên ưu tú tham gia lớp bồi dưỡng nhận thức về Đảng.",
]
THEMES = [
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Phát huy vai trò nêu gương của đảng viên",
    "Xây dựng khu dân cư văn hóa",
    "Công tác phát triển đảng viên trong thanh niên",
]
GUEST_TITLES = ["Đảng ủy viên, phụ trách địa bàn", "Huyện ủy viên", "Ủy viên Ban Thường vụ"]
BATCH = 200_000
ATTENDANCE_COLUMNS = ("meeting_id", "member_id", "status", "reason", "exempted", "probationary")


def _months_before(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return sorted(months)


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def build_meetings(rng: random.Random, branches: list[OrganizationNode], today: datetime.date):
    """Twelve monthly meetings and four thematic ones (some combined with the monthly
    meeting) over the twelve months before `today`'s, for every branch, with attendance
    of about 93% and a few members often absent without reason; a handful of branches
    skip a month; some meetings have a guest from the superior committee."""
    members_of: dict[int, list[Member]] = {}
    for member in Member.objects.only(
        "id", "branch_id", "full_name", "admission_date", "official_date", "status"
    ).order_by("sort_key"):
        members_of.setdefault(member.branch_id, []).append(member)
    exempted_from = dict(
        StatusEvent.objects.filter(kind=EventKind.EXEMPTED).values_list("member_id", "date")
    )
    posts = {
        (p.node_id, p.role): p.member_id
        for p in Position.objects.filter(
            role__in=[PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY], end_date=None
        )
    }
    by_id = {m.pk: m for ms in members_of.values() for m in ms}
    secretaries = [by_id[pk] for (_node, role), pk in posts.items() if role == "secretary"]
    chronic = {m.pk for ms in members_of.values() for m in ms if rng.random() < 0.02}
    months = _months_before(today, 12)
    skipping = {b.pk: rng.choice(months) for b in branches if rng.random() < 0.04}
    # So the superior's home page has something to show: a branch that missed last month.
    skipping[branches[len(branches) // 3].pk] = months[-1]
    pending: list[tuple[Meeting, list[Member], MeetingGuest | None]] = []
    rows = 0
    for branch in branches:
        roster = members_of.get(branch.pk, [])
        chair = posts.get((branch.pk, PositionRole.SECRETARY))
        taker = posts.get((branch.pk, PositionRole.DEPUTY_SECRETARY), chair)
        thematic_months = {
            quarter: rng.choice([m for m in months if (m.month - 1) // 3 == quarter])
            for quarter in {(m.month - 1) // 3 for m in months}
        }
        for month in months:
            plans = []
            themed = month in thematic_months.values()
            combined = themed and rng.random() < 0.4
            if skipping.get(branch.pk) != month:
                plans.append((MeetingKind.REGULAR, combined))
            if themed and not combined and rng.random() > 0.03:
                plans.append((MeetingKind.THEMATIC, False))
            for kind, with_part in plans:
                regular = kind == MeetingKind.REGULAR
                day = month.replace(day=rng.randint(3, 10) if regular else rng.randint(15, 25))
                start = (19, 30) if regular else (14, 0)
                minutes = rng.choice([75, 90, 95, 100, 110, 120, 125, 130, 140, 150])
                if with_part or not regular:
                    minutes = max(minutes, rng.choice([110, 120, 130, 150]))
                end = start[0] * 60 + start[1] + minutes
                final = month != months[-1] or rng.random() < 0.7
                meeting = Meeting(
                    branch=branch,
                    date=day,
                    month=month,
                    start_time=datetime.time(*start),
                    end_time=datetime.time(min(end // 60, 23), end % 60 if end < 1440 else 59),
                    kind=kind,
                    with_thematic_part=with_part,
                    topic=rng.choice(THEMES) if (with_part or not regular) else "",
                    chair_id=chair,
                    minute_taker_id=taker,
                    dues_collected=len(roster) * rng.choice([20, 30, 50]) * 1000
                    if regular
                    else None,
                    news_and_policy=rng.choice(NEWS),
                    last_month_review=rng.choice(REVIEW) if regular else "",
                    next_month_tasks=rng.choice(TASKS) if regular else "",
                    assignments="Đồng chí Bí thư phụ trách chung; các đảng viên theo địa bàn."
                    if regular
                    else "",
                    criticism="Một số đồng chí còn vắng sinh hoạt, cần khắc phục.",
                    conclusion="Chi bộ thống nhất thông qua nghị quyết tháng.",
                    status=MeetingStatus.FINAL if final else MeetingStatus.DRAFT,
                    finalized_at=_at(day + datetime.timedelta(days=2), 20, 0) if final else None,
                )
                meeting._history_date = _at(day, 22, 0)
                guest = None
                if regular and secretaries and rng.random() < 0.12:
                    visitor = rng.choice(secretaries)
                    guest = MeetingGuest(
                        member_id=visitor.pk,
                        name=visitor.full_name,
                        title=rng.choice(GUEST_TITLES),
                    )
                present = [m for m in roster if m.admission_date <= day]
                pending.append((meeting, present, guest))
                rows += len(present)
            if rows >= BATCH:
                _flush(rng, pending, exempted_from, chronic)
                pending, rows = [], 0
    _flush(rng, pending, exempted_from, chronic)


def _status(rng, member, day, exempted_from, chronic) -> tuple[str, str, bool]:
    since = exempted_from.get(member.pk)
    exempted = since is not None and since <= day
    draw = rng.random()
    if exempted:
        if draw < 0.15:
            return AttendanceStatus.PRESENT, "", True
        return AttendanceStatus.EXCUSED, "Miễn sinh hoạt", True
    unexcused = 0.3 if member.pk in chronic else 0.012
    if draw < unexcused:
        return AttendanceStatus.UNEXCUSED, "", False
    if draw < unexcused + 0.055:
        return AttendanceStatus.EXCUSED, rng.choice(REASONS), False
    return AttendanceStatus.PRESENT, "", False


def _drawn(rng, meeting, roster, exempted_from, chronic) -> list[tuple[str, str, bool]]:
    """Each member's (status, reason, exempted) at `meeting`, whose totals it sets."""
    statuses = [_status(rng, member, meeting.date, exempted_from, chronic) for member in roster]
    meeting.count_attendance((status, exempted) for status, _, exempted in statuses)
    return statuses


def _flush(rng, pending, exempted_from, chronic) -> None:
    if not pending:
        return
    drawn = [_drawn(rng, meeting, roster, exempted_from, chronic) for meeting, roster, _ in pending]
    meetings = [m for m, _, _ in pending]
    insert_with_history(Meeting, meetings)
    # Two million rows at province scale: plain tuples, no model instances.
    attendance, dates, guests = [], [], []
    for (meeting, roster, guest), statuses in zip(pending, drawn, strict=True):
        day, when = meeting.date, meeting._history_date
        for member, (status, reason, exempted) in zip(roster, statuses, strict=True):
            official = member.official_date
            attendance.append(
                (
                    meeting.pk,
                    member.pk,
                    status,
                    reason,
                    exempted,
                    official is None or official > day,
                )
            )
            dates.append(when)
        if guest is not None:
            guest.meeting = meeting
            guest._history_date = when
            guests.append(guest)
    insert_rows(Attendance, ATTENDANCE_COLUMNS, attendance, history=True, history_dates=dates)
    insert_with_history(MeetingGuest, guests)
