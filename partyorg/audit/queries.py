"""The audit trail: recent changes to the sensitive records of a subtree, read from the
django-simple-history tables of each model, in a fixed number of queries."""

import dataclasses
import datetime
import itertools
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import CharField, DateField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.models import Candidate, DossierDocument
from branches.models import Attendance, Meeting, OrganizationNode
from members.models import Evaluation, Member, Membership, OrganizationEvaluation, Transfer
from partyorg.unions import union_count, union_rows

COLUMNS = [
    "history_id",
    "history_date",
    "history_type",
    "history_user_id",
    "history_change_reason",
]
EXTRA = ["kind", "name", "place", "ref", "ref2", "day"]
# Fields that change on every save and say nothing to a reader.
QUIET_FIELDS = {"updated_at", "month", "name_folded", "sort_key", "recorded_by"}


@dataclasses.dataclass(frozen=True)
class Kind:
    """One audited model: how its history rows are scoped, labelled and linked."""

    model: type
    label: object
    scope: tuple[str, ...]  # path lookups of the nodes that hold a record
    name: F  # who or what the record is about
    place: F  # the organization it belongs to
    ref: object = Value("")  # text the record's link needs
    ref2: object = F("id")  # number the record's link needs
    day: object = Cast(Value(None), DateField())
    link: str = ""

    def url(self, ref: str, ref2: int) -> str:
        if self.link in {"members:detail"}:
            return reverse(self.link, args=[ref])
        if self.link in {"admission:detail", "members:transfer_detail"}:
            return reverse(self.link, args=[ref2])
        if self.link in {"branches:meeting_detail", "members:evaluation_members"}:
            return reverse(self.link, args=[ref, ref2])
        if self.link == "branches:node_detail":
            return reverse(self.link, args=[ref])
        return ""


KINDS = {
    "member": Kind(
        Member,
        _("Member record"),
        ("branch__path",),
        F("full_name"),
        F("branch__name"),
        ref=F("member_number"),
        link="members:detail",
    ),
    "membership": Kind(
        Membership,
        _("Branch membership"),
        ("branch__path",),
        F("member__full_name"),
        F("branch__name"),
        ref=F("member__member_number"),
        link="members:detail",
    ),
    "transfer": Kind(
        Transfer,
        _("Transfer"),
        ("from_branch__path", "to_branch__path"),
        F("member__full_name"),
        Coalesce(F("from_branch__name"), F("to_branch__name")),
        link="members:transfer_detail",
    ),
    "evaluation": Kind(
        Evaluation,
        _("Member evaluation"),
        ("branch__path",),
        F("member__full_name"),
        F("branch__name"),
        ref=F("branch__code"),
        ref2=F("year"),
        link="members:evaluation_members",
    ),
    "organization_evaluation": Kind(
        OrganizationEvaluation,
        _("Organization evaluation"),
        ("node__path",),
        F("node__name"),
        F("node__name"),
        ref=F("node__code"),
        link="branches:node_detail",
    ),
    "candidate": Kind(
        Candidate,
        _("Admission candidate"),
        ("branch__path",),
        F("full_name"),
        F("branch__name"),
        link="admission:detail",
    ),
    "document": Kind(
        DossierDocument,
        _("Dossier document"),
        ("candidate__branch__path",),
        F("candidate__full_name"),
        F("candidate__branch__name"),
        ref2=F("candidate_id"),
        link="admission:detail",
    ),
    "meeting": Kind(
        Meeting,
        _("Meeting minutes"),
        ("branch__path",),
        F("topic"),
        F("branch__name"),
        ref=F("branch__code"),
        day=F("date"),
        link="branches:meeting_detail",
    ),
    "attendance": Kind(
        Attendance,
        _("Meeting attendance"),
        ("meeting__branch__path",),
        F("member__full_name"),
        F("meeting__branch__name"),
        ref=F("meeting__branch__code"),
        ref2=F("meeting_id"),
        day=F("meeting__date"),
        link="branches:meeting_detail",
    ),
}
KIND_CHOICES = [(key, kind.label) for key, kind in KINDS.items()]


