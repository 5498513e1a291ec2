import functools
import operator

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branchwork.enums import BADGE_AWARD_DAYS, BADGE_YEARS
from members.models.records import Member
from partyorg.choices import ChoiceLabels


class BadgeAward(ChoiceLabels, models.Model):
    """A party badge awarded for a number of years of party age."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badges")
    years = models.PositiveSmallIntegerField(_("years of party age"))
    award_date = models.DateField(_("award date"))
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    early = models.BooleanField(_("early, for serious illness"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["award_date", "years"]
        verbose_name = _("party badge")
        verbose_name_plural = _("party badges")
        constraints = [
            models.UniqueConstraint(fields=["member", "years"], name="one_badge_per_milestone"),
            models.CheckConstraint(
                condition=Q(years__in=BADGE_YEARS), name="badge_years_is_a_milestone"
            ),
            models.CheckConstraint(
                condition=functools.reduce(
                    operator.or_,
                    (Q(award_date__day=d, award_date__month=m) for d, m in BADGE_AWARD_DAYS),
                ),
                name="badge_award_on_an_award_day",
            ),
        ]
        indexes = [
            # Awards of a round: by date.
            models.Index(fields=["award_date"], name="badge_award_date_idx"),
        ]

    def __str__(self):
        return f"{self.member}: {self.years}"
