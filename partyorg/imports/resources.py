"""The import machinery shared by every kind: a ModelResource that validates every row
without writing, then writes everything in bulk through the domain functions.

A kind is one subclass (in its app's resources.py) that declares its Columns and
implements `prefetch`, `existing`, `check_row` and `write`, and is named in the import
pages' registry of kinds.
"""

import dataclasses
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from import_export import resources

from partyorg import database_errors

PROGRESS_EVERY = 500
LOOKUP_CHUNK = 5000


def chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class SpreadsheetResource(resources.ModelResource):
    """Checks rows one by one (no database writes), collects new and changed instances;
    `write()` stores them afterwards inside the caller's transaction."""

    # Attributes whose value may appear only once in a file, e.g. the member number.
    unique_in_file: tuple[str, ...] = ()

    class Meta:
        """Each kind names its model, fields and name."""

    def __init__(self, *, user=None, label="", on_progress=None, cleaned=None, applying=False):
        super().__init__()
        self.user = user
        self.label = label
        self.on_progress = on_progress
        # The check before write(): a kind whose write() repeats one of its checks (a
        # rehearsal of the rows, say) leaves that check out, since write() refuses the
        # whole file on the first row it fails on anyway.
        self.applying = applying
        self.creates = []
        self.updates = []
        # attribute -> {cell value key: answer}: the cleaned cells, given when an earlier
        # check of the same file cleaned them (partyorg.imports.cleaned).
        self.cleaned = {} if cleaned is None else cleaned
        self._answers = {}

    # --- columns ---------------------------------------------------------------------------

    @cached_property
    def _columns(self) -> dict:
        # Looked up for every cell read by name: a dict, not a scan of the columns.
        found = {}
        for name, field in self.fields.items():
            found.setdefault(field.attribute, field)
            found.setdefault(name, field)
        return found

    def column(self, attribute: str):
        return self._columns[attribute]

    def header_of(self, key: str) -> str:
        if key == NON_FIELD_ERRORS:
            return ""
        try:
            return self.column(key).column_name
        except KeyError:
            return key

    # --- checking the rows -----------------------------------------------------------------

    def _answer(self, attribute, value):
        """The column's widget.clean of a cell value, or a Refusal; each distinct value
        is cleaned once: most columns repeat a few values (gender, branch, dates) over
        thousands of rows."""
        seen = self.cleaned.setdefault(attribute, {})
        key = (value.__class__, value)  # 1, 1.0 and True are equal keys otherwise
        try:
            return seen[key]
        except KeyError:
            pass
        try:
            answer = self.column(attribute).widget.clean(value)
        except ValueError as error:
            answer = Refusal(str(error))
        seen[key] = answer
        return answer

    def answers(self, attribute) -> list:
        """The answer of the column's widget for each row (a value or a Refusal),
        computed once, column by column."""
        if attribute not in self._answers:
            column = self.column(attribute).column_name
            seen = self.cleaned.setdefault(attribute, {})
            answers = []
            for row in self.rows:
                value = row[column]
                answer = seen.get((value.__class__, value), seen)  # `seen` when not yet
                answers.append(self._answer(attribute, value) if answer is seen else answer)
            self._answers[attribute] = answers
        return self._answers[attribute]

    def cell(self, row, attribute, default=None):
        """The cleaned value of a column in `row`, None when absent or invalid."""
        column = self.column(attribute).column_name
        if column not in row:
            return default
        answer = self._answer(attribute, row[column])
        return None if isinstance(answer, Refusal) else answer

    def check(self, dataset) -> "Checked":
        """Check every row of `dataset`; nothing is written. New and changed instances
        are kept in self.creates and self.updates for write().

        This is import-export's import_data without its per-row plumbing (an ordered
        dict, a row result, the instance's str() and a transaction block for each row):
        a third of the time of a 10,000-member check."""
        checked = Checked()
        try:
            self.before_import(dataset)
        except Exception as error:  # reported to the user, the file unchecked
            checked.failures.append((None, error))
            return checked
        blank = self._blank
        for number, row in enumerate(self.rows, start=2):  # the header is row 1
            try:
                instance = self.existing(row)
                new = instance is None
                if new:
                    instance = blank()
                errors = self.check_instance(instance, row, number - 2, new=new)
            except ValidationError as error:  # a domain check refusing the row
                errors = error.update_error_dict({})
            except Exception as error:  # reported on the row; the others are still checked
                checked.failures.append((number, error))
                continue
            if errors:
                checked.invalid.append((number, errors))
            elif new:
                self.creates.append(instance)
            elif instance._import_changed:
                self.updates.append(instance)
            else:
                checked.unchanged += 1
            if self.on_progress and (number - 1) % PROGRESS_EVERY == 0:
                self.on_progress(number - 1)
        checked.new, checked.updated = len(self.creates), len(self.updates)
        return checked

    @cached_property
    def _blank(self):
        """What makes a new row's instance. Model() computes every field's default (50 µs
        for a member); this copies an instance made once, with the callable defaults
        computed again for each. A model with init signals is made the ordinary way."""
        model = self._meta.model
        if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
            return model
        fixed = {k: v for k, v in model().__dict__.items() if k != "_state"}
        fresh = [f for f in model._meta.concrete_fields if f.has_default() and callable(f.default)]

        def blank():
            instance = model.__new__(model)
            instance.__dict__.update(fixed)
            instance._state = ModelState()
            for field in fresh:
                instance.__dict__[field.attname] = field.get_default()
            return instance

        return blank

    def before_import(self, dataset):
        self.rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        self.headers = present = set(dataset.headers)
        self.plan = [
            (field.attribute, self.answers(field.attribute))
            for field in self.get_import_fields()
            if field.attribute and field.column_name in present
        ]
        self.counts = {}
        for attribute in self.unique_in_file:
            if self.column(attribute).column_name in present:
                values = self.column_values(self.rows, attribute)
                self.counts[attribute] = Counter(v for v in values if v)
        self.prefetch(self.rows)

    def column_values(self, rows, attribute) -> list:
        """The cleaned values of one column over all rows (None where absent or invalid)."""
        if self.column(attribute).column_name not in self.headers:
            return [None] * len(rows)
        return [None if isinstance(a, Refusal) else a for a in self.answers(attribute)]

    def check_instance(self, instance, row, index, *, new) -> dict:
        """Set the cleaned values of the row (self.rows[index]) on `instance`; its errors
        (attribute -> messages)."""
        instance._import_row = index + 2  # the header is row 1
        before = None if new else self.snapshot(instance)
        errors = {}
        for attribute, answers in self.plan:
            answer = answers[index]
            if answer.__class__ is Refusal:
                errors[attribute] = [answer.message]
            else:
                setattr(instance, attribute, answer)
        for attribute, counts in self.counts.items():
            value = getattr(instance, attribute, None)
            if attribute not in errors and value and counts[value] > 1:
                errors[attribute] = [
                    _("“%(value)s” appears %(count)d times in the file.")
                    % {"value": value, "count": counts[value]}
                ]
        self.check_row(instance, row, errors, new=new)
        instance._import_changed = new or before != self.snapshot(instance)
        return errors

    # --- when the database refuses the write ---------------------------------------------------

    def database_problems(self, error) -> list[tuple[int | None, str, str]]:
        """(row, column header, message) for each problem behind a refused write."""
        explained = database_errors.explain(error)
        if explained.kind == database_errors.UNIQUE:
            taken = self._taken_rows(explained)
            if taken:
                return taken
            return [
                (
                    None,
                    "",
                    _(
                        "Another user or import saved some of the same records "
                        "meanwhile; nothing was imported. Upload the file again "
                        "to check it against them."
                    ),
                )
            ]
        if explained.kind == database_errors.DATA:
            header = self._header_of_columns(explained)
            return [
                (
                    None,
                    header,
                    _("The database refused a value in this column; nothing was imported."),
                )
            ]
        if explained.kind == database_errors.BUSY:
            return [
                (
                    None,
                    "",
                    _(
                        "Another user or import was changing the same records; "
                        "nothing was imported. Try again."
                    ),
                )
            ]
        return [(None, "", _("The database refused the data; nothing was imported."))]

    def _model_fields_named(self, explained) -> list:
        model = self._meta.model
        if explained.table and explained.table != model._meta.db_table:
            return []
        names = set(explained.columns)
        for constraint in model._meta.constraints:
            if constraint.name == explained.constraint and isinstance(
                constraint, models.UniqueConstraint
            ):
                names |= set(constraint.fields)
                for expression in constraint.expressions:
                    names |= {e.name for e in expression.flatten() if isinstance(e, models.F)}
        return [f for f in model._meta.concrete_fields if f.column in names or f.name in names]

    def _header_of_columns(self, explained) -> str:
        fields = self._model_fields_named(explained)
        return self.header_of(fields[0].attname) if len(fields) == 1 else ""

    def _taken_rows(self, explained) -> list:
        """The rows whose key another writer stored since the check."""
        fields = self._model_fields_named(explained)
        if len(fields) != 1:
            return []
        name = fields[0].attname
        wanted = {getattr(i, name): i for i in [*self.creates, *self.updates] if getattr(i, name)}
        taken = set()
        for part in chunks(wanted):
            stored = self._meta.model.objects.filter(**{f"{name}__any": part})
            taken |= {v for v, pk in stored.values_list(name, "pk") if pk != wanted[v].pk}
        header = self.header_of(name)
        message = _(
            "“%(value)s” was saved by another user or import while this file was being "
            "imported; nothing was imported. Upload the file again to check it."
        )
        return sorted(
            (wanted[value]._import_row, header, message % {"value": value}) for value in taken
        )

    # --- what a kind implements --------------------------------------------------------------

    def snapshot_fields(self) -> list[str]:
        """The model fields an import may change."""
        model_fields = {f.attname for f in self._meta.model._meta.concrete_fields}
        return [f.attribute for f in self.get_import_fields() if f.attribute in model_fields]

    def snapshot(self, instance) -> tuple:
        """The values an import may change, to tell changed rows from unchanged ones."""
        if not hasattr(self, "_snapshot_fields"):
            self._snapshot_fields = self.snapshot_fields()
        return tuple(getattr(instance, name) for name in self._snapshot_fields)

    def prefetch(self, rows: list[dict]) -> None:
        """Load in a few queries everything the rows refer to."""

    def existing(self, row):
        """The stored instance the row is about, or None for a new one."""
        raise NotImplementedError

    def check_row(self, instance, row, errors: dict, *, new: bool) -> None:
        """Add the row's rule errors to `errors` (attribute -> messages)."""

    def check_file(self) -> list[tuple[int, str, str]]:
        """Errors of the rows taken together (row, column header, message), once every row
        has been checked: rules over a group of rows, such as a quota."""
        return []

    def write(self) -> None:
        """Store self.creates and self.updates through the domain functions."""
        raise NotImplementedError

    @classmethod
    def document(cls) -> list[dict]:
        return [field.document() for field in cls().get_export_fields()]


