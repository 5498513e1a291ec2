from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """What a reminder is about; the inbox and the email word each with its count."""

    ADMISSION = "admission", _("Admission files with a deadline passed or near")
    CONVERSION = "conversion", _("Probationary members whose probation has ended")
    TRANSFERS = "transfers", _("Transfer letters to receive")
    MEETING_MISSING = "meeting_missing", _("Branches without last month's meeting recorded")
    THEMATIC_MISSING = "thematic_missing", _("Branches without a thematic meeting this quarter")
    DOCUMENTS = "documents", _("Branches still to share the documents of this month's meeting")
    BADGES = "badges", _("Members due a party badge on the next award day")
    DUES_UNPAID = "dues_unpaid", _("Members close to the dues half of the removal rule")
    OWN_DUES = "own_dues", _("Months of your own dues unpaid this year")
