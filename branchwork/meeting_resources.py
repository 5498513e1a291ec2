"""Import and export of past meetings, in the two forms an office keeps them:

- AttendanceResource: one row per member per meeting, with whether they attended. The
  rows of one branch, day and kind are one meeting; the meetings are checked and
  recorded, final, all at once through branchwork.meetings.record_past_meetings (the
  roll of that day must be complete), the rolls drawn together in prefetch.
- MeetingTotalsResource: one row per meeting with the minutes book's header counts only,
  recorded through branchwork.meetings.record_meeting_totals.

A meeting is known by its branch, day and kind: a meeting already recorded is matched,
never rewritten (its minutes page corrects it), so the same file imported twice changes
nothing. The report reads both forms from the meetings' totals alike.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.resources import ScopedResource, node_code_widget
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.meetings import (
    HeaderCounts,
    PastMeeting,
    branch_rolls,
    check_past_meetings,
    date_error,
    record_meeting_totals,
    record_past_meetings,
)
from branchwork.models import Attendance, Meeting
from members.import_rows import MemberRows
from members.models import MEMBER_NUMBER
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, IntegerWidget, TextWidget
from partyorg.imports.resources import (
    RefusedRows,
    RehearsedResource,
    SpreadsheetResource,
    add_error,
    chunks,
)

KIND_WORDS = {
    MeetingKind.REGULAR: "Thường kỳ",
    MeetingKind.THEMATIC: "Chuyên đề",
    MeetingKind.EXTENDED: "Mở rộng",
    MeetingKind.EXTRAORDINARY: "Bất thường",
    MeetingKind.COMMITTEE: "Chi ủy",
}
KIND_ALIASES = {"Hằng tháng": MeetingKind.REGULAR, "Hàng tháng": MeetingKind.REGULAR}
STATUS_WORDS = {
    AttendanceStatus.PRESENT: "Có mặt",
    AttendanceStatus.EXCUSED: "Vắng có lý do",
    AttendanceStatus.UNEXCUSED: "Vắng không lý do",
}


def branch_code_column():
    return Column(
        "branch_code",
        "Mã chi bộ",
        node_code_widget(required=True),
        help=gettext_lazy("Code of the branch that met."),
    )


def date_column():
    return Column(
        "date", "Ngày họp", DateWidget(required=True), help=gettext_lazy("Day of the meeting.")
    )


def kind_column():
    return Column(
        "kind",
        "Loại sinh hoạt",
        ChoiceWidget(MeetingKind, KIND_WORDS, aliases=KIND_ALIASES, required=True),
        help=gettext_lazy(
            "Kind of meeting: a branch holds one regular meeting a month, thematic ones "
            "at least once a quarter."
        ),
    )


def count_column(attribute, header, help):
    return Column(attribute, header, IntegerWidget(required=True, maximum=100_000), help=help)


class MeetingRows(RehearsedResource, ScopedResource):
    """Rows naming a meeting by "branch_code", "date" and "kind": the branches and the
    meetings already stored for them fetched once; each row's branch checked."""

    def meeting_key(self, row) -> tuple:
        return self.cell(row, "branch_code"), self.cell(row, "date"), self.cell(row, "kind")

    def fetch_meetings(self, rows) -> None:
        self.nodes = self.nodes_by_code(self.column_values(rows, "branch_code"))
        dates = set(self.column_values(rows, "date")) - {None}
        self.meetings = {}
        branch_ids = [n.pk for n in self.nodes.values()]
        for part in chunks(dates):
            found = Meeting.objects.filter(branch__in=branch_ids, date__in=part)
            for meeting in found.select_related("branch"):
                self.meetings[meeting.branch.code, meeting.date, meeting.kind] = meeting

    def branch_of_row(self, instance, errors):
        """The row's branch, or None with the error on its column."""
        code = getattr(instance, "branch_code", None)
        if not code:
            return None
        branch = self.nodes.get(code)
        message = self.node_error(code, branch)
        if message is None and not branch.is_branch:
            message = _("“%(code)s” is not a branch: only branches hold meetings.") % {"code": code}
        if message:
            add_error(errors, "branch_code", message)
            return None
        return branch

    def keep_stored(self, found):
        """A stored record is matched, never rewritten: its values as stored, to tell a
        row that repeats it from one that differs."""
        if found is not None:
            found._stored = self.snapshot(found)
        return found

    @staticmethod
    def meeting_fields(instance) -> dict:
        return {"date": instance.date, "kind": instance.kind}


