from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from branchwork.enums import AttendanceStatus, MeetingKind, MeetingStatus
from members.models import Member
from partyorg.choices import ChoiceLabels
from partyorg.locking import Versioned


def is_counted(status: str, exempted: bool) -> bool:
    """Whether a row counts in the attendance rate: absent exempted members do not
    (DOMAIN.md §5; branchwork.meeting_queries.counted in SQL)."""
    return not (exempted and status != AttendanceStatus.PRESENT)


class Meeting(Versioned):
    """The minutes of one meeting of a branch (sinh hoạt chi bộ), DOMAIN.md §5.

    Written through branchwork.meetings: a draft until finalized, after which every edit
    carries a reason in its history record.
    """

    branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    date = models.DateField(_("date"))
    # First day of the meeting's month, kept by branchwork.meetings; the month is what the
    # "one regular meeting a month" rule and the monthly reports group by.
    month = models.DateField(editable=False)
    # Empty only for minutes brought in from a file that did not give the times.
    start_time = models.TimeField(_("start time"), null=True)
    end_time = models.TimeField(_("end time"), null=True)
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    with_thematic_part = models.BooleanField(
        _("combined with a thematic part"),
        default=False,
        help_text=_("A regular meeting that also holds the quarter's thematic meeting."),
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    chair = models.ForeignKey(
        Member,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minute_taker = models.ForeignKey(
        Member,
        verbose_name=_("minute-taker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dues_collected = models.PositiveBigIntegerField(
        _("dues collected (đồng)"), null=True, blank=True
    )
    news_and_policy = models.TextField(_("news and policy"), blank=True)
    last_month_review = models.TextField(_("review of last month"), blank=True)
    next_month_tasks = models.TextField(_("tasks for next month"), blank=True)
    assignments = models.TextField(_("assignments to members"), blank=True)
    criticism = models.TextField(_("criticism and self-criticism"), blank=True)
    conclusion = models.TextField(_("conclusion or resolution"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=MeetingStatus.choices,
        default=MeetingStatus.DRAFT,
        editable=False,
    )
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True, editable=False)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Totals of the attendance rows, written with them (branchwork.meetings) so that
    # reports over a province add up meetings instead of two million rows.
    present_count = models.PositiveIntegerField(default=0, editable=False)
    counted_count = models.PositiveIntegerField(default=0, editable=False)
    excused_count = models.PositiveIntegerField(default=0, editable=False)
    unexcused_count = models.PositiveIntegerField(default=0, editable=False)
    # The minutes book's header counts, for minutes brought in as totals without an
    # attendance roll (branchwork.meetings.record_meeting_totals); None for the others,
    # whose membership is their attendance rows.
    official_count = models.PositiveIntegerField(null=True, editable=False)
    probationary_count = models.PositiveIntegerField(null=True, editable=False)
    exempted_count = models.PositiveIntegerField(null=True, editable=False)
    # The key the minutes form drew for the save that wrote this version (None: a save
    # without one), kept in the history too: a save sent again after a dropped
    # connection is recognised by its key and applied once (branchwork.meetings).
    entry_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "present_count",
            "counted_count",
            "excused_count",
            "unexcused_count",
        ]
    )

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="meeting_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["branch", "month"],
                condition=Q(kind=MeetingKind.REGULAR),
                name="one_regular_meeting_per_branch_month",
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.DRAFT) | Q(finalized_at__isnull=False),
                name="final_meeting_has_finalized_at",
            ),
        ]
        indexes = [
            # Reports and the home panel: meetings of a subtree's branches in a period.
            models.Index(fields=["month", "kind"], name="meeting_month_kind_idx"),
            # The branch's meetings page: one branch, newest first.
            models.Index(fields=["branch", "-date"], name="meeting_branch_date_idx"),
            # A report's meetings of a subtree's branches in a year, read from the index
            # alone: the table, with the minutes' text, is 2.5 GB for a million members.
            models.Index(
                fields=["branch", "month"],
                include=["id", "kind", "with_thematic_part", "present_count", "counted_count"],
                name="meeting_report_idx",
            ),
        ]

    def __str__(self):
        return f"{self.branch} · {self.get_kind_display()} · {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.branch.code, self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == MeetingStatus.FINAL

    @property
    def is_thematic(self) -> bool:
        return self.kind == MeetingKind.THEMATIC or self.with_thematic_part

    def count_attendance(self, rows: Iterable[tuple[str, bool]]) -> None:
        """Set the attendance totals from all the meeting's rows, as (status, exempted)."""
        rows = Counter(rows)
        by_status = Counter()
        for (status, _exempted), n in rows.items():
            by_status[status] += n
        self.present_count = by_status[AttendanceStatus.PRESENT]
        self.excused_count = by_status[AttendanceStatus.EXCUSED]
        self.unexcused_count = by_status[AttendanceStatus.UNEXCUSED]
        self.counted_count = sum(n for row, n in rows.items() if is_counted(*row))

    @property
    def duration_minutes(self) -> int:
        if self.start_time is None or self.end_time is None:
            return 0
        start = self.start_time.hour * 60 + self.start_time.minute
        return self.end_time.hour * 60 + self.end_time.minute - start


class Attendance(ChoiceLabels, models.Model):
    """One member of the branch on the meeting date and whether they attended.

    `exempted` and `temporary` are facts of the meeting date, computed when the roll is
    drawn from the dated memberships and status events.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(
        _("attendance"),
        max_length=12,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    exempted = models.BooleanField(_("exempted from party work"), default=False)
    probationary = models.BooleanField(_("probationary"), default=False)
    temporary = models.BooleanField(_("temporarily attached"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.PRESENT) | Q(reason=""),
                name="present_has_no_absence_reason",
            ),
        ]
        indexes = [
            # The removal rule: a member's absences without reason in a year.
            models.Index(fields=["member", "status"], name="attendance_member_status_idx"),
            # The removal rule over a subtree (home page): the few rows without reason
            # among a province's two million, read from the index alone.
            models.Index(
                fields=["meeting", "member", "id"],
                condition=Q(status=AttendanceStatus.UNEXCUSED),
                name="attendance_unexcused_idx",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"

    @property
    def counted(self) -> bool:
        return is_counted(self.status, self.exempted)


class MeetingGuest(ChoiceLabels, models.Model):
    """A member of a superior committee who attended the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("superior committee guest")
        verbose_name_plural = _("superior committee guests")

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name
