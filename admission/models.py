from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.enums import (
    DeadlineKind,
    DocumentCode,
    EducationException,
    IntroducerKind,
    RuleVersion,
    SourceOrganization,
    Stage,
    VoteKind,
)
from branches.models import OrganizationNode
from members.models import NATIONAL_ID_REGISTERED, Member, PersonalRecord
from partyorg.choices import ChoiceLabels
from partyorg.dated import DatedManager, ends_after_start_q
from partyorg.locking import Versioned
from partyorg.text import fold


class CandidateQuerySet(models.QuerySet):
    def in_subtree(self, node: OrganizationNode):
        return self.filter(branch__path__startswith=node.path)

    def search(self, text: str):
        folded = fold(text)
        return self.filter(name_folded__contains=folded) if folded else self


class Candidate(PersonalRecord, Versioned):
    """An outstanding non-member on the way to admission, and then through probation.

    `stage` is a cache kept by admission.domain; the dated rows (documents, votes,
    resolutions, decisions) and the dates below are the record.
    """

    education_exception = models.CharField(
        _("education exception"),
        max_length=20,
        choices=EducationException.choices,
        blank=True,
        help_text=_("Only for a candidate with primary education in the areas the rule names."),
    )
    education_exception_document = models.CharField(
        _("exception document"), max_length=100, blank=True
    )
    source = models.CharField(_("comes from"), max_length=16, choices=SourceOrganization.choices)
    branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    identified_on = models.DateField(_("identified on"))
    over_age_approval = models.CharField(
        _("approval for a candidate over 60"),
        max_length=100,
        blank=True,
        help_text=_("Number and date of the higher committee's approval."),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED, editable=False
    )
    course_date = models.DateField(_("course completed on"), null=True, blank=True)
    course_certificate = models.CharField(_("certificate number"), max_length=50, blank=True)
    verified_on = models.DateField(_("background verified on"), null=True, blank=True)
    verification_note = models.TextField(_("verification findings"), blank=True)
    decision_extended_on = models.DateField(
        _("decision deadline extended on"), null=True, blank=True
    )
    decision_extension_reason = models.CharField(
        _("reason for the extension"), max_length=200, blank=True
    )
    ceremony_date = models.DateField(_("admission ceremony"), null=True, blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidate_file",
        editable=False,
    )
    official_date = models.DateField(_("official member since"), null=True, blank=True)
    removal_proposed_on = models.DateField(_("removal proposed on"), null=True, blank=True)
    removal_reason = models.TextField(_("reason for the removal proposal"), blank=True)
    removal_document = models.CharField(_("proposal number"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_folded", "sort_key", "version"])

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidates")
        constraints = [
            models.CheckConstraint(
                condition=Q(identified_on__gt=F("date_of_birth")),
                name="candidate_identified_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(ceremony_date__isnull=True) | Q(ceremony_date__gte=F("identified_on")),
                name="candidate_ceremony_after_identified",
            ),
            models.CheckConstraint(
                condition=Q(official_date__isnull=True) | Q(official_date__gt=F("ceremony_date")),
                name="candidate_official_after_ceremony",
            ),
            models.UniqueConstraint(
                fields=["national_id"],
                condition=~Q(national_id=""),
                name="unique_candidate_national_id",
                violation_error_code="unique",  # the message goes on the field
                violation_error_message=NATIONAL_ID_REGISTERED,
            ),
        ]
        indexes = [
            # Pipeline board: counts by stage over a subtree (branch path prefix).
            models.Index(fields=["branch", "stage"], name="candidate_branch_stage_idx"),
            # Candidate lists: scoped by branch, sorted the Vietnamese way.
            models.Index(fields=["branch", "sort_key"], name="candidate_branch_sort_idx"),
        ]

    def get_absolute_url(self):
        return reverse("admission:detail", args=[self.pk])


class Introducer(ChoiceLabels, models.Model):
    """One of the two who help and introduce a candidate (3-KNĐ or 4-KNĐ)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="introducers")
    kind = models.CharField(
        _("introducer"),
        max_length=16,
        choices=IntroducerKind.choices,
        default=IntroducerKind.MEMBER,
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("party member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="introduced",
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("For a Youth Union committee.")
    )
    working_with_since = models.DateField(_("working with the candidate since"))
    assigned_on = models.DateField(_("assigned on"))
    released_on = models.DateField(_("replaced on"), null=True, blank=True)

    dated_fields = ("assigned_on", "released_on")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["assigned_on", "id"]
        indexes = [
            # The Youth Union introductions still open, which the checklist of every file
            # looks up (admission.queries.incomplete_files): without it, a scan of all
            # introducers (71,000 in a province, 4.5 ms).
            models.Index(
                fields=["candidate"],
                condition=Q(kind=IntroducerKind.YOUTH_UNION, released_on__isnull=True),
                name="open_youth_introducer_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=IntroducerKind.MEMBER) | Q(member__isnull=False),
                name="member_introducer_has_member",
            ),
            models.CheckConstraint(
                condition=ends_after_start_q("assigned_on", "released_on"),
                name="introducer_released_after_assigned",
            ),
        ]

    def __str__(self):
        return str(self.member) if self.member_id else self.name


class DossierDocument(ChoiceLabels, models.Model):
    """A dossier form held on file and checked: one row per candidate and form."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="documents")
    code = models.CharField(_("form"), max_length=16, choices=DocumentCode.choices)
    number = models.CharField(_("number"), max_length=50, blank=True)
    date = models.DateField(_("date"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "code"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "code"], name="one_document_per_form"),
        ]

    def __str__(self):
        return f"{self.get_code_display()} {self.number}"


# The vote's base: the official members, less those away on temporary transfer and the
# exempted members who were absent (partyorg.rules AdmissionRule.vote_base_excludes_away).
VOTE_BASE = F("official_members") - F("away") - F("exempted_absent")
TWO_THIRDS_AGREE = Q(GreaterThanOrEqual(F("agreeing") * 3, VOTE_BASE * 2))


class BranchVote(ChoiceLabels, models.Model):
    """A branch vote on admitting or converting a candidate; official members are counted
    from the dated memberships on the vote date."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="votes")
    kind = models.CharField(_("vote on"), max_length=16, choices=VoteKind.choices)
    date = models.DateField(_("vote date"))
    resolution_number = models.CharField(_("resolution number"), max_length=50, blank=True)
    official_members = models.PositiveSmallIntegerField(_("official members on that date"))
    away = models.PositiveSmallIntegerField(
        _("official members away on temporary transfer"), default=0
    )
    exempted_absent = models.PositiveSmallIntegerField(
        _("exempted members who were absent"), default=0
    )
    agreeing = models.PositiveSmallIntegerField(_("agreeing"))
    disagreeing = models.PositiveSmallIntegerField(_("disagreeing"))
    passed = models.BooleanField(_("passed"))
    rule_version = models.CharField(_("rule"), max_length=20, choices=RuleVersion.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreeing__lte=VOTE_BASE - F("disagreeing")),
                name="vote_not_more_than_members",
            ),
            # Passed means at least two thirds of the base agreed.
            models.CheckConstraint(
                condition=Q(TWO_THIRDS_AGREE, passed=True) | Q(~TWO_THIRDS_AGREE, passed=False),
                name="vote_passes_with_two_thirds",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date} {self.agreeing}/{self.base}"

    @property
    def base(self) -> int:
        """The members the two thirds are counted on."""
        return self.official_members - self.away - self.exempted_absent


class GrassrootsResolution(ChoiceLabels, models.Model):
    """The grassroots committee's resolution on the branch's proposal (8-KNĐ)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="grassroots_resolutions"
    )
    kind = models.CharField(max_length=16, choices=VoteKind.choices, default=VoteKind.ADMISSION)
    number = models.CharField(_("resolution number"), max_length=50)
    date = models.DateField(_("date"))
    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("grassroots committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "kind"], name="one_grassroots_resolution_per_kind"
            ),
        ]

    def __str__(self):
        return self.number