class AttendanceResource(MemberRows, MeetingRows):
    field_columns = {
        "branch": "branch_code",
        "date": "date",
        "kind": "kind",
        "attendance": "member_number",
    }
    general_column = "member_number"

    branch_code = branch_code_column()
    date = date_column()
    kind = kind_column()
    member_number = Column(
        "member_number",
        "Số lý lịch",
        TextWidget(max_length=20, required=True, validator=MEMBER_NUMBER),
        help=gettext_lazy(
            "Member number of a member of the branch on that day; every member of that day "
            "has a row."
        ),
    )
    full_name = Column(
        "holder_name",
        "Họ và tên",
        TextWidget(max_length=120),
        help=gettext_lazy("The member's full name, to catch a mistyped number; may be empty."),
    )
    status = Column(
        "status",
        "Tham dự",
        ChoiceWidget(AttendanceStatus, STATUS_WORDS, required=True),
        help=gettext_lazy("Whether the member attended."),
    )
    reason = Column(
        "reason",
        "Lý do vắng",
        TextWidget(max_length=200),
        help=gettext_lazy(
            "Why the member was absent: needed for an absence with a reason, except for "
            "a member exempted from party work; empty for those present."
        ),
    )

    examples = [
        ["X1-B1", "05/03/2021", "Thường kỳ", "0101-00012", "Nguyễn Văn An", "Có mặt", ""],
        ["X1-B1", "05/03/2021", "Thường kỳ", "0101-00013", "Trần Thị Bình", "Vắng có lý do", "Ốm"],
        ["X1-B1", "05/03/2021", "Thường kỳ", "0101-00014", "Lê Văn Cường", "Vắng không lý do", ""],
    ]

    class Meta(SpreadsheetResource.Meta):
        model = Attendance
        name = gettext_lazy("Meeting attendance (per member)")
        fields = ["branch_code", "date", "kind", "member_number", "full_name", "status", "reason"]

    def dehydrate_branch_code(self, row):
        return row.meeting.branch.code

    def dehydrate_date(self, row):
        return self.column("date").widget.render(row.meeting.date)

    def dehydrate_kind(self, row):
        return self.column("kind").widget.render(row.meeting.kind)

    def dehydrate_member_number(self, row):
        return row.member.member_number

    def dehydrate_full_name(self, row):
        return row.member.full_name

    @classmethod
    def exported(cls, nodes):
        found = Attendance.objects.filter(meeting__branch__in=nodes).select_related(
            "meeting__branch", "member"
        )
        return found.order_by("-meeting__date", "meeting__branch__path", "member__sort_key")

    def prefetch(self, rows):
        self.members = self.members_by_number(rows)
        self.fetch_meetings(rows)
        self.stored = {}
        for part in chunks([m.pk for m in self.meetings.values()]):
            found = Attendance.objects.filter(meeting__in=part)
            for attendance in found.select_related("meeting__branch", "member"):
                meeting = attendance.meeting
                key = (meeting.branch.code, meeting.date, meeting.kind)
                self.stored[key, attendance.member.member_number] = attendance
        self.existed = {}  # (branch id, day) -> whether the branch stood that day
        meetings = {
            (self.nodes[code], day)
            for code, day in zip(
                self.column_values(rows, "branch_code"),
                self.column_values(rows, "date"),
                strict=True,
            )
            if code in self.nodes and day is not None
        }
        self.rolls = {  # (branch id, day) -> {member id: RollEntry}
            key: {entry.member.pk: entry for entry in roll}
            for key, roll in branch_rolls(
                [(b, day) for b, day in meetings if b.is_branch and self._existed(b, day)]
            ).items()
        }
        self.groups = {}  # meeting key -> the new rows of that meeting
        self.seen = set()

    def existing(self, row):
        return self.keep_stored(
            self.stored.get((self.meeting_key(row), self.cell(row, "member_number")))
        )

    def _existed(self, branch, day) -> bool:
        if (branch.pk, day) not in self.existed:
            self.existed[branch.pk, day] = date_error(branch, day) is None
        return self.existed[branch.pk, day]

    def _roll(self, branch, day):
        return self.rolls.get((branch.pk, day), {})

    def check_row(self, instance, row, errors, *, new):
        key = self.meeting_key(row)
        number = getattr(instance, "member_number", None)
        if (key, number) in self.seen and None not in key and number:
            add_error(errors, "member_number", _("The same member appears twice in a meeting."))
        self.seen.add((key, number))
        if instance.status == AttendanceStatus.PRESENT and instance.reason:
            add_error(errors, "reason", _("A member present has no reason for absence."))
        if not new:
            if self.snapshot(instance) != instance._stored:
                add_error(
                    errors,
                    "status",
                    _("This meeting is already recorded otherwise; correct it on its minutes."),
                )
            return
        member = self.member_of_row(instance, errors)
        branch = self.branch_of_row(instance, errors)
        if member is None or branch is None or "date" in errors or "kind" in errors:
            return
        stored = self.meetings.get(key)
        if stored is not None:
            message = (
                _("This meeting was brought in as totals, without its attendance.")
                if stored.official_count is not None
                else _("This meeting is already recorded without this member.")
            )
            add_error(errors, "member_number", message)
            return
        if self._existed(branch, instance.date):
            entry = self._roll(branch, instance.date).get(member.pk)
            if entry is None:
                add_error(
                    errors,
                    "member_number",
                    _("On %(date)s the member was not in %(name)s.")
                    % {"date": instance.date.strftime("%d/%m/%Y"), "name": branch.name},
                )
                return
            excused = instance.status == AttendanceStatus.EXCUSED
            if excused and not instance.reason and not entry.exempted:
                add_error(errors, "reason", _("Give the reason for the absence."))
        # Otherwise the rehearsal refuses the meeting's date, as the minutes form does.
        if errors:
            return
        instance.member = member
        instance._branch = branch
        if key not in self.groups:
            self.groups[key] = []
            self.planned.append(instance)
        self.groups[key].append(instance)

    def _past(self) -> list[PastMeeting]:
        """The new meetings, one for each first row of a meeting in self.planned."""
        return [
            PastMeeting(
                branch=first._branch,
                data=self.meeting_fields(first),
                attendance={
                    row.member.pk: (row.status, row.reason)
                    for row in self.groups[first.branch_code, first.date, first.kind]
                },
                roll=list(self._roll(first._branch, first.date).values()),
            )
            for first in self.planned
        ]

    def check_file(self):
        return [] if self.applying else self._refusals()

    def _refusals(self) -> list[tuple[int, str, str]]:
        problems = []
        for index, error in check_past_meetings(self._past()).items():
            problems += self.refusals(self.planned[index], error)
        return problems

    def write(self):
        problems = self._refusals()
        if problems:
            raise RefusedRows(problems)
        record_past_meetings(self._past(), by=self.user, reason=self.label)