@dataclasses.dataclass
class Refusal:
    """A cell value a widget refused, remembered with its message."""

    message: str


@dataclasses.dataclass
class Checked:
    """The outcome of SpreadsheetResource.check: counts, the invalid rows with their errors
    (row, attribute -> messages), and the unexpected failures (row or None, exception)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: list[tuple[int, dict]] = dataclasses.field(default_factory=list)
    failures: list[tuple[int | None, Exception]] = dataclasses.field(default_factory=list)


class RefusedRows(ValidationError):
    """write() refusing the whole file because of some of its rows: `problems` are
    (row, column header, message), reported by row as the check reports its own."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__([message for _row, _column, message in problems])
        self.problems = problems


def add_error(errors: dict, key: str, message) -> None:
    errors.setdefault(key, []).append(message)


class RehearsedResource(SpreadsheetResource):
    """A kind whose rows are carried out one after the other by a domain function, each
    depending on the ones before (a member exempted, then resumed): the check performs
    every new row in order inside a transaction that is rolled back, so the preview
    lists each refusal by row; write() performs them again, all or nothing, stopping at
    the first row refused (RefusedRows). The check before write() does not rehearse: it
    would perform every row twice.

    A kind appends the rows to carry out to self.planned in check_row, and implements
    perform(instance); `field_columns` maps the domain's field names to its columns.
    """

    field_columns: dict[str, str] = {}
    general_column = ""  # the column of a refusal that names no field

    def before_import(self, dataset, **kwargs):
        self.planned = []
        super().before_import(dataset, **kwargs)

    def perform(self, instance) -> None:
        raise NotImplementedError

    def refusals(self, instance, error: ValidationError) -> list[tuple[int, str, str]]:
        items = (
            error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
        )
        found = []
        for field, messages in items:
            header = self.header_of(self.field_columns.get(field, self.general_column))
            found += [(instance._import_row, header, message) for message in messages]
        return found

    def check_file(self):
        if self.applying:
            return []
        problems = []
        with transaction.atomic():
            for instance in self.planned:
                try:
                    self.perform(instance)
                except ValidationError as error:
                    problems += self.refusals(instance, error)
            transaction.set_rollback(True)
        return problems

    def write(self):
        for instance in self.planned:
            try:
                self.perform(instance)
            except ValidationError as error:
                raise RefusedRows(self.refusals(instance, error)) from error
