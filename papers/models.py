from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode
from branchwork.models import Meeting
from members.models import Member
from papers.enums import DocumentType, SignerCapacity
from partyorg.choices import ChoiceLabels
from partyorg.locking import Versioned


class Register(ChoiceLabels, models.Model):
    """The register of documents an issuing body keeps for a year: the last number it
    gave. Numbers run from 1 in January, one sequence for every kind of document."""

    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="registers",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")
        constraints = [
            models.UniqueConstraint(fields=["node", "year"], name="one_register_per_body_year")
        ]

    def __str__(self):
        return f"{self.node} {self.year}"


class Document(Versioned):
    """A document a body issues: a draft while `number` is empty, then issued with its
    number from the body's register, its date, its signer and (for a report) the figures
    frozen as they were printed."""

    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    doc_type = models.CharField(_("type"), max_length=4, choices=DocumentType.choices)
    summary = models.CharField(_("summary"), max_length=300)
    report_year = models.PositiveSmallIntegerField(_("reported year"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_minutes",
    )
    place = models.CharField(_("meeting place"), max_length=200, blank=True)
    # The office's own assessment in an annual report.
    strengths = models.TextField(_("Strengths"), blank=True)
    shortcomings = models.TextField(_("Shortcomings and their causes"), blank=True)
    lessons = models.TextField(_("Lessons learned"), blank=True)
    directions = models.TextField(_("Directions and tasks for next year"), blank=True)
    proposals = models.TextField(_("Proposals"), blank=True)

    year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(_("issuer symbol"), max_length=8, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signer = models.ForeignKey(
        Member,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_capacity = models.CharField(
        _("signs as"), max_length=16, choices=SignerCapacity.choices, blank=True
    )
    # Printed under the signs-for line when the recorder chose the signer.
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    # What the issued document printed (heading, figures, narrative), so that it prints
    # the same for ever, whatever is entered later.
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "snapshot"])

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "year", "number"],
                condition=Q(number__isnull=False),
                name="one_document_per_number",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True, issued_on__isnull=True, year__isnull=True)
                | Q(number__isnull=False, issued_on__isnull=False, year__isnull=False),
                name="issued_document_has_number_date_year",
            ),
        ]
        indexes = [
            # The register page: a body's documents of a year, by number.
            models.Index(fields=["node", "year", "number"], name="document_register_idx"),
            # The annual report page: a body's reports on a year.
            models.Index(fields=["node", "report_year"], name="document_report_year_idx"),
        ]

    def __str__(self):
        return f"{self.number_text} {self.summary}"

    def get_absolute_url(self):
        return reverse("papers:document", args=[self.pk])

    @property
    def pdf_url(self) -> str:
        """Where the app prints the document: filed minutes and annual reports; "" for
        documents written outside the app (their scanned copy is the record)."""
        if self.meeting_id:
            return reverse("papers:minutes_pdf", args=[self.node.code, self.meeting_id])
        if self.report_year:
            return reverse("papers:pdf", args=[self.pk])
        return ""

    @property
    def is_issued(self) -> bool:
        return self.number is not None

    @property
    def number_text(self) -> str:
        """ "12-BC/HU"; letters as the office writes them ("45-CV/HU" or "45/HU")."""
        if not self.is_issued:
            return ""
        code = self.doc_type
        if code == DocumentType.LETTER and not settings.PARTYORG.get("LETTER_TYPE_CODE", True):
            return f"{self.number:02d}/{self.symbol}"
        return f"{self.number:02d}-{code}/{self.symbol}"


class ScannedCopy(ChoiceLabels, models.Model):
    """The signed paper of an issued document, scanned (PDF or image): kept as long as the
    document, so no retention rule removes it."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="scans"
    )
    file = models.FileField(_("file"), upload_to="papers/scans/%Y/")
    content_type = models.CharField(_("file type"), max_length=32)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scanned copy")
        verbose_name_plural = _("scanned copies")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.document} ({self.content_type})"