class MeetingTotalsResource(MeetingRows):
    field_columns = {
        "branch": "branch_code",
        "date": "date",
        "kind": "kind",
        "present": "present_count",
        "exempted": "exempted_count",
    }
    general_column = "date"

    branch_code = branch_code_column()
    date = date_column()
    kind = kind_column()
    official_count = count_column(
        "official_count",
        "Đảng viên chính thức",
        gettext_lazy("Official members of the branch, as the minutes' header gives them."),
    )
    probationary_count = count_column(
        "probationary_count",
        "Đảng viên dự bị",
        gettext_lazy("Probationary members of the branch."),
    )
    exempted_count = count_column(
        "exempted_count",
        "Miễn sinh hoạt vắng mặt",
        gettext_lazy(
            "Members exempted from party work who did not attend; they are also counted "
            "among the absent with a reason, and not in the attendance rate."
        ),
    )
    present_count = count_column("present_count", "Có mặt", gettext_lazy("Members present."))
    excused_count = count_column(
        "excused_count",
        "Vắng có lý do",
        gettext_lazy("Members absent with a reason, the exempted who did not attend included."),
    )
    unexcused_count = count_column(
        "unexcused_count", "Vắng không lý do", gettext_lazy("Members absent without a reason.")
    )

    examples = [
        ["X1-B1", "05/03/2021", "Thường kỳ", "22", "2", "1", "21", "2", "0"],
        ["X1-B1", "20/03/2021", "Chuyên đề", "22", "2", "1", "23", "1", "0"],
    ]

    class Meta(SpreadsheetResource.Meta):
        model = Meeting
        name = gettext_lazy("Meetings as totals (minutes book)")
        fields = [
            "branch_code",
            "date",
            "kind",
            "official_count",
            "probationary_count",
            "exempted_count",
            "present_count",
            "excused_count",
            "unexcused_count",
        ]

    def dehydrate_branch_code(self, meeting):
        return meeting.branch.code

    @classmethod
    def exported(cls, nodes):
        found = Meeting.objects.filter(branch__in=nodes).exclude(official_count=None)
        return found.select_related("branch").order_by("-date", "branch__path", "kind")

    def prefetch(self, rows):
        self.fetch_meetings(rows)
        self.seen = set()

    def existing(self, row):
        return self.keep_stored(self.meetings.get(self.meeting_key(row)))

    def check_row(self, instance, row, errors, *, new):
        key = self.meeting_key(row)
        if key in self.seen and None not in key:
            add_error(errors, "date", _("The same meeting appears twice in the file."))
        self.seen.add(key)
        if not new:
            if self.snapshot(instance) != instance._stored:
                add_error(
                    errors,
                    "date",
                    _("This meeting is already recorded otherwise; correct it on its minutes."),
                )
            return
        branch = self.branch_of_row(instance, errors)
        if branch is None or errors:
            return
        instance._branch = branch
        self.planned.append(instance)

    def perform(self, instance):
        record_meeting_totals(
            branch=instance._branch,
            data=self.meeting_fields(instance),
            counts=HeaderCounts(
                official=instance.official_count,
                probationary=instance.probationary_count,
                exempted=instance.exempted_count,
                present=instance.present_count,
                excused=instance.excused_count,
                unexcused=instance.unexcused_count,
            ),
            by=self.user,
        )
