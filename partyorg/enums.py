from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    NODES = "nodes", _("Party organizations")
    MEMBERS = "members", _("Party members")
    AREAS = "areas", _("Residential areas")
    CANDIDATES = "candidates", _("Admission candidates")
    PLAN = "plan", _("Restructuring plan")
    POSITIONS = "positions", _("Positions and concurrent roles")
    TARGETS = "targets", _("Admission targets")
    EVALUATIONS = "evaluations", _("Member evaluations")
    EVENTS = "events", _("Member events")
    INSPECTIONS = "inspections", _("Inspections")
    BADGES = "badges", _("Party badges")
    ATTENDANCE = "attendance", _("Meeting attendance (per member)")
    MEETING_TOTALS = "meeting_totals", _("Meetings as totals (minutes book)")
    ORG_EVALUATIONS = "org_evaluations", _("Organization evaluations")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, ready to import")
    REJECTED = "rejected", _("Has errors, nothing imported")
    APPLYING = "applying", _("Being imported")
    APPLIED = "applied", _("Imported")
    FAILED = "failed", _("Failed, nothing imported")
    CANCELLED = "cancelled", _("Cancelled, nothing imported")


# Work in progress: the import page refreshes itself while a batch is in one of these.
RUNNING_IMPORT_STATUSES = {ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.APPLYING}


class ExportKind(models.TextChoices):
    MEMBERS = "members", _("Member list")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    BADGE_LIST = "badge_list", _("Badge award list")
    POSITIONS = "positions", _("Positions and concurrent roles")
    TARGETS = "targets", _("Admission targets")
    EVALUATIONS = "evaluations", _("Member evaluations")
    INSPECTIONS = "inspections", _("Inspections")
    BADGES = "badges", _("Party badges")
    EVENTS = "events", _("Member events")
    ATTENDANCE = "attendance", _("Meeting attendance (per member)")
    MEETING_TOTALS = "meeting_totals", _("Meetings as totals (minutes book)")
    ORG_EVALUATIONS = "org_evaluations", _("Organization evaluations")
    AREAS = "areas", _("Residential areas")


class PreparedExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("File deleted")


RUNNING_EXPORT_STATUSES = {PreparedExportStatus.QUEUED, PreparedExportStatus.RUNNING}
