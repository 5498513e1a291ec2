"""The kinds of record on the audit page: one for every model that keeps a history.

The list of models comes from django-simple-history's registry, so a model given a
history later is on the page or stops the start: each needs a description here (how its
rows are scoped to a subtree, named and linked), and building KINDS fails naming the
models without one.
"""

import dataclasses
import functools
import json
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField, DateField, F, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import registered_models

from admission.models import (
    AdmissionDecision,
    AdmissionTarget,
    BranchVote,
    Candidate,
    DossierDocument,
    GrassrootsResolution,
    Introducer,
)
from branches.models import (
    AreaCoverage,
    Delegation,
    NodeName,
    NodePlacement,
    OrganizationNode,
    PasswordChange,
    ResidentialArea,
    ResidentialAreaYear,
    RestructuringStep,
    UserRole,
)
from branchwork.models import (
    Attendance,
    BadgeAward,
    Dues,
    Evaluation,
    Inspection,
    Meeting,
    MeetingGuest,
    MeetingNotice,
    NoticeFile,
    NoticeFileOpening,
    OrganizationEvaluation,
)
from members.models import Member, Membership, PersonAccount, Position, StatusEvent, Transfer
from papers.models import Document, ScannedCopy
from partyorg.enums import ExportKind
from partyorg.models import DeletedUpload, ExportRecord, Holiday, PreparedExport
from personal.models import ReminderSettings


def under(*lookups: str) -> Callable[[OrganizationNode], Q]:
    """Rows whose node at any of the `lookups` (paths) lies in the subtree."""

    def inside(root: OrganizationNode) -> Q:
        found = Q()
        for lookup in lookups:
            found |= Q(**{f"{lookup}__startswith": root.path})
        return found

    return inside


def everywhere(root: OrganizationNode) -> Q:
    """Rules and the holiday calendar apply to every subtree alike."""
    return Q()


def nodes_under(root: OrganizationNode) -> Q:
    """Organizations themselves: their history rows keep no path."""
    return Q(id__in=OrganizationNode.objects.filter(path__startswith=root.path).values("id"))


def _export_note(row: dict) -> str:
    filters = row["ref"]
    if isinstance(filters, str):
        filters = json.loads(filters or "{}")
    parts = [f"{name}: {value}" for name, value in sorted(filters.items())]
    if row["ref2"]:
        rows = formats.number_format(row["ref2"], force_grouping=True)
        parts.insert(0, ngettext("%(n)s row", "%(n)s rows", row["ref2"]) % {"n": rows})
    return " · ".join(parts)


def _upload_note(row: dict) -> str:
    return _("import #%(number)s") % {"number": row["ref2"]} if row["ref2"] else ""


@dataclasses.dataclass(frozen=True)
class Kind:
    """One audited model: how its history rows are scoped, labelled and linked."""

    key: str
    model: type
    label: object
    scope: Callable[[OrganizationNode], Q]  # the rows of a subtree
    name: object  # who or what the record is about
    place: object = Value("")  # the organization it belongs to
    ref: object = Value("")  # text the record's link (or note) needs
    ref2: object = F("id")  # number the record's link (or note) needs
    day: object = Cast(Value(None), DateField())
    link: str = ""
    link_args: tuple[str, ...] = ()  # which of "ref", "ref2" the link takes
    note: Callable[[dict], str] | None = None  # a line under the change, from the row
    names: dict | None = None  # labels of the values `name` gives
    created: object = _("Created")  # what a "+" row says

    @functools.cached_property
    def history_model(self) -> type:
        # Read once: each access to `model.history` builds a manager class.
        return self.model.history.model

    def url(self, ref: str, ref2: int) -> str:
        if not self.link:
            return ""
        values = {"ref": ref, "ref2": ref2}
        return reverse(self.link, args=[values[arg] for arg in self.link_args])