class AdmissionDecision(ChoiceLabels, models.Model):
    """The decision admitting a candidate (9-KNĐ) or converting a probationary member."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=16, choices=VoteKind.choices, default=VoteKind.ADMISSION)
    number = models.CharField(_("decision number"), max_length=50)
    date = models.DateField(_("date signed"))
    # The ceremony is due within 30 working days of this day (24-QĐ/TW 4.1).
    received_on = models.DateField(_("received by the branch on"), null=True, blank=True)
    issuing_body = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind"], name="one_decision_per_kind"),
        ]
        indexes = [
            # Admitted against target: decisions by kind and year.
            models.Index(fields=["kind", "date"], name="decision_kind_date_idx"),
        ]

    def __str__(self):
        return self.number


class AdmissionTarget(ChoiceLabels, models.Model):
    """How many admissions an organization plans for a year."""

    node = models.ForeignKey(
        OrganizationNode, on_delete=models.PROTECT, related_name="admission_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.PositiveIntegerField(_("target"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "year"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year"], name="one_target_per_node_year"),
        ]

    def __str__(self):
        return f"{self.node} {self.year}: {self.target}"


class KeptDeadline(models.Model):
    """The next deadline of an open file that has not been met, kept by
    admission.kept_deadlines with every change to the file, its votes and decisions, and
    for every file with each change to the holiday table: the lists of late files read
    these rows. A file with no deadline pending has none. `manage.py check_totals`
    computes them again and compares."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, primary_key=True, related_name="kept_deadline"
    )
    kind = models.CharField(max_length=16, choices=DeadlineKind.choices)
    due = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["due"], name="kept_deadline_due_idx")]

    def __str__(self):
        return f"{self.candidate_id}: {self.kind} {self.due}"
