from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partyorg.choices import ChoiceLabels
from partyorg.enums import (
    RUNNING_EXPORT_STATUSES,
    RUNNING_IMPORT_STATUSES,
    ExportKind,
    ImportKind,
    ImportStatus,
    PreparedExportStatus,
)
from partyorg.work import BackgroundWork


class Holiday(ChoiceLabels, models.Model):
    """A correction to Vietnam's calendar (partyorg.workdays) the government announced: a
    day off, or a weekend day worked in exchange for one."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    working_day = models.BooleanField(
        _("working day"), default=False, help_text=_("A weekend day worked in a swap.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("announced day off or swap")
        verbose_name_plural = _("announced days off and swaps")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class ImportBatch(BackgroundWork):
    """One uploaded spreadsheet: its dry-run report, then its application.

    History rows written by the import carry `label` as their change reason, so every
    record shows which import created or changed it.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    stored_file = models.CharField(max_length=200, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(_("new"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            # The import list: a user's own imports, newest first.
            models.Index(fields=["user", "-created_at"], name="importbatch_user_idx"),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def label(self) -> str:
        """The history change reason: "import #12 members.xlsx"."""
        return f"import #{self.pk} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_IMPORT_STATUSES

    @property
    def progress_percent(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class ExportRecord(ChoiceLabels, models.Model):
    """One download of records out of the application (a list, a report file): who, what,
    with which filters, how many rows, when. Written by partyorg.exports.record_export;
    its history row puts it on the audit page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=16, choices=ExportKind.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-exported_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.exported_at:%d/%m/%Y %H:%M}"


class PreparedExport(BackgroundWork):
    """A large export written by the task worker for the user who asked for it: the
    records of `kind` (the member list with `filters`) in that user's subtree as they
    stood when it ran. Only that user downloads it; each download is an ExportRecord."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="prepared_exports",
    )
    kind = models.CharField(_("what"), max_length=16, choices=ExportKind.choices)
    # The member list's filters (its page's query) and format; empty for the other kinds.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    file_format = models.CharField(_("format"), max_length=4, default="xlsx")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PreparedExportStatus.choices,
        default=PreparedExportStatus.QUEUED,
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/%Y/", blank=True)
    message = models.TextField(_("message"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # On the audit page: who asked for it, when the worker wrote its file and when the
    # system deleted it (partyorg.imports.retention). The moves in between (running,
    # progress) are written with update() and not recorded.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=PreparedExportStatus.DONE) | ~models.Q(file=""),
                name="done_export_has_file",
            ),
            # One waiting export per request: a second click on "prepare" while the
            # first is queued or running gets that one (office.imports.exporting).
            models.UniqueConstraint(
                fields=["user", "kind", "filters", "file_format"],
                condition=models.Q(status__in=sorted(RUNNING_EXPORT_STATUSES)),
                name="one_waiting_export_per_request",
            ),
        ]
        indexes = [
            # The import page lists a user's own prepared exports, newest first.
            models.Index(fields=["user", "-requested_at"], name="preparedexport_user_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("imports:prepared_export", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_EXPORT_STATUSES


class DeletedUpload(ChoiceLabels, models.Model):
    """An uploaded file deleted by `purge_uploads` after the retention period: which
    file, of which import, uploaded and deleted when. The import's row is kept."""

    stored_file = models.CharField(_("stored file"), max_length=200)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = _("deleted upload")
        verbose_name_plural = _("deleted uploads")

    def __str__(self):
        return self.stored_file
