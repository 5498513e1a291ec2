from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models.records import Member
from partyorg.choices import ChoiceLabels


class PersonAccount(ChoiceLabels, models.Model):
    """The party member who uses an account: documents print the member's name for the
    account's actions, and the account's role ends when the member leaves the party."""

    member = models.OneToOneField(
        Member, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="account"
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="person",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account of a member")
        verbose_name_plural = _("accounts of members")

    def __str__(self):
        return f"{self.account} — {self.member}"
