from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from branchwork.enums import EvaluationLevel, NotClassifiedReason
from members.models.records import Member
from partyorg.locking import Versioned


class EvaluationRule(models.Model):
    """A version of the annual evaluation rules, in force for the years from its date on.

    Values DOMAIN.md calls unconfirmed (quota and exclusions under 366-QĐ/TW) are fields
    here, editable in the admin, so a correction needs no code change.
    """

    regulation = models.CharField(_("regulation"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    effective_from = models.DateField(_("in force from"), unique=True)
    scored = models.BooleanField(_("100-point score"), default=False)
    excellent_min_score = models.PositiveSmallIntegerField(default=90)
    good_min_score = models.PositiveSmallIntegerField(default=70)
    completed_min_score = models.PositiveSmallIntegerField(default=50)
    excellent_quota_percent = models.PositiveSmallIntegerField(
        _("excellent at most, in percent of those rated good"), default=20
    )
    exclude_exempted = models.BooleanField(_("exempted members not classified"), default=True)
    exclude_suspended = models.BooleanField(_("suspended members not classified"), default=True)
    exclude_new_months = models.PositiveSmallIntegerField(
        _("members admitted less than this many months before are not classified"), default=6
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("evaluation rule")
        verbose_name_plural = _("evaluation rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_min_score__gt=F("good_min_score"))
                & Q(good_min_score__gt=F("completed_min_score"))
                & Q(excellent_min_score__lte=100),
                name="evaluation_score_bands_ordered",
            ),
            models.CheckConstraint(
                condition=Q(excellent_quota_percent__lte=100), name="evaluation_quota_percent"
            ),
        ]

    def __str__(self):
        return self.regulation


class EvaluationFields(Versioned):
    """Steps of an annual evaluation shared by members and organizations."""

    year = models.PositiveSmallIntegerField(_("year"))
    rule = models.ForeignKey(EvaluationRule, on_delete=models.PROTECT, related_name="+")
    self_assessment = models.CharField(
        _("self-assessment"), max_length=16, choices=EvaluationLevel.choices, blank=True
    )
    appraisal = models.CharField(
        _("appraisal"), max_length=16, choices=EvaluationLevel.choices, blank=True
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    level = models.CharField(
        _("decision"), max_length=16, choices=EvaluationLevel.choices, blank=True
    )
    not_classified = models.CharField(
        _("not classified"), max_length=16, choices=NotClassifiedReason.choices, blank=True
    )
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Evaluation(EvaluationFields):
    """One member's annual quality evaluation, in the branch that evaluated them."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="evaluations")
    branch = models.ForeignKey(OrganizationNode, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["year", "member__sort_key"]
        verbose_name = _("member evaluation")
        verbose_name_plural = _("member evaluations")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_evaluation_per_year"),
            models.CheckConstraint(condition=Q(score__lte=100), name="evaluation_score_max"),
            models.CheckConstraint(
                condition=Q(level="") | Q(not_classified=""),
                name="evaluation_level_or_not_classified",
            ),
        ]
        indexes = [
            # Distribution of a year's results over a subtree: year, then the branch.
            models.Index(fields=["year", "branch"], name="evaluation_year_branch_idx"),
        ]

    def __str__(self):
        return f"{self.member} {self.year}: {self.get_level_display()}"


class OrganizationEvaluation(EvaluationFields):
    """One organization's annual quality evaluation, decided by the level above it."""

    node = models.ForeignKey(OrganizationNode, on_delete=models.PROTECT, related_name="evaluations")

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["year", "node__path"]
        verbose_name = _("organization evaluation")
        verbose_name_plural = _("organization evaluations")
        constraints = [
            models.UniqueConstraint(fields=["node", "year"], name="one_org_evaluation_per_year"),
            models.CheckConstraint(condition=Q(score__lte=100), name="org_evaluation_score_max"),
            models.CheckConstraint(
                condition=Q(level="") | Q(not_classified=""),
                name="org_evaluation_level_or_not_classified",
            ),
        ]

    def __str__(self):
        return f"{self.node} {self.year}: {self.get_level_display()}"


# ---------------------------------------------------------------------------
# Dues + DuesRule
# ---------------------------------------------------------------------------
