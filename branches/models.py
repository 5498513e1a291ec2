from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from branches.enums import (
    BRANCH_KINDS,
    COMMITTEE_KINDS,
    AreaKind,
    DelegatedStep,
    NodeKind,
    Operation,
    RoleKind,
    Sector,
)
from partyorg.choices import ChoiceLabels
from partyorg.dated import DatedManager, DatedQuerySet, covers, ends_after_start_q

_DOCUMENT_ISSUER = {
    NodeKind.PROVINCE_COMMITTEE: "TU",
    NodeKind.DISTRICT_COMMITTEE: "HU",
    NodeKind.COMMUNE_COMMITTEE: "ĐU",
    NodeKind.GRASSROOTS_COMMITTEE: "ĐU",
    NodeKind.PARTIAL_COMMITTEE: "ĐU",
    NodeKind.GRASSROOTS_BRANCH: "CB",
    NodeKind.BRANCH: "CB",
    NodeKind.PARTY_CELL: "TĐ",
}


# The one rule for organization codes: they name the organization's pages
# (/tree/<code>/, whose converter takes anything but "/"), so only these characters.
NODE_CODE = RegexValidator(
    r"^[0-9A-Z][0-9A-Z.-]*\Z",
    _(
        "An organization code holds only letters A–Z, digits, dots and hyphens, and begins "
        "with a letter or a digit."
    ),
)
NODE_CODE_TAKEN = _("An organization with this code exists already.")


def normalize_node_code(value: str) -> str:
    """Codes are compared and stored in upper case, without surrounding spaces."""
    return value.strip().upper()


class OrganizationNodeQuerySet(DatedQuerySet, MP_NodeQuerySet):
    pass


class OrganizationNodeManager(MP_NodeManager.from_queryset(OrganizationNodeQuerySet)):
    def get_queryset(self):
        # MP_NodeManager builds its own queryset class; this one also knows the dates.
        return OrganizationNodeQuerySet(self.model, using=self._db).order_by("path")