def _rows(
    key: str,
    kind: Kind,
    root: OrganizationNode | None,
    *,
    user=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    rows = kind.model.history.order_by()
    if root is not None:
        inside = Q()
        for lookup in kind.scope:
            inside |= Q(**{f"{lookup}__startswith": root.path})
        rows = rows.filter(inside)
    if user is not None:
        # By id, not by a join on the name: the planner then knows how few rows the user
        # wrote and reads them by history_user_id instead of every row by date.
        rows = rows.filter(history_user_id=user.pk)
    if since:
        rows = rows.filter(history_date__gte=_midnight(since))
    if until:
        rows = rows.filter(history_date__lt=_midnight(until + datetime.timedelta(days=1)))
    # Prefixed names: the annotations must not clash with the models' own fields.
    return rows.annotate(
        audit_kind=Value(key, output_field=CharField()),
        audit_name=Coalesce(kind.name, Value(""), output_field=CharField()),
        audit_place=Coalesce(kind.place, Value(""), output_field=CharField()),
        audit_ref=Coalesce(kind.ref, Value(""), output_field=CharField()),
        audit_ref2=Coalesce(kind.ref2, Value(0), output_field=IntegerField()),
        audit_day=kind.day,
    ).values(*COLUMNS, *(f"audit_{name}" for name in EXTRA))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclasses.dataclass(frozen=True)
class Position:
    """Where a page of the trail starts or ends: history rows are ordered newest first by
    date, then by history id and record kind (ids repeat across the history tables)."""

    date: datetime.datetime
    history_id: int
    kind: str

    def __str__(self):
        return f"{self.date.isoformat()}~{self.kind}~{self.history_id}"

    @classmethod
    def parse(cls, text: str | None) -> "Position | None":
        """The position written by str(), or None for anything else."""
        try:
            day, kind, history_id = (text or "").split("~")
            date = datetime.datetime.fromisoformat(day)
        except ValueError:
            return None
        if kind not in KINDS or not history_id.isdigit() or date.tzinfo is None:
            return None
        return cls(date, int(history_id), kind)

    @classmethod
    def of(cls, row: dict) -> "Position":
        return cls(row["history_date"], row["history_id"], row["audit_kind"])

    def beyond(self, kind: str, *, newer: bool) -> Q:
        """The rows of `kind` older than this position (newer with `newer`)."""
        if newer:
            same_date = (
                Q(history_id__gte=self.history_id)
                if kind > self.kind
                else Q(history_id__gt=self.history_id)
            )
            return Q(history_date__gt=self.date) | Q(same_date, history_date=self.date)
        same_date = (
            Q(history_id__lte=self.history_id)
            if kind < self.kind
            else Q(history_id__lt=self.history_id)
        )
        return Q(history_date__lt=self.date) | Q(same_date, history_date=self.date)


def _parts(root, *, kind, user, since, until) -> list[tuple[str, QuerySet]]:
    keys = [kind] if kind else list(KINDS)
    options = {"user": user, "since": since, "until": until}
    return [(key, _rows(key, KINDS[key], root, **options)) for key in keys]


def changes_for(
    root: OrganizationNode | None,
    *,
    kind: str = "",
    user=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    before: Position | None = None,
    after: Position | None = None,
    limit: int,
) -> list[dict]:
    """History rows of the audited models whose record lies under `root` (everything for
    None), newest first, as dicts: the `limit` rows older than `before` (from the newest
    without it), or with `after` the `limit` rows just newer than it. One UNION query;
    each table gives at most `limit` rows to it, read in date order, so that a province's
    millions of attendance rows are never sorted whole."""
    newer = after is not None
    position = after or before
    order = ["history_date", "history_id"] if newer else ["-history_date", "-history_id"]
    parts = []
    for key, rows in _parts(root, kind=kind, user=user, since=since, until=until):
        if position is not None:
            rows = rows.filter(position.beyond(key, newer=newer))
        parts.append(rows.order_by(*order)[:limit])
    kind_order = "audit_kind" if newer else "-audit_kind"
    found = union_rows(parts, order_by=[*order, kind_order], limit=limit)
    return found[::-1] if newer else found


def count_changes(
    root: OrganizationNode | None,
    *,
    kind: str = "",
    user=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    up_to: int,
) -> int:
    """How many history rows changes_for() pages through, counting at most `up_to` + 1
    rows of each table: exact up to `up_to`, more than `up_to` beyond. One query."""
    parts = [
        rows.order_by().values("history_id")[: up_to + 1]
        for _key, rows in _parts(root, kind=kind, user=user, since=since, until=until)
    ]
    return union_count(parts)


def describe(rows: list[dict]) -> list[dict]:
    """Each row of a page with its user, link and the names of the fields it changed:
    one query for the users and two per model on the page."""
    rows = [
        {**{c: r[c] for c in COLUMNS}, **{name: r[f"audit_{name}"] for name in EXTRA}} for r in rows
    ]
    users = get_user_model().objects.in_bulk({r["history_user_id"] for r in rows} - {None})
    changed = {}
    for key, group in itertools.groupby(sorted(rows, key=lambda r: r["kind"]), lambda r: r["kind"]):
        changed |= {(key, hid): names for hid, names in _changed_fields(key, list(group)).items()}
    for row in rows:
        kind = KINDS[row["kind"]]
        row["kind_label"] = kind.label
        row["user"] = users.get(row["history_user_id"])
        row["url"] = kind.url(row["ref"], row["ref2"])
        row["changed"] = changed.get((row["kind"], row["history_id"]), [])
    return rows


def _changed_fields(key: str, rows: list[dict]) -> dict[int, list[str]]:
    model = KINDS[key].model
    history = model.history.model
    versions = {
        h.history_id: h
        for h in history.objects.filter(history_id__in=[r["history_id"] for r in rows])
    }
    if not versions:
        return {}
    latest = max(h.history_date for h in versions.values())
    by_record = defaultdict(list)
    for h in history.objects.filter(
        id__in={h.id for h in versions.values()}, history_date__lte=latest
    ).order_by("history_date", "history_id"):
        by_record[h.id].append(h)
    result = {}
    for hid, version in versions.items():
        if version.history_type != "~":
            continue
        chain = by_record[version.id]
        index = next(i for i, h in enumerate(chain) if h.history_id == hid)
        if index == 0:
            continue
        delta = version.diff_against(chain[index - 1])
        result[hid] = [
            str(model._meta.get_field(change.field).verbose_name)
            for change in delta.changes
            if change.field not in QUIET_FIELDS
        ]
    return result