MEMBER_LINK = {"link": "members:detail", "link_args": ("ref",)}
NODE_LINK = {"link": "organizations:node_detail", "link_args": ("ref",)}
CANDIDATE_LINK = {"link": "admission:detail", "link_args": ("ref2",), "ref2": F("candidate_id")}
MEETING_LINK = {"link": "meetings:detail", "link_args": ("ref", "ref2")}
NOTICE_LINK = {"link": "meetings:notice", "link_args": ("ref", "ref2")}


def _candidate_part(key, model, label, **extra) -> Kind:
    """A step of an admission file: scoped, named and linked by its candidate."""
    return Kind(
        key,
        model,
        label,
        under("candidate__branch__path"),
        F("candidate__full_name"),
        F("candidate__branch__name"),
        **{**CANDIDATE_LINK, **extra},
    )


def _export_part(key, model, label, **extra) -> Kind:
    """Records of an export (each download, a prepared file): scoped and named by the
    user who asked and what they exported, noted with its rows and filters."""
    return Kind(
        key,
        model,
        label,
        under("user__party_role__node__path"),
        F("kind"),
        F("user__party_role__node__name"),
        ref=Cast(F("filters"), TextField()),
        ref2=F("rows"),
        note=_export_note,
        names=dict(ExportKind.choices),
        **extra,
    )


