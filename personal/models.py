"""A person's reminders (the inbox of the home page), the daily email sent to them, and
their choice of email."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partyorg.choices import ChoiceLabels
from personal.enums import ReminderKind


class Reminder(ChoiceLabels, models.Model):
    """What was due or overdue for `user` on `day`, of one kind: counted by the daily
    task (personal.reminders), one row per person, day and kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    count = models.PositiveIntegerField(_("count"))
    # Where the person acts on it (a path of the site).
    link = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # The daily task may run twice a day: it rewrites the day's rows.
            models.UniqueConstraint(fields=["user", "day", "kind"], name="one_reminder_a_day"),
        ]
        ordering = ["day", "kind"]

    def __str__(self):
        return f"{self.user} {self.day:%d/%m/%Y} {self.get_kind_display()}: {self.count}"


class ReminderEmail(ChoiceLabels, models.Model):
    """The one email of `user`'s reminders on `day`: created before sending, so a second
    run of the task (or a second worker) never sends it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_emails"
    )
    day = models.DateField(_("day"))
    address = models.EmailField(_("email address"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder email")
        verbose_name_plural = _("reminder emails")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_reminder_email_a_day"),
        ]

    def __str__(self):
        return f"{self.user} {self.day:%d/%m/%Y}"


class ReminderSettings(ChoiceLabels, models.Model):
    """A person's address for the daily email of reminders, and whether they want it.
    Without a row (or an address) no email is sent; the inbox is always kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    email = models.EmailField(_("email address"), blank=True)
    send_email = models.BooleanField(_("send me one email a day with my reminders"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(self.user)

    @property
    def emails(self) -> bool:
        return bool(self.email and self.send_email)
