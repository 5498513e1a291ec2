from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from branchwork.enums import EvaluationLevel, NotClassifiedReason
from members.models.records import Member
from partyorg.locking import Versioned


class EvaluationFields(Versioned):
    """Steps of an annual evaluation shared by members and organizations."""

    year = models.PositiveSmallIntegerField(_("year"))
    # The number of the regulation the evaluation was made under (partyorg.rules).
    regulation = models.CharField(_("regulation"), max_length=40)
    self_assessment = models.CharField(
        _("self-assessment"), max_length=16, choices=EvaluationLevel.choices, blank=True
    )
    appraisal = models.CharField(
        _("appraisal"), max_length=16, choices=EvaluationLevel.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    excellent_conditions = models.BooleanField(
        _("every task on time, at least 30% beyond requirements, no discipline"),
        default=False,
    )
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
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="evaluation_score_range"
            ),
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
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="org_evaluation_score_range"
            ),
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
