from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF document")
    XLSX = "xlsx", _("Excel workbook")
    HTML = "html", _("Web page (HTML file)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING_STATUSES = {ReportStatus.QUEUED, ReportStatus.RUNNING}