DESCRIPTIONS = [
    Kind(
        "member",
        Member,
        _("Member record"),
        under("branch__path"),
        F("full_name"),
        F("branch__name"),
        ref=F("member_number"),
        **MEMBER_LINK,
    ),
    Kind(
        "membership",
        Membership,
        _("Branch membership"),
        under("branch__path"),
        F("member__full_name"),
        F("branch__name"),
        ref=F("member__member_number"),
        day=F("start_date"),
        **MEMBER_LINK,
    ),
    Kind(
        "status_event",
        StatusEvent,
        _("Status event"),
        under("member__branch__path", "from_branch__path", "to_branch__path"),
        F("member__full_name"),
        F("member__branch__name"),
        ref=F("member__member_number"),
        day=F("date"),
        **MEMBER_LINK,
    ),
    Kind(
        "position",
        Position,
        _("Position"),
        under("node__path", "residential_area__branch__path", "member__branch__path"),
        F("member__full_name"),
        Coalesce(F("node__name"), F("residential_area__name")),
        ref=F("member__member_number"),
        day=F("start_date"),
        **MEMBER_LINK,
    ),
    Kind(
        "transfer",
        Transfer,
        _("Transfer"),
        under("from_branch__path", "to_branch__path"),
        F("member__full_name"),
        Coalesce(F("from_branch__name"), F("to_branch__name")),
        link="record_work:transfer_detail",
        link_args=("ref2",),
    ),
    Kind(
        "badge",
        BadgeAward,
        _("Party badge"),
        under("member__branch__path"),
        F("member__full_name"),
        F("member__branch__name"),
        ref=F("member__member_number"),
        day=F("award_date"),
        **MEMBER_LINK,
    ),
    Kind(
        "dues",
        Dues,
        _("Monthly dues"),
        under("branch__path"),
        F("member__full_name"),
        F("branch__name"),
        ref=F("member__member_number"),
        **MEMBER_LINK,
    ),
    Kind(
        "evaluation",
        Evaluation,
        _("Member evaluation"),
        under("branch__path"),
        F("member__full_name"),
        F("branch__name"),
        ref=F("branch__code"),
        ref2=F("year"),
        link="record_work:evaluation_members",
        link_args=("ref", "ref2"),
    ),
    Kind(
        "organization_evaluation",
        OrganizationEvaluation,
        _("Organization evaluation"),
        under("node__path"),
        F("node__name"),
        F("node__name"),
        ref=F("node__code"),
        **NODE_LINK,
    ),
    Kind(
        "candidate",
        Candidate,
        _("Admission candidate"),
        under("branch__path"),
        F("full_name"),
        F("branch__name"),
        link="admission:detail",
        link_args=("ref2",),
    ),
    _candidate_part("document", DossierDocument, _("Dossier document"), day=F("date")),
    _candidate_part("introducer", Introducer, _("Introducer"), day=F("assigned_on")),
    _candidate_part("branch_vote", BranchVote, _("Branch vote on a candidate"), day=F("date")),
    _candidate_part(
        "grassroots_resolution",
        GrassrootsResolution,
        _("Grassroots resolution on a candidate"),
        day=F("date"),
    ),
    _candidate_part(
        "admission_decision", AdmissionDecision, _("Admission decision"), day=F("date")
    ),
    Kind(
        "admission_target",
        AdmissionTarget,
        _("Admission target"),
        under("node__path"),
        F("node__name"),
        F("node__name"),
        ref=F("node__code"),
        **NODE_LINK,
    ),
    Kind(
        "meeting",
        Meeting,
        _("Meeting minutes"),
        under("branch__path"),
        F("topic"),
        F("branch__name"),
        ref=F("branch__code"),
        day=F("date"),
        **MEETING_LINK,
    ),
    Kind(
        "attendance",
        Attendance,
        _("Meeting attendance"),
        under("meeting__branch__path"),
        F("member__full_name"),
        F("meeting__branch__name"),
        ref=F("meeting__branch__code"),
        ref2=F("meeting_id"),
        day=F("meeting__date"),
        **MEETING_LINK,
    ),
    Kind(
        "meeting_guest",
        MeetingGuest,
        _("Meeting guest"),
        under("meeting__branch__path"),
        F("name"),
        F("meeting__branch__name"),
        ref=F("meeting__branch__code"),
        ref2=F("meeting_id"),
        day=F("meeting__date"),
        **MEETING_LINK,
    ),
    Kind(
        "meeting_notice",
        MeetingNotice,
        _("Documents before a meeting"),
        under("branch__path"),
        F("agenda"),
        F("branch__name"),
        ref=F("branch__code"),
        day=F("meeting_date"),
        **NOTICE_LINK,
    ),
    Kind(
        "notice_file",
        NoticeFile,
        _("File of a meeting's documents"),
        under("notice__branch__path"),
        F("name"),
        F("notice__branch__name"),
        ref=F("notice__branch__code"),
        ref2=F("notice_id"),
        day=F("notice__meeting_date"),
        **NOTICE_LINK,
    ),
    Kind(
        "notice_file_opening",
        NoticeFileOpening,
        _("Meeting document opened"),
        under("file__notice__branch__path"),
        Concat(F("member__full_name"), Value(" — "), F("file__name")),
        F("file__notice__branch__name"),
        ref=F("file__notice__branch__code"),
        ref2=F("file__notice_id"),
        day=F("file__notice__meeting_date"),
        **NOTICE_LINK,
    ),
    Kind(
        "inspection",
        Inspection,
        _("Inspection"),
        under("inspecting_node__path", "inspected_node__path"),
        F("subject"),
        F("inspecting_node__name"),
        ref=F("inspecting_node__code"),
        day=F("date"),
        link="record_work:inspections",
        link_args=("ref",),
    ),
    Kind(
        "issued_document",
        Document,
        _("Document"),
        under("node__path"),
        F("summary"),
        F("node__name"),
        ref2=F("id"),
        day=F("issued_on"),
        link="papers:document",
        link_args=("ref2",),
    ),
    Kind(
        "scanned_copy",
        ScannedCopy,
        _("Scanned signed copy"),
        under("document__node__path"),
        F("document__summary"),
        F("document__node__name"),
        ref2=F("document_id"),
        link="papers:document",
        link_args=("ref2",),
    ),
    Kind(
        "node",
        OrganizationNode,
        _("Party organization"),
        nodes_under,
        F("name"),
        ref=F("code"),
        **NODE_LINK,
    ),
    Kind(
        "placement",
        NodePlacement,
        _("Place in the tree"),
        under("path"),
        F("node__name"),
        F("parent__name"),
        ref=F("node__code"),
        day=F("valid_from"),
        **NODE_LINK,
    ),
    Kind(
        "restructuring_step",
        RestructuringStep,
        _("Restructuring step"),
        under("node__path"),
        Concat(F("operation"), Value(" "), F("old_codes"), Value(" → "), F("new_code")),
        F("node__name"),
        ref=F("node__code"),
        day=F("on"),
        **NODE_LINK,
    ),
    Kind(
        "former_name",
        NodeName,
        _("Former name"),
        under("node__path"),
        F("name"),
        F("node__name"),
        ref=F("node__code"),
        day=F("valid_to"),
        **NODE_LINK,
    ),
    Kind(
        "area",
        ResidentialArea,
        _("Residential area"),
        under("branch__path"),
        F("name"),
        F("branch__name"),
        ref=F("branch__code"),
        **NODE_LINK,
    ),
    Kind(
        "area_coverage",
        AreaCoverage,
        _("Coverage of a residential area"),
        under("branch__path", "area__branch__path"),
        F("area__name"),
        F("branch__name"),
        ref=F("branch__code"),
        day=F("valid_from"),
        **NODE_LINK,
    ),
    Kind(
        "area_year",
        ResidentialAreaYear,
        _("Households and population"),
        under("area__branch__path"),
        Concat(F("area__name"), Value(" "), Cast(F("year"), CharField())),
        F("area__branch__name"),
        ref=F("area__branch__code"),
        **NODE_LINK,
    ),
    Kind(
        "delegation",
        Delegation,
        _("Delegated decision"),
        under("delegating__path"),
        Concat(F("delegate__name"), Value(" — "), F("document")),
        F("delegating__name"),
        ref=F("delegating__code"),
        day=F("start_date"),
        **NODE_LINK,
    ),
    Kind(
        "user_role",
        UserRole,
        _("User role"),
        under("node__path"),
        F("user__username"),
        F("node__name"),
    ),
    Kind(
        "person_account",
        PersonAccount,
        _("Account of a member"),
        under("member__branch__path"),
        Concat(F("member__full_name"), Value(" — "), F("account__username")),
        F("member__branch__name"),
        ref=F("member__member_number"),
        **MEMBER_LINK,
    ),
    Kind(
        "password_change",
        PasswordChange,
        _("Password set"),
        under("node__path"),
        F("account__username"),
        F("node__name"),
    ),
    Kind(
        "reminder_settings",
        ReminderSettings,
        _("Email of reminders"),
        under("user__party_role__node__path"),
        F("user__username"),
        F("user__party_role__node__name"),
    ),
    _export_part("export", ExportRecord, _("Data export"), created=_("Exported")),
    _export_part("prepared_export", PreparedExport, _("Prepared export"), created=_("Requested")),
    Kind(
        "deleted_upload",
        DeletedUpload,
        _("Uploaded file"),
        under("batch__user__party_role__node__path"),
        Coalesce(F("batch__file_name"), F("stored_file")),
        F("batch__user__party_role__node__name"),
        ref2=F("batch_id"),
        note=_upload_note,
        created=_("Deleted after the retention period"),
    ),
    Kind("holiday", Holiday, _("Public holiday"), everywhere, F("name"), day=F("date")),
]


def history_models() -> list[type]:
    """Every model of the project that keeps a history."""
    return list(registered_models.values())


def build_kinds(descriptions: list[Kind], models: list[type]) -> dict[str, Kind]:
    """The kinds of the audit page, keyed, in the order of `descriptions`: one for each of
    `models`, which must all be described (and only they)."""
    described = {kind.model for kind in descriptions}
    missing = sorted(m._meta.label for m in models if m not in described)
    extra = sorted(kind.model._meta.label for kind in descriptions if kind.model not in models)
    if missing or extra:
        raise ImproperlyConfigured(
            "office/audit/kinds.py: describe every model with a history for the audit "
            f"page (missing: {', '.join(missing) or 'none'}; without a history: "
            f"{', '.join(extra) or 'none'})."
        )
    return {kind.key: kind for kind in descriptions}


KINDS = build_kinds(DESCRIPTIONS, history_models())
KIND_CHOICES = [(key, kind.label) for key, kind in KINDS.items()]
