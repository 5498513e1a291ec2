import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import OrganizationNode, ResidentialArea
from members.enums import (
    ACTIVE_STATUSES,
    AGE_BAND_LIMITS,
    AgeBand,
    Ethnicity,
    EventKind,
    Gender,
    GeneralEducation,
    MembershipKind,
    MemberStatus,
    Occupation,
    PoliticalTheory,
    PositionRole,
    Qualification,
    Religion,
)
from partyorg.choices import ChoiceLabels
from partyorg.dated import DatedManager, add_years, ends_after_start_q
from partyorg.locking import Versioned
from partyorg.text import fold, normalize_text, vietnamese_sort_key
from partyorg.validators import NATIONAL_ID

# A member number is part of the member's URL: letters, digits, dots and hyphens only.
MEMBER_NUMBER = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.-]*\Z",
    _("A member number holds only letters, digits, dots and hyphens."),
)

# Said of a number someone else holds, whoever and wherever they are: naming the holder
# would tell a user about people outside their part of the tree.
NATIONAL_ID_REGISTERED = _("This national ID number is already registered.")
PARTY_CARD_REGISTERED = _("This party card number is already registered.")
MEMBER_NUMBER_REGISTERED = _("This member number is already registered.")


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
            filters &= Q(date_of_birth__gt=add_years(on, -(highest + 1)))
        if lowest is not None:
            filters &= Q(date_of_birth__lte=add_years(on, -lowest))
        return self.filter(filters)


class PersonalRecord(ChoiceLabels, models.Model):
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
    national_id = models.CharField(
        _("national ID"), max_length=12, blank=True, validators=[NATIONAL_ID]
    )
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
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def refresh_name_keys(self):
        """Recompute the search and sort keys; bulk paths call this before bulk_create."""
        self.name_folded = fold(self.full_name)
        self.sort_key = vietnamese_sort_key(self.full_name)


# What a person fills in on a personal record, in the order forms and templates show it
# (the name keys are derived from the name).
PERSONAL_FIELDS = [field.name for field in PersonalRecord._meta.local_fields if field.editable]


class Member(PersonalRecord, Versioned):
    """A party member's record. Status and branch are caches kept by members.domain;
    the dated StatusEvent and Membership rows are the source of truth."""

    member_number = models.CharField(
        _("member number"),
        max_length=20,
        unique=True,
        validators=[MEMBER_NUMBER],
        error_messages={"unique": MEMBER_NUMBER_REGISTERED},
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
    # No page looks history up by member number: its index cost every import's writes.
    history = HistoricalRecords(
        excluded_fields=["name_folded", "sort_key", "updated_at", "version"],
        no_db_index=["member_number"],
    )

    class Meta:
        ordering = ["sort_key", "member_number"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            # Code "unique": model validation puts the message on the field.
            models.UniqueConstraint(
                fields=["party_card_number"],
                condition=~Q(party_card_number=""),
                name="unique_party_card_number",
                violation_error_code="unique",
                violation_error_message=PARTY_CARD_REGISTERED,
            ),
            models.UniqueConstraint(
                fields=["national_id"],
                condition=~Q(national_id=""),
                name="unique_national_id",
                violation_error_code="unique",
                violation_error_message=NATIONAL_ID_REGISTERED,
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
            # page reads 50 index entries instead of sorting every member of the scope,
            # and a later page finds its ids in the index alone (partyorg.pagination).
            models.Index(
                fields=["sort_key", "member_number"],
                include=["id", "branch", "status"],
                name="member_sort_idx",
            ),
            # Counts of a scope's members by status (list pages, tree, home page figures)
            # answered from the index alone.
            models.Index(fields=["branch", "status"], name="member_branch_status_idx"),
            # Members admitted in a year (admission targets) or before a badge milestone
            # (the badge list): a range of dates rather than every member of the scope.
            models.Index(fields=["admission_decision_date"], name="member_admission_idx"),
        ]

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.member_number])


class Membership(ChoiceLabels, models.Model):
    """Which branch a member belonged to, and from when to when."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    # membership_window_idx starts with the branch.
    branch = models.ForeignKey(
        OrganizationNode, on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    kind = models.CharField(
        max_length=16, choices=MembershipKind.choices, default=MembershipKind.HOME
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    dated_fields = ("start_date", "end_date")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=ends_after_start_q("start_date", "end_date"),
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


class StatusEvent(ChoiceLabels, models.Model):
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

    # Nothing looks history up by who recorded the event (the history's own user is kept).
    history = HistoricalRecords(no_db_index=["recorded_by"])

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        indexes = [models.Index(fields=["kind", "date"], name="event_kind_date_idx")]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()} {self.date}"


class Position(ChoiceLabels, models.Model):
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

    dated_fields = ("start_date", "end_date")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=ends_after_start_q("start_date", "end_date"),
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
