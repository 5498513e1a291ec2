"""The audit trail: recent changes to the sensitive records of a subtree, read from the
django-simple-history tables of each model, in a fixed number of queries."""

import dataclasses
import datetime
import itertools
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import OrganizationNode
from branches.queries import organizations_for
from members.queries import members_for
from office.audit.kinds import KINDS, Kind
from partyorg.unions import union_count, union_rows

COLUMNS = [
    "history_id",
    "history_date",
    "history_type",
    "history_user_id",
    "history_change_reason",
]
EXTRA = ["kind", "record", "name", "place", "ref", "ref2", "day"]
# Fields that change on every save and say nothing to a reader.
QUIET_FIELDS = {
    "updated_at",
    "month",
    "name_folded",
    "sort_key",
    "recorded_by",
    "checked_at",
    "heartbeat_at",
}


def _filtered(
    kind: Kind,
    root: OrganizationNode | None,
    *,
    user=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    """The history rows of `kind` under `root` that pass the filters."""
    rows = kind.history_model.objects.order_by()
    if root is not None:
        rows = rows.filter(kind.scope(root))
    if user is not None:
        # By id, not by a join on the name: the planner then knows how few rows the user
        # wrote and reads them by history_user_id instead of every row by date.
        rows = rows.filter(history_user_id=user.pk)
    if since:
        rows = rows.filter(history_date__gte=_midnight(since))
    if until:
        rows = rows.filter(history_date__lt=_midnight(until + datetime.timedelta(days=1)))
    return rows


def _described(key: str, rows: QuerySet) -> QuerySet:
    """`rows` as the dicts the page shows, in columns every kind shares."""
    kind = KINDS[key]
    # Prefixed names: the annotations must not clash with the models' own fields.
    return rows.annotate(
        audit_kind=Value(key, output_field=CharField()),
        audit_record=F("id"),
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


class Trail:
    """The history rows of the audited models whose record lies under `root` (everything
    for None) that pass the filters, read a page at a time and counted. Each is one UNION
    query over the history tables, in which each table gives only its first rows, read
    in date order, so that a province's millions of attendance rows are never sorted or
    counted whole."""

    def __init__(
        self,
        root: OrganizationNode | None,
        *,
        kind: str = "",
        user=None,
        since: datetime.date | None = None,
        until: datetime.date | None = None,
    ):
        keys = [kind] if kind else list(KINDS)
        options = {"user": user, "since": since, "until": until}
        self.tables = [(key, _filtered(KINDS[key], root, **options)) for key in keys]

    def page(
        self, *, before: Position | None = None, after: Position | None = None, limit: int
    ) -> list[dict]:
        """Rows newest first, as dicts: the `limit` rows older than `before` (from the
        newest without it), or with `after` the `limit` rows just newer than it."""
        newer = after is not None
        position = after or before
        order = ["history_date", "history_id"] if newer else ["-history_date", "-history_id"]
        parts = []
        for key, rows in self.tables:
            if position is not None:
                rows = rows.filter(position.beyond(key, newer=newer))
            parts.append(_described(key, rows).order_by(*order)[:limit])
        kind_order = "audit_kind" if newer else "-audit_kind"
        found = union_rows(parts, order_by=[*order, kind_order], limit=limit)
        return found[::-1] if newer else found

    def count(self, *, up_to: int) -> int:
        """How many rows the pages hold, counting at most `up_to` + 1: exact up to
        `up_to`, more than `up_to` beyond. The query stops reading the tables once it
        has counted that many."""
        parts = [rows.values("history_id")[: up_to + 1] for _key, rows in self.tables]
        return union_count(parts, at_most=up_to + 1)


# Links whose record may have left the viewer's subtree since the change (a member
# transferred, an organization restructured elsewhere): the records of a page still in
# it, in one query per kind of link.
LINKS_IN_SCOPE = {
    "organizations:node_detail": lambda user, refs: (
        organizations_for(user).filter(code__in=refs).values_list("code", flat=True)
    ),
    "members:detail": lambda user, refs: (
        members_for(user).filter(member_number__in=refs).values_list("member_number", flat=True)
    ),
}


def _drop_links_out_of_scope(rows: list[dict], user) -> None:
    for link, in_scope in LINKS_IN_SCOPE.items():
        linked = [r for r in rows if r["url"] and KINDS[r["kind"]].link == link]
        if linked:
            visible = set(in_scope(user, {r["ref"] for r in linked}))
            for row in linked:
                if row["ref"] not in visible:
                    row["url"] = ""


def describe(rows: list[dict], user) -> list[dict]:
    """Each row of a page with its user, link (none to a record now outside `user`'s
    subtree), wording and the names of the fields it changed: one query for the users,
    one per kind of record changed on the page and one per kind of link."""
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
        row["verb"] = {"+": kind.created, "-": _("Deleted")}.get(row["history_type"], _("Changed"))
        row["note"] = kind.note(row) if kind.note else ""
        if kind.names:
            row["name"] = kind.names.get(row["name"], row["name"])
    _drop_links_out_of_scope(rows, user)
    return rows


def _changed_fields(key: str, rows: list[dict]) -> dict[int, list[str]]:
    """The names of the fields each "changed" row of `key` changed: one query for the
    versions of their records up to the newest of them (none without such a row)."""
    changes = [r for r in rows if r["history_type"] == "~"]
    if not changes:
        return {}
    kind = KINDS[key]
    by_record = defaultdict(list)
    for version in kind.history_model.objects.filter(
        id__in={r["record"] for r in changes},
        history_date__lte=max(r["history_date"] for r in changes),
    ).order_by("history_date", "history_id"):
        by_record[version.id].append(version)
    result = {}
    for row in changes:
        chain = by_record[row["record"]]
        index = next(i for i, h in enumerate(chain) if h.history_id == row["history_id"])
        if index == 0:
            continue
        delta = chain[index].diff_against(chain[index - 1])
        result[row["history_id"]] = [
            str(kind.model._meta.get_field(change.field).verbose_name)
            for change in delta.changes
            if change.field not in QUIET_FIELDS
        ]
    return result