class OrganizationNode(ChoiceLabels, MP_Node):
    """One party organization of any level. The tree as it stands today.

    Past shapes of the tree are kept in NodePlacement; restructuring goes through
    branches.domain so both stay in step. Siblings are not kept sorted: a sorted insert
    would rewrite the paths of existing siblings behind the placements' back.
    """

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[NODE_CODE],
        error_messages={"unique": NODE_CODE_TAKEN},
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=NodeKind.choices)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    place_name = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_("Printed before the date on documents, e.g. “Nam Đông”."),
    )
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    dated_fields = ("established_on", "dissolved_on")
    objects = OrganizationNodeManager()
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        constraints = [
            models.CheckConstraint(
                condition=ends_after_start_q("established_on", "dissolved_on"),
                name="node_dissolved_after_established",
            ),
            # Codes are stored in upper case; this keeps out a copy in other case that a
            # write around the model (an update, a bulk load) might bring.
            models.UniqueConstraint(
                Upper("code"),
                name="node_code_unique_ignoring_case",
                violation_error_message=NODE_CODE_TAKEN,
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = normalize_node_code(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organizations:node_detail", args=[self.code])

    def clean_fields(self, exclude=None):
        # Normalized before the field validators see it (forms and admin).
        self.code = normalize_node_code(self.code)
        super().clean_fields(exclude=exclude)

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def is_committee(self) -> bool:
        return self.kind in COMMITTEE_KINDS

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    @property
    def document_issuer_symbol(self) -> str:
        return _DOCUMENT_ISSUER[self.kind]


class NodePlacement(ChoiceLabels, models.Model):
    """Where a node stood in the tree over a period: the dated history of the tree.

    `path` is the node's materialized path during the period, so the subtree of a past
    date is one prefix query: path LIKE 'prefix%' AND valid_from <= d AND (valid_to > d
    OR valid_to IS NULL). Placements are closed, never deleted; their history rows say
    who opened and closed each one, and when.
    """

    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    parent = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    path = models.CharField(max_length=255)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    # A node moved twice on one day keeps the placement between the moves, opened and
    # closed on that day: it covers no day, and .on()/.during() leave it out.
    dated_fields = ("valid_from", "valid_to")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place in the tree")
        verbose_name_plural = _("places in the tree")
        constraints = [
            models.CheckConstraint(
                condition=ends_after_start_q("valid_from", "valid_to"),
                name="placement_ends_at_or_after_start",
            ),
            models.UniqueConstraint(
                fields=["node"],
                condition=Q(valid_to__isnull=True),
                name="one_open_placement_per_node",
            ),
        ]
        indexes = [
            # Subtree-as-of queries: prefix match on path, then the date window.
            models.Index(
                fields=["path", "valid_from"],
                name="placement_path_from_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.node} {self.valid_from}–{self.valid_to or ''}"


class NodeName(ChoiceLabels, models.Model):
    """A name and kind a node had over a past period, closed when it was renamed or its
    kind changed. The node's own name and kind hold from the last period's end on, so a
    node never renamed has no row. A report of a past day reads the row covering it."""

    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="past_names",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=NodeKind.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"))

    dated_fields = ("valid_from", "valid_to")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "valid_from"]
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=F("valid_from")), name="node_name_ends_after_start"
            ),
            models.UniqueConstraint(fields=["node", "valid_to"], name="one_node_name_per_end"),
        ]

    def __str__(self):
        return f"{self.name} {self.valid_from}–{self.valid_to}"


class RestructuringStep(ChoiceLabels, models.Model):
    """One row of an applied restructuring plan, as the spreadsheet gave it. The plan is
    the steps whose history rows name the same import; those rows say who applied it."""

    row = models.PositiveIntegerField(_("row"))
    # The organization created or merged into, else the first one acted on: whose
    # subtree's audit trail lists the step.
    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    operation = models.CharField(_("operation"), max_length=16, choices=Operation.choices)
    old_codes = models.CharField(_("old codes"), max_length=500, blank=True)
    new_code = models.CharField(_("new code"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=NodeKind.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    parent_code = models.CharField(_("parent code"), max_length=32, blank=True)
    # A split's or dissolution's row: what its receiving organization receives (codes of
    # organizations below, member numbers, residential-area codes); empty for the rest.
    parts = models.TextField(_("parts received"), blank=True)
    on = models.DateField(_("effective date"))
    document_number = models.CharField(_("decision number"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("restructuring step")
        verbose_name_plural = _("restructuring steps")

    def __str__(self):
        return f"{self.get_operation_display()} {self.old_codes} → {self.new_code}"

    @property
    def old_code_list(self) -> list[str]:
        return _code_list(self.old_codes)

    @property
    def part_list(self) -> list[str]:
        return _code_list(self.parts)


def _code_list(text: str) -> list[str]:
    return [c.strip().upper() for c in text.split(",") if c.strip()]


class ResidentialArea(ChoiceLabels, models.Model):
    """A village or residential group (thôn, tổ dân phố) and the branch that covers it
    today; AreaCoverage keeps which branch covered it on a past day. The two change
    together through branches.domain.cover_areas."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=AreaKind.choices)
    branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("covering branch"),
        on_delete=models.PROTECT,
        related_name="residential_areas",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("residential area")
        verbose_name_plural = _("residential areas")

    def __str__(self):
        return self.name


class AreaCoverage(ChoiceLabels, models.Model):
    """Which branch covered a residential area over a period: the dated history of
    ResidentialArea.branch, as NodePlacement is of the tree. A report of a past year counts
    the areas whose coverage on its day is by a branch of its subtree. Closed when
    another branch takes the area over (a merge, a split, an import), never deleted."""

    area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("residential area"),
        on_delete=models.PROTECT,
        related_name="coverages",
    )
    branch = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("covering branch"),
        on_delete=models.PROTECT,
        related_name="area_coverages",
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    dated_fields = ("valid_from", "valid_to")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "valid_from"]
        verbose_name = _("coverage of a residential area")
        verbose_name_plural = _("coverage of residential areas")
        constraints = [
            models.CheckConstraint(
                condition=ends_after_start_q("valid_from", "valid_to"),
                name="area_coverage_ends_at_or_after_start",
            ),
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(valid_to__isnull=True),
                name="one_open_coverage_per_area",
            ),
        ]
        indexes = [
            # The report's areas of a subtree on a day: the branches, then the dates.
            models.Index(fields=["branch", "valid_from"], name="area_coverage_branch_idx"),
        ]

    def __str__(self):
        return f"{self.area} {self.valid_from}–{self.valid_to or ''}"


class ResidentialAreaYear(ChoiceLabels, models.Model):
    """Households and population of a residential area for one year."""

    area = models.ForeignKey(ResidentialArea, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    households = models.PositiveIntegerField(_("households"))
    population = models.PositiveIntegerField(_("population"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-year"]
        verbose_name = _("households and population")
        verbose_name_plural = _("households and population")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="one_figure_per_area_year"),
            models.CheckConstraint(
                condition=Q(population__gte=F("households")), name="population_at_least_households"
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.year}"


class UserRole(ChoiceLabels, models.Model):
    """The one node a user works on and what they may do in its subtree, from `started_on`
    until the day before `ended_on`. A role given anew replaces this row; its history
    table keeps the earlier roles, with who gave and ended them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_role"
    )
    node = models.ForeignKey(OrganizationNode, on_delete=models.PROTECT, related_name="user_roles")
    role = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)
    started_on = models.DateField(_("role held from"), default=timezone.localdate)
    ended_on = models.DateField(_("role held until"), null=True, blank=True)

    dated_fields = ("started_on", "ended_on")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user role")
        constraints = [
            models.CheckConstraint(
                condition=ends_after_start_q("started_on", "ended_on"),
                name="user_role_ends_after_start",
            ),
        ]
        verbose_name_plural = _("user roles")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.node}"

    def is_held_on(self, day) -> bool:
        return covers(self.started_on, self.ended_on, day)

    @property
    def can_write(self) -> bool:
        return self.role in {RoleKind.OFFICER, RoleKind.SECRETARY}

    @property
    def own_record_only(self) -> bool:
        """A member's own account: its node says who manages it, not what it sees."""
        return self.role == RoleKind.MEMBER


class PasswordChange(ChoiceLabels, models.Model):
    """A password set for an account: by its owner, or by an officer or superuser over it.
    The password itself is not kept; the history table keeps the record of who and when."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="password_changes",
    )
    # The account's node then, so the audit trail of that subtree lists the change.
    node = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("set at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("password change")
        verbose_name_plural = _("password changes")

    def __str__(self):
        return f"{self.account} — {self.changed_by} — {self.changed_at:%d/%m/%Y %H:%M}"


class Delegation(ChoiceLabels, models.Model):
    """A committee above grassroots organizations handing one of its decisions to a
    grassroots committee under it (ủy quyền, DOMAIN.md §11), by a document, from
    `start_date` until the day before `end_date`. branches.competence reads it."""

    delegating = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("delegating committee"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        OrganizationNode,
        verbose_name=_("grassroots committee"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    step = models.CharField(_("decision"), max_length=32, choices=DelegatedStep.choices)
    document = models.CharField(_("delegating document"), max_length=50)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    dated_fields = ("start_date", "end_date")
    objects = DatedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=ends_after_start_q("start_date", "end_date"),
                name="delegation_ends_at_or_after_start",
            ),
        ]
        indexes = [
            # Competence: the delegations a committee gave for a step, on a day.
            models.Index(fields=["delegating", "step", "start_date"], name="delegation_lookup_idx"),
        ]

    def __str__(self):
        return f"{self.delegating} → {self.delegate} ({self.get_step_display()})"
