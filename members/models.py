import datetime
import functools
import operator

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode, ResidentialArea
from members.enums import (
    ACTIVE_STATUSES,
    AGE_BAND_LIMITS,
    BADGE_AWARD_DAYS,
    BADGE_YEARS,
    AgeBand,
    DuesBasis,
    Ethnicity,
    EvaluationLevel,
    EventKind,
    Gender,
    GeneralEducation,
    MembershipKind,
    MemberStatus,
    NotClassifiedReason,
    Occupation,
    PoliticalTheory,
    PositionRole,
    Qualification,
    Religion,
    TransferKind,
    TransferState,
)
from partyorg.text import fold, normalize_text, vietnamese_sort_key

# A member number is part of the member's URL: letters, digits, dots and hyphens only.
MEMBER_NUMBER = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.-]*\Z",
    _("A member number holds only letters, digits, dots and hyphens."),
)


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def in_subtree(self, node: OrganizationNode):
        return self.filter(branch__path__startswith=node.path)

    def search(self, text: str):
        """Name search that ignores diacritics and case; a member number matches exactly."""
        folded = fold(text)
        if not folded:
            return self
        return self.filter(Q(name_folded__contains=folded) | Q(member_number=text.strip()))

    def in_age_band(self, band: str, on: datetime.date):
        """Members whose age in whole years on `on` falls in `band`."""
        lowest, highest = AGE_BAND_LIMITS[AgeBand(band)]
        filters = Q()
        if highest is not None:
            # Age <= highest  <=>  born after `on` minus (highest + 1) years.
            filters &= Q(date_of_birth__gt=_years_before(on, highest + 1))
        if lowest is not None:
            filters &= Q(date_of_birth__lte=_years_before(on, lowest))
        return self.filter(filters)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class PersonalRecord(models.Model):
    """The personal data (DOMAIN.md §3) a member record and a candidate file share, with
    the keys that make name search ignore diacritics and lists sort the Vietnamese way."""

    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"))
    ethnicity = models.CharField(
        _("ethnicity"), max_length=16, choices=Ethnicity.choices, default=Ethnicity.KINH
    )
    religion = models.CharField(
        _("religion"), max_length=16, choices=Religion.choices, default=Religion.NONE
    )
    hometown = models.CharField(_("hometown"), max_length=200, blank=True)
    residence = models.CharField(_("residence"), max_length=200, blank=True)
    national_id = models.CharField(_("national ID"), max_length=12, blank=True)
    general_education = models.CharField(
        _("general education"), max_length=20, choices=GeneralEducation.choices
    )
    qualification = models.CharField(
        _("professional qualification"),
        max_length=16,
        choices=Qualification.choices,
        default=Qualification.NONE,
    )
    political_theory = models.CharField(
        _("political theory"),
        max_length=16,
        choices=PoliticalTheory.choices,
        default=PoliticalTheory.NONE,
    )
    occupation = models.CharField(_("occupation"), max_length=16, choices=Occupation.choices)
    # Searched with "contains", which a B-tree cannot serve: on PostgreSQL the trigram
    # index of members migration 0004 does for members.
    name_folded = models.CharField(max_length=120, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        self.refresh_name_keys()
        super().save(*args, **kwargs)

    @property
    def age(self) -> int:
        today = datetime.date.today()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def refresh_name_keys(self):
        """Recompute the search and sort keys; bulk paths call this before bulk_create."""
        self.name_folded = fold(self.full_name)
        self.sort_key = vietnamese_sort_key(self.full_name)


class Member(PersonalRecord):
    """A party member's record. Status and branch are caches kept by members.domain;
    the dated StatusEvent and Membership rows are the source of truth."""

    member_number = models.CharField(
        _("member number"), max_length=20, unique=True, validators=[MEMBER_NUMBER]
    )
    party_card_number = models.CharField(_("party card number"), max_length=20, blank=True)
    admission_decision_date = models.DateField(_("admission decision date"))
    admission_date = models.DateField(_("admission ceremony date"))
    official_date = models.DateField(_("official member since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MemberStatus.choices, editable=False
    )
    # No index of its own: member_branch_sort_idx and member_branch_status_idx start
    # with it, and every index costs an import time on each member written.
    branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="members",
        editable=False,
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_folded", "sort_key", "updated_at"])

    class Meta:
        ordering = ["sort_key", "member_number"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            models.UniqueConstraint(
                fields=["party_card_number"],
                condition=~Q(party_card_number=""),
                name="unique_party_card_number",
            ),
            models.UniqueConstraint(
                fields=["national_id"], condition=~Q(national_id=""), name="unique_national_id"
            ),
            models.CheckConstraint(
                condition=Q(admission_date__gte=F("admission_decision_date")),
                name="ceremony_not_before_decision",
            ),
            models.CheckConstraint(
                condition=Q(admission_decision_date__gt=F("date_of_birth")),
                name="admitted_after_birth",
            ),
        ]
        indexes = [
            # Member lists: scoped by branch, sorted the Vietnamese way.
            models.Index(fields=["branch", "sort_key"], name="member_branch_sort_idx"),
            models.Index(fields=["status"], name="member_status_idx"),
            # The member list of a province or district in its default order: the first
            # page reads 50 index entries instead of sorting every member of the scope.
            models.Index(fields=["sort_key", "member_number"], name="member_sort_idx"),
            # Counts of a scope's members by status (list pages, tree, home page figures)
            # answered from the index alone.
            models.Index(fields=["branch", "status"], name="member_branch_status_idx"),
        ]

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.member_number])


