from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from branchwork.enums import DuesBasis
from members.models.records import Member
from partyorg.locking import Versioned


def unpaid(prefix: str = "") -> Q:
    """A month entered as not paid, without a good reason: what the removal rule counts.
    `prefix` reaches Dues through a relation."""
    return Q(**{f"{prefix}paid_on__isnull": True, f"{prefix}excused": False})


UNPAID = unpaid()


class Dues(Versioned):
    """A member's dues for one month: what the rule asks, the voluntary extra, the payment."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues")
    branch = models.ForeignKey(OrganizationNode, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    # The number of the regulation the amount was computed under (partyorg.rules).
    regulation = models.CharField(_("regulation"), max_length=40)
    basis = models.CharField(_("basis"), max_length=16, choices=DuesBasis.choices)
    income = models.PositiveIntegerField(_("salary or pension (đ)"), null=True, blank=True)
    amount_due = models.PositiveIntegerField(_("dues (đ)"))
    extra = models.PositiveIntegerField(_("voluntary extra (đ)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    excused = models.BooleanField(_("good reason for not paying"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["year", "month"]
        verbose_name = _("monthly dues")
        verbose_name_plural = _("monthly dues")
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "month"], name="one_dues_per_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="dues_month_in_range"
            ),
        ]
        indexes = [
            # The collection sheet of a branch for a month.
            models.Index(fields=["branch", "year", "month"], name="dues_sheet_idx"),
            # Unpaid months per member in a year (removal rule): a few rows in a hundred.
            models.Index(fields=["year", "member"], condition=UNPAID, name="dues_unpaid_idx"),
        ]

    def __str__(self):
        return f"{self.member} {self.month:02d}/{self.year}"

    @property
    def total(self) -> int:
        return self.amount_due + self.extra


# ---------------------------------------------------------------------------
# BadgeAward
# ---------------------------------------------------------------------------
