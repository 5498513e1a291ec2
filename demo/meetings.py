"""Demo meetings: the minutes of every demo branch since the history starts, bulk-inserted;
with attendance lists, or before a scale's day as the minutes book's totals."""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from branches.models import OrganizationNode
from branchwork import notices
from branchwork.enums import AttendanceStatus, MeetingKind, MeetingStatus
from branchwork.models import Attendance, Meeting, MeetingGuest
from members.enums import EventKind, MembershipKind, PositionRole
from members.models import Member, Membership, Position, StatusEvent
from partyorg.bulk import insert_rows, insert_with_history
from partyorg.documents import write_pdf

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


def _months_between(since: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The first days of the months from `since`'s to the one before `today`'s."""
    months, month = [], since.replace(day=1)
    while month < today.replace(day=1):
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def build_meetings(
    rng: random.Random,
    branches: list[OrganizationNode],
    today: datetime.date,
    since: datetime.date,
    lists_since: datetime.date,
):
    """Monthly meetings and a thematic one a quarter (some combined with the monthly
    meeting) for every branch in each month from `since`'s to the one before `today`'s,
    attended by the members of the branch that day (their home memberships) at about 93%,
    a few members often absent without reason; a handful of branches skip a month each
    year; some meetings have a guest from the superior committee. Meetings before
    `lists_since` keep only the minutes book's totals, as an office imports its earlier
    years (no attendance rows)."""
    people = {
        m.pk: m for m in Member.objects.only("id", "full_name", "admission_date", "official_date")
    }
    members_of: dict[int, list[tuple[Member, datetime.date, datetime.date | None]]] = {}
    for member_id, branch_id, start, end in (
        Membership.objects.filter(kind=MembershipKind.HOME)
        .order_by("member__sort_key", "start_date")
        .values_list("member_id", "branch_id", "start_date", "end_date")
    ):
        members_of.setdefault(branch_id, []).append((people[member_id], start, end))
    exempted_from = dict(
        StatusEvent.objects.filter(kind=EventKind.EXEMPTED).values_list("member_id", "date")
    )
    posts = {
        (p.node_id, p.role): p.member_id
        for p in Position.objects.filter(
            role__in=[PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY], end_date=None
        )
    }
    secretaries = [people[pk] for (_node, role), pk in posts.items() if role == "secretary"]
    chronic = {pk for pk in people if rng.random() < 0.02}
    months = _months_between(since, today)
    if not months:
        return
    recent_from = months[-12] if len(months) >= 12 else months[0]
    skipping = set()
    for year in sorted({m.year for m in months}):
        in_year = [m for m in months if m.year == year]
        skipping |= {(b.pk, rng.choice(in_year)) for b in branches if rng.random() < 0.04}
    # So the superior's home page has something to show: a branch that missed last month.
    skipping.add((branches[len(branches) // 3].pk, months[-1]))
    pending: list[tuple[Meeting, list[Member], MeetingGuest | None]] = []
    rows = 0
    for branch in branches:
        roster = members_of.get(branch.pk, [])
        chair = posts.get((branch.pk, PositionRole.SECRETARY))
        taker = posts.get((branch.pk, PositionRole.DEPUTY_SECRETARY), chair)
        quarters: dict[tuple[int, int], list[datetime.date]] = {}
        for month in months:
            quarters.setdefault((month.year, (month.month - 1) // 3), []).append(month)
        thematic_months = {rng.choice(in_quarter) for in_quarter in quarters.values()}
        for month in months:
            plans = []
            themed = month in thematic_months
            combined = themed and rng.random() < 0.4
            if (branch.pk, month) not in skipping:
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
                present = [
                    m for m, start, end in roster if start <= day and (end is None or end > day)
                ]
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
                    dues_collected=len(present) * rng.choice([20, 30, 50]) * 1000
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
                meeting.from_book = day < lists_since
                guest = None
                if regular and secretaries and rng.random() < 0.12:
                    visitor = rng.choice(secretaries)
                    guest = MeetingGuest(
                        member_id=visitor.pk,
                        name=visitor.full_name,
                        title=rng.choice(GUEST_TITLES),
                    )
                pending.append((meeting, present, guest))
                rows += len(present)
            if rows >= BATCH:
                _flush(rng, pending, exempted_from, chronic, recent_from)
                pending, rows = [], 0
    _flush(rng, pending, exempted_from, chronic, recent_from)


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
    """Each member's (status, reason, exempted) at `meeting`, whose totals it sets (and,
    for minutes kept as the book's totals, its header counts)."""
    statuses = [_status(rng, member, meeting.date, exempted_from, chronic) for member in roster]
    meeting.count_attendance((status, exempted) for status, _, exempted in statuses)
    if meeting.from_book:
        day = meeting.date
        probationary = sum(m.official_date is None or m.official_date > day for m in roster)
        meeting.official_count = len(roster) - probationary
        meeting.probationary_count = probationary
        meeting.exempted_count = sum(
            status == AttendanceStatus.EXCUSED and exempted for status, _, exempted in statuses
        )
    return statuses


def _flush(rng, pending, exempted_from, chronic, recent_from) -> None:
    """Insert the meetings with their history rows, and their attendance: with history
    rows for the meetings from `recent_from` on (those still opened and corrected), as
    plain rows before (on SQLite a history row costs as much as its record)."""
    if not pending:
        return
    drawn = [_drawn(rng, meeting, roster, exempted_from, chronic) for meeting, roster, _ in pending]
    meetings = [m for m, _, _ in pending]
    insert_with_history(Meeting, meetings)
    # Two million rows at province scale: plain tuples, no model instances.
    attendance, dates, older, guests = [], [], [], []
    for (meeting, roster, guest), statuses in zip(pending, drawn, strict=True):
        day, when = meeting.date, meeting._history_date
        recent = day >= recent_from
        listed = [] if meeting.from_book else zip(roster, statuses, strict=True)
        for member, (status, reason, exempted) in listed:
            official = member.official_date
            if recent:
                dates.append(when)
            (attendance if recent else older).append(
                (
                    meeting.pk,
                    member.pk,
                    status,
                    reason,
                    exempted,
                    official is None or official > day,
                )
            )
        if guest is not None:
            guest.meeting = meeting
            guest._history_date = when
            guests.append(guest)
    insert_rows(Attendance, ATTENDANCE_COLUMNS, attendance, history=True, history_dates=dates)
    insert_rows(Attendance, ATTENDANCE_COLUMNS, older, ids=False)
    insert_with_history(MeetingGuest, guests)


AGENDA = (
    "1. Thông tin thời sự, chủ trương mới của Đảng ủy.\n"
    "2. Kiểm điểm việc thực hiện nhiệm vụ tháng trước.\n"
    "3. Bàn nhiệm vụ tháng tới; phân công đảng viên.\n"
    "4. Thu đảng phí."
)


def publish_documents(branch: OrganizationNode, by, today: datetime.date):
    """The branch's agenda and a one-page PDF shared three days before its next meeting
    (Hướng dẫn 42-HD/BTCTW), through the page's own domain function."""
    meeting_date = today + datetime.timedelta(days=3)
    items = "".join(f"<li>{line[3:]}</li>" for line in AGENDA.splitlines())
    html = (
        f'<html lang="vi"><body><h1>CHƯƠNG TRÌNH SINH HOẠT CHI BỘ</h1>'
        f"<p>{branch.name}, ngày {meeting_date:%d/%m/%Y}</p><ol>{items}</ol></body></html>"
    )
    pdf = ContentFile(
        write_pdf(html, template_name="demo agenda"), name="chuong-trinh-sinh-hoat.pdf"
    )
    return notices.publish(branch, meeting_date=meeting_date, agenda=AGENDA, files=[pdf], by=by)
