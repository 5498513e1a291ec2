"""Optimistic locking, the one scheme every editable record uses.

An editable model is `Versioned`: a `version` on its own row, raised by one in the same
UPDATE as every save (bulk writes included, through partyorg.bulk). A form carries the
version it was opened on (`VersionField`). The saving transaction locks the row, reads the
version there and refuses the save when it has moved on (`check_version`, or
`locked_versions` and `stale_rows` for a sheet of rows): the person is told who saved it
last and when, keeps everything they typed, and gets the current version
(`show_conflict`), so that saving again replaces the other change knowingly and nothing
is lost unseen.

The version must be read from the locked row itself: on PostgreSQL, under READ COMMITTED,
a subquery on another table (such as the history) keeps the snapshot its statement took
before waiting for the lock, and so missed the save it had waited for.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partyorg.choices import ChoiceLabels

NEXT_VERSION = F("version") + 1
OUT_OF_DATE = gettext_lazy(
    "This page is out of date: open it again, then enter your change. Nothing was saved."
)


class Versioned(ChoiceLabels, models.Model):
    """A record people edit in forms: `version` goes up by one with every save."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            if not update_fields:
                return
            kwargs["update_fields"] = {*update_fields, "version"}
        # Raised in the UPDATE itself: an instance read before someone else's save still
        # moves the version past theirs.
        self.version = NEXT_VERSION
        super().save(*args, **kwargs)
        forget_version(self)


def forget_version(record: Versioned) -> None:
    """Drop the instance's copy of `version` after the database raised it; Django reads
    the new number back only if something asks for it."""
    record.__dict__.pop("version", None)


class VersionField(forms.IntegerField):
    """The hidden version of the record a form was opened on."""

    widget = forms.HiddenInput
    default_error_messages = {"required": OUT_OF_DATE, "invalid": OUT_OF_DATE}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = OUT_OF_DATE


@dataclass(frozen=True)
class Conflict:
    """A record saved by someone else after the form was opened: its version now and the
    message naming who saved it and when."""

    version: int
    message: str


class Stale(ValidationError):
    """A save refused because records changed after the form was opened. `conflicts` maps
    each such record's key (the primary key, or the row of a sheet) to its Conflict."""

    def __init__(self, conflicts: dict):
        self.conflicts = conflicts
        super().__init__([conflict.message for conflict in conflicts.values()], code="stale")


