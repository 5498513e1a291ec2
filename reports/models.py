from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.models import OrganizationNode
from partyorg.work import BackgroundWork
from reports.enums import RUNNING_STATUSES, ReportFormat, ReportStatus


class GeneratedReport(BackgroundWork):
    """An annual report file prepared in the background: who asked, when, for which node,
    year and format, how far it got, and the finished file (kept for download)."""

    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="generated_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True)
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.DONE) | ~Q(file=""), name="done_report_has_file"
            ),
        ]
        indexes = [
            # The dashboard lists the files prepared for a node and year, newest first.
            models.Index(fields=["node", "year", "-requested_at"], name="report_node_year_idx"),
        ]

    def __str__(self):
        return f"{self.node} {self.year} ({self.format})"

    def get_absolute_url(self):
        return reverse("reports:file", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES
