from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from members.enums import (
    TransferKind,
    TransferState,
)
from members.models.records import Member
from partyorg.choices import ChoiceLabels
from partyorg.dated import ends_after_start_q


class Transfer(ChoiceLabels, models.Model):
    """A transfer of party activity (chuyển sinh hoạt đảng) with its letter.

    Between two branches of the system it waits in the receiving branch's inbox until
    accepted; to or from an organization outside the system one side is a name only.
    Deadlines are stored when the letter is entered, so later holiday edits do not move them.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=16, choices=TransferKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=TransferState.choices)
    from_branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("from branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    from_outside = models.CharField(_("from organization outside"), max_length=200, blank=True)
    to_branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("to branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    to_outside = models.CharField(_("to organization outside"), max_length=200, blank=True)
    letter_number = models.CharField(_("transfer letter number"), max_length=50)
    letter_date = models.DateField(_("letter date"))
    change_date = models.DateField(
        _("job or residence changed on"),
        null=True,
        blank=True,
        help_text=_("An official transfer is due within 60 working days of this date."),
    )
    request_due = models.DateField(_("transfer due by"), null=True, blank=True, editable=False)
    present_by = models.DateField(_("letter to be presented by"), editable=False)
    planned_until = models.DateField(_("temporary until"), null=True, blank=True)
    for_study = models.BooleanField(_("for study"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    accepted_on = models.DateField(_("presented and accepted on"), null=True, blank=True)
    ended_on = models.DateField(_("temporary activity ended on"), null=True, blank=True)
    answer = models.CharField(_("answer of the receiving branch"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-letter_date", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_branch__isnull=False) | ~Q(from_outside=""),
                name="transfer_has_origin",
            ),
            models.CheckConstraint(
                condition=Q(to_branch__isnull=False) | ~Q(to_outside=""),
                name="transfer_has_destination",
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("letter_date")),
                name="transfer_accepted_after_letter",
            ),
            models.CheckConstraint(
                condition=ends_after_start_q("accepted_on", "ended_on"),
                name="transfer_ends_after_acceptance",
            ),
            models.CheckConstraint(
                condition=Q(planned_until__isnull=True) | Q(planned_until__gt=F("letter_date")),
                name="transfer_until_after_letter",
            ),
        ]
        indexes = [
            # The inbox: pending transfers addressed to branches of a subtree.
            models.Index(fields=["to_branch", "state"], name="transfer_inbox_idx"),
            # Outgoing list of a branch.
            models.Index(fields=["from_branch", "state"], name="transfer_outbox_idx"),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()} {self.letter_number}"

    def get_absolute_url(self):
        return reverse("record_work:transfer_detail", args=[self.pk])

    @property
    def origin_name(self) -> str:
        return self.from_branch.name if self.from_branch_id else self.from_outside

    @property
    def destination_name(self) -> str:
        return self.to_branch.name if self.to_branch_id else self.to_outside

    @property
    def is_late(self) -> bool:
        """Presented after the 30 working days, or still waiting past them."""
        presented = self.accepted_on or timezone.localdate()
        return self.state in {TransferState.PENDING, TransferState.ACCEPTED} and (
            presented > self.present_by
        )

    @property
    def requested_late(self) -> bool:
        return self.request_due is not None and self.letter_date > self.request_due


# ---------------------------------------------------------------------------
# Evaluation + EvaluationRule
# ---------------------------------------------------------------------------
