from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from members.models import Member
from partyorg.choices import ChoiceLabels
from partyorg.locking import Versioned


class MeetingNotice(Versioned):
    """What a branch shares with its members before a meeting (Hướng dẫn 42-HD/BTCTW,
    28 Oct 2025: at least one day ahead): the agenda and files of the meeting planned on
    `meeting_date`. Published through branchwork.notices; after the meeting it stays
    with the minutes of that branch and date."""

    branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="meeting_notices",
    )
    meeting_date = models.DateField(_("meeting date"))
    agenda = models.TextField(_("agenda"))
    published_at = models.DateTimeField(_("published at"), editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-meeting_date"]
        verbose_name = _("meeting documents")
        verbose_name_plural = _("meeting documents")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "meeting_date"], name="one_notice_per_branch_meeting_date"
            ),
        ]
        indexes = [
            # The branch's documents page and the member's page: one branch, newest first.
            models.Index(fields=["branch", "-meeting_date"], name="notice_branch_date_idx"),
        ]

    def __str__(self):
        return f"{self.branch} · {self.meeting_date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("meetings:notice", args=[self.branch.code, self.pk])


class NoticeFile(ChoiceLabels, models.Model):
    """One file of a meeting's documents (PDF, DOCX, PNG or JPEG). Never deleted: a file
    shared by mistake is withdrawn (members no longer see it), with who and when."""

    notice = models.ForeignKey(
        MeetingNotice,
        verbose_name=_("meeting documents"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    file = models.FileField(_("file"), upload_to="meetings/documents/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("meeting document file")
        verbose_name_plural = _("meeting document files")

    def __str__(self):
        return self.name


class NoticeFileOpening(ChoiceLabels, models.Model):
    """A member of the branch opened a file of the meeting's documents: the first time
    only (branchwork.notices.record_opening)."""

    file = models.ForeignKey(
        NoticeFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="openings"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="notice_openings",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("opening of a meeting document")
        verbose_name_plural = _("openings of meeting documents")
        constraints = [
            models.UniqueConstraint(fields=["file", "member"], name="one_opening_per_member"),
        ]

    def __str__(self):
        return f"{self.member} · {self.file}"
