from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from members.models import Member
from partyorg.choices import ChoiceLabels


class Inspection(ChoiceLabels, models.Model):
    """An inspection (kiểm tra) carried out by a branch or committee, with its conclusion."""

    date = models.DateField(_("date"))
    inspecting_node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("inspecting organization"),
        on_delete=models.PROTECT,
        related_name="inspections_made",
    )
    inspected_node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("inspected organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections_received",
    )
    inspected_member = models.ForeignKey(
        Member,
        verbose_name=_("inspected member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    subject = models.CharField(_("subject"), max_length=300)
    conclusion = models.TextField(_("conclusion"), blank=True)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspected_node__isnull=False) | Q(inspected_member__isnull=False),
                name="inspection_has_a_subject",
            ),
        ]
        indexes = [
            # Yearly target: inspections made by each node in a year.
            models.Index(fields=["inspecting_node", "date"], name="inspection_node_date_idx"),
        ]

    def __str__(self):
        return f"{self.inspecting_node} {self.date}: {self.subject}"

    @property
    def inspected_name(self) -> str:
        return str(self.inspected_member or self.inspected_node)