class Membership(models.Model):
    """Which branch a member belonged to, and from when to when."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    branch = models.ForeignKey(
        OrganizationNode, on_delete=models.PROTECT, related_name="memberships"
    )
    kind = models.CharField(
        max_length=16, choices=MembershipKind.choices, default=MembershipKind.HOME
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(end_date__isnull=True, kind=MembershipKind.HOME),
                name="one_open_home_membership_per_member",
            ),
        ]
        indexes = [
            # "Who was in this branch on date d": branch, then the date window.
            models.Index(fields=["branch", "start_date", "end_date"], name="membership_window_idx"),
        ]

    def __str__(self):
        return f"{self.member} @ {self.branch} {self.start_date}–{self.end_date or ''}"


class StatusEvent(models.Model):
    """A dated change of a member's standing, with the document that decided it."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    from_branch = models.ForeignKey(
        OrganizationNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_branch = models.ForeignKey(
        OrganizationNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["kind", "date"], name="event_kind_date_idx")]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()} {self.date}"


class Position(models.Model):
    """A post held over a period: a party post on a node, or a concurrent role in an area."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(_("position"), max_length=24, choices=PositionRole.choices)
    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    residential_area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(node__isnull=False) | Q(residential_area__isnull=False),
                name="position_has_a_place",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_role_display()}"


# ---------------------------------------------------------------------------
# Transfer
# ---------------------------------------------------------------------------


class Transfer(models.Model):
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
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("accepted_on")),
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
        return reverse("members:transfer_detail", args=[self.pk])

    @property
    def origin_name(self) -> str:
        return self.from_branch.name if self.from_branch_id else self.from_outside

    @property
    def destination_name(self) -> str:
        return self.to_branch.name if self.to_branch_id else self.to_outside

    @property
    def is_late(self) -> bool:
        """Presented after the 30 working days, or still waiting past them."""
        presented = self.accepted_on or datetime.date.today()
        return self.state in {TransferState.PENDING, TransferState.ACCEPTED} and (
            presented > self.present_by
        )

    @property
    def requested_late(self) -> bool:
        return self.request_due is not None and self.letter_date > self.request_due


# ---------------------------------------------------------------------------
# Evaluation + EvaluationRule
# ---------------------------------------------------------------------------


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


class EvaluationFields(models.Model):
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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

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


class DuesRule(models.Model):
    """A version of the dues rule, in force for the months from its date on."""

    regulation = models.CharField(_("regulation"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    effective_from = models.DateField(_("in force from"), unique=True)
    salary_permille = models.PositiveSmallIntegerField(
        _("salary rate (‰)"), default=10, help_text=_("Per mille of the insured salary.")
    )
    pension_permille = models.PositiveSmallIntegerField(_("pension rate (‰)"), default=5)
    student_amount = models.PositiveIntegerField(_("student amount (đ)"), default=5000)
    flat_amount = models.PositiveIntegerField(
        _("amount without salary or pension (đ)"),
        default=5000,
        help_text=_("Unconfirmed: set it to the amount the rule gives."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("dues rule")
        verbose_name_plural = _("dues rules")

    def __str__(self):
        return self.regulation


class Dues(models.Model):
    """A member's dues for one month: what the rule asks, the voluntary extra, the payment."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues")
    branch = models.ForeignKey(OrganizationNode, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    rule = models.ForeignKey(DuesRule, on_delete=models.PROTECT, related_name="+")
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

    history = HistoricalRecords()

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
            # Unpaid months per member in a year (removal rule).
            models.Index(fields=["year", "member"], name="dues_year_member_idx"),
        ]

    def __str__(self):
        return f"{self.member} {self.month:02d}/{self.year}"

    @property
    def total(self) -> int:
        return self.amount_due + self.extra


# ---------------------------------------------------------------------------
# BadgeAward
# ---------------------------------------------------------------------------


class BadgeAward(models.Model):
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
