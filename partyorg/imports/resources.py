"""The import machinery shared by every kind: a ModelResource that validates every row
without writing, then writes everything in bulk through the domain functions.

A kind is one subclass (in its app's resources.py) that declares its Columns and
implements `prefetch`, `existing`, `check_row` and `write`, and is named in the import
pages' registry of kinds.
"""

from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
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
        use_bulk = True
        batch_size = None  # keep every instance until write(): nothing is written early
        skip_diff = True
        clean_model_instances = False
        report_skipped = True
        use_transactions = False

    def __init__(self, *, user=None, label="", on_progress=None):
        super().__init__()
        self.user = user
        self.label = label
        self.on_progress = on_progress
        self.creates = []
        self.updates = []

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

    def cell(self, row, attribute, default=None):
        """The cleaned value of a column in `row`, None when absent or invalid."""
        field = self.column(attribute)
        if field.column_name not in row:
            return default
        try:
            return field.clean(row)
        except ValueError:
            return None

    # --- the import-export hooks -------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        present = set(dataset.headers)
        self.plan = [
            (field.attribute, field.column_name, field.widget)
            for field in self.get_import_fields()
            if field.attribute and field.column_name in present
        ]
        self.values = {}
        self.counts = {}
        for attribute in self.unique_in_file:
            if self.column(attribute).column_name in present:
                values = self.column_values(rows, attribute)
                self.counts[attribute] = Counter(v for v in values if v)
        self.prefetch(rows)

    def column_values(self, rows, attribute) -> list:
        """The cleaned values of one column over all rows (None where invalid), computed once."""
        if attribute not in self.values:
            self.values[attribute] = [self.cell(row, attribute) for row in rows]
        return self.values[attribute]

    def get_instance(self, instance_loader, row):
        return self.existing(row)

    def import_instance(self, instance, row, **kwargs):
        new = instance.pk is None
        instance._import_row = kwargs.get("row_number", 0) + 1  # the header is row 1
        before = None if new else self.snapshot(instance)
        errors = {}
        # import-export's Field.save, without its per-value plumbing: 10,000 rows x 20 columns.
        for attribute, column, widget in self.plan:
            try:
                setattr(instance, attribute, widget.clean(row[column]))
            except ValueError as error:
                errors[attribute] = [str(error)]
        for attribute, counts in self.counts.items():
            value = getattr(instance, attribute, None)
            if attribute not in errors and value and counts[value] > 1:
                errors[attribute] = [
                    _("“%(value)s” appears %(count)d times in the file.")
                    % {"value": value, "count": counts[value]}
                ]
        self.check_row(instance, row, errors, new=new)
        instance._import_changed = new or before != self.snapshot(instance)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not import_validation_errors and not instance._import_changed

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.creates.extend(self.create_instances)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.updates.extend(self.update_instances)
        self.update_instances.clear()

    def after_import_row(self, row, row_result, **kwargs):
        number = kwargs.get("row_number", 0)
        if self.on_progress and number % PROGRESS_EVERY == 0:
            self.on_progress(number)

    def after_import(self, dataset, result, **kwargs):
        """Nothing: import-export would reset the table's id sequence to the highest id
        here, moving it back under ids that a concurrent write has taken but not yet
        committed. Rows are written by write(), with ids drawn from the sequence."""

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
            stored = self._meta.model.objects.filter(**{f"{name}__in": part})
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


def add_error(errors: dict, key: str, message) -> None:
    errors.setdefault(key, []).append(message)


class RehearsedResource(SpreadsheetResource):
    """A kind whose rows are carried out one after the other by a domain function, each
    depending on the ones before (a member exempted, then resumed): the check performs
    every new row in order inside a transaction that is rolled back, so the preview
    lists each refusal by row; write() performs them again, all or nothing.

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
                row, column, message = self.refusals(instance, error)[0]
                raise ValidationError(
                    _("Row %(row)d, %(column)s: %(message)s")
                    % {"row": row, "column": column, "message": message}
                ) from error