@dataclass(frozen=True)
class Change:
    """Who saved a record last (their full name, else username) and when (None for a
    save that wrote no history, such as the demo data)."""

    who: str
    when: datetime.datetime | None

    @classmethod
    def unknown(cls) -> "Change":
        return cls(display_name(None), None)

    @property
    def at(self) -> str:
        """The local time, with the date when it was not today."""
        if self.when is None:
            return _("an unknown time")
        local = timezone.localtime(self.when)
        if local.date() == timezone.localdate():
            return f"{local:%H:%M}"
        return _("%(time)s on %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


def display_name(user) -> str:
    """A user's full name the Vietnamese way (family name first), else the username."""
    if user is None:
        return _("someone else")
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def last_changes(model, pks: Iterable) -> dict:
    """Primary key -> the Change of the latest history row of each record, in two queries."""
    latest = (
        model.history.filter(id__in=list(pks))
        .order_by()
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    rows = model.history.filter(history_id__in=latest).select_related("history_user")
    return {row.id: Change(display_name(row.history_user), row.history_date) for row in rows}


def last_change(record) -> Change:
    """Who saved `record` last and when."""
    return last_changes(type(record), [record.pk]).get(record.pk) or Change.unknown()


def check_version(record: Versioned, version: int | None) -> None:
    """Lock `record`'s row and refuse the save (Stale) when its version is no longer
    `version`, the one the form was opened on. Call first inside the saving transaction.
    None checks nothing: for writers that replace the record by design (imports)."""
    if version is None:
        return
    current = (
        type(record)
        ._default_manager.select_for_update()
        .filter(pk=record.pk)
        .values_list("version", flat=True)
        .get()
    )
    if current != version:
        change = last_change(record)
        message = _(
            "This record was changed by %(name)s at %(time)s, after you opened it. Your "
            "changes were not saved; they are still below. Check the record in another "
            "tab, then save again if yours should replace that change."
        ) % {"name": change.who, "time": change.at}
        raise Stale({record.pk: Conflict(current, message)})


def locked_versions(queryset: models.QuerySet) -> list:
    """The records of `queryset`, locked for the saving transaction and read after the
    lock (so with their current version), in primary key order so that two sheets
    locking overlapping rows wait for each other instead of deadlocking."""
    return list(queryset.select_for_update().order_by("pk"))


def split_sheet(rows: list, existing: dict, *, key: Callable, changes: Callable):
    """What saving a sheet does, row by row. Each row carries `version`, the version of
    its record when the sheet was opened (None: it had none); `existing` maps a row's
    key(row) to its record, locked and read after the lock (locked_versions). Returns
    (rows without a record, (record, row) pairs to write, stale), `stale` mapping the key
    of each row that would change a record someone saved since the sheet was opened to
    (that record, the row's version), for stale_rows. A row that changes nothing
    (`changes(record, row)` false) is left alone, whatever its version."""
    new, changed, stale = [], [], {}
    for row in rows:
        record = existing.get(key(row))
        if record is None:
            new.append(row)
        elif not changes(record, row):
            continue
        elif record.version != row.version:
            stale[key(row)] = (record, row.version)
        else:
            changed.append((record, row))
    return new, changed, stale


def stale_rows(model, rows: dict, describe: Callable) -> Stale:
    """The refusal of a sheet whose rows `rows` (key -> (the locked record, the version
    the sheet was opened on, None when the record did not exist then)) were saved by
    someone else since; `describe(record)` tells what is saved now."""
    changes = last_changes(model, [record.pk for record, _opened in rows.values()])
    conflicts = {}
    for key, (record, opened) in rows.items():
        change = changes.get(record.pk) or Change.unknown()
        values = {"name": change.who, "time": change.at, "saved": describe(record)}
        if opened is None:
            message = _(
                "Already recorded by %(name)s at %(time)s, after you opened this page. Saved "
                "now: %(saved)s."
            )
        else:
            message = _(
                "Changed by %(name)s at %(time)s, after you opened this page. Saved now: %(saved)s."
            )
        conflicts[key] = Conflict(record.version, message % values)
    return Stale(conflicts)


def first_save_wins(write: Callable, *, attempts: int = 3):
    """Run `write()` in a savepoint and return its result. When it loses a race to insert
    a row that someone else inserted first (a unique constraint), run it again: it then
    finds that row, with who saved it, and reports it instead of answering an error."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return write()
        except IntegrityError:
            if attempt == attempts:
                raise


def show_conflict(form: forms.BaseForm, stale: Stale, key=None, *, field="version") -> None:
    """Show the conflict of the record `key` (the only one when None) on `form`, still
    bound to what the person typed, and carry the record's current version in its field
    `field`, so that saving again replaces the other change knowingly."""
    conflict = stale.conflicts[key] if key is not None else next(iter(stale.conflicts.values()))
    data = form.data.copy()
    data[form.add_prefix(field)] = str(conflict.version)
    form.data = data
    form.add_error(None, conflict.message)


def show_sheet_conflicts(forms: dict, stale: Stale) -> str:
    """show_conflict on each row form of a sheet (`forms`: row key -> form) whose record
    someone else saved; returns the message for the top of the sheet."""
    for key in stale.conflicts:
        show_conflict(forms[key], stale, key)
    count = len(stale.conflicts)
    return ngettext(
        "%(count)d row was saved by someone else after you opened this page: it is marked "
        "below with who saved it, when, and what it holds now. What you entered is kept: "
        "check it, then save again to replace what is saved.",
        "%(count)d rows were saved by someone else after you opened this page: they are "
        "marked below with who saved them, when, and what they hold now. What you entered "
        "is kept: check it, then save again to replace what is saved.",
        count,
    ) % {"count": count}
