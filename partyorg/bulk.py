"""Fast inserts for imports and demo data: COPY on PostgreSQL, bulk_create elsewhere.

Django's bulk_create prepares every value in Python (about 5 µs each), which caps an
import at about 1,500 members a second with their history, memberships and events.
COPY with ids reserved from the table's sequence writes the same rows several times
faster. History rows are written as django-simple-history would write them.

`insert_rows` goes one step further for the largest tables (a province's attendance is
two million rows): the caller gives plain tuples, so no model instance is built at all.

Rows are only ever inserted here with their version at its default; every bulk change of
existing rows goes through `update_objects`, which raises the version of the versioned
ones (partyorg.locking) in the same UPDATE.
"""

import datetime
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from operator import attrgetter

from django.db import connection
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_model_for_model,
)

from partyorg.locking import NEXT_VERSION, Versioned, forget_version

BATCH = 2000


def _reserve_ids(model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        # The sequence is named once: pg_get_serial_sequence in the select list would be
        # called for every id, ten times the cost of nextval itself.
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
        )
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model, columns: list[str], rows) -> None:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    # psycopg's own copy() is beneath Django's cursor: its errors are turned into
    # django.db's (IntegrityError, DataError...) here, as Django does for execute().
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def insert(model, objs: list) -> None:
    """Insert unsaved instances and set their primary keys (auto_now fields filled)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = model._meta.concrete_fields
    # The auto_now values pre_save gives the first row, given to every row.
    stamps = {
        f.attname: f.pre_save(objs[0], add=True)
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        obj.__dict__.update(stamps)
        obj._state.adding = False
        obj._state.db = connection.alias
    _copy(model, [f.column for f in fields], map(attrgetter(*(f.attname for f in fields)), objs))


def _history_fields(history):
    return [f for f in history._meta.concrete_fields if f.attname != "history_id"]


def _specials(when, user, reason) -> dict:
    return {
        "history_date": when,
        "history_change_reason": reason or None,
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }


def _history_of_rows(model, ids: list[int], *, when, user, reason) -> None:
    """The "created" history rows of rows just inserted, copied from them by PostgreSQL:
    nothing to format in Python and send back, half the rows an import sends."""
    history = get_history_model_for_model(model)
    quote = connection.ops.quote_name
    special = _specials(when, user, reason)
    columns, values, params = [], [], []
    for field in _history_fields(history):
        columns.append(quote(field.column))
        if field.attname in special:
            values.append("%s")
            params.append(special[field.attname])
        else:
            values.append(quote(model._meta.get_field(field.attname).column))
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {quote(model._meta.db_table)} "
            f"WHERE {pk} = ANY(%s) ORDER BY {pk}",
            [*params, ids],
        )


def insert_with_history(model, objs: list, *, user=None, reason: str = "") -> None:
    """insert() plus one "created" history row each, with `user` and `reason`, dated
    now or at the instance's `_history_date` when set (as simple_history does)."""
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            objs, model, batch_size=BATCH, default_user=user, default_change_reason=reason
        )
        return
    insert(model, objs)
    now = timezone.now()
    if not any(getattr(obj, "_history_date", None) for obj in objs):
        _history_of_rows(model, [obj.pk for obj in objs], when=now, user=user, reason=reason)
        return
    history = get_history_model_for_model(model)
    special = _specials(now, user, reason)
    fields = _history_fields(history)

    def row(obj):
        special["history_date"] = getattr(obj, "_history_date", None) or now
        return [
            special[f.attname] if f.attname in special else getattr(obj, f.attname) for f in fields
        ]

    _copy(history, [f.column for f in fields], (row(obj) for obj in objs))


def insert_rows(
    model,
    columns: Sequence[str],
    rows: list[tuple],
    *,
    history: bool = False,
    history_dates: Iterable[datetime.datetime] | None = None,
    user=None,
    reason: str = "",
    ids: bool = True,
) -> list[int]:
    """Insert plain rows, each a tuple of values for `columns` (field attnames), and
    return their new primary keys in order (with `ids=False` and no history, the
    database numbers them and nothing is returned). Fields not named get their default.

    With `history`, also write one "created" history row each with `user` and `reason`,
    dated by `history_dates` (one per row) or now. Elsewhere than PostgreSQL this builds
    model instances and uses bulk_create (the demo scale on SQLite).
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        if history:
            for obj, when in zip(objs, history_dates or (), strict=False):
                obj._history_date = when
            bulk_create_with_history(
                objs, model, batch_size=BATCH, default_user=user, default_change_reason=reason
            )
        else:
            model.objects.bulk_create(objs, batch_size=BATCH)
        return [obj.pk for obj in objs] if ids or history else []
    now = timezone.now()
    pk = model._meta.pk
    named = set(columns)
    defaults = {}
    for field in model._meta.concrete_fields:
        if field is pk or field.attname in named:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        defaults[field.attname] = now if auto else field.get_default()
    extra = tuple(defaults.values())
    if not ids and not history:
        names = [*columns, *defaults]
        _copy(
            model,
            [model._meta.get_field(name).column for name in names],
            ((*row, *extra) for row in rows),
        )
        return []
    all_columns = [pk.attname, *columns, *defaults]
    ids = _reserve_ids(model, len(rows))
    _copy(
        model,
        [model._meta.get_field(name).column for name in all_columns],
        ((pk_value, *row, *extra) for pk_value, row in zip(ids, rows, strict=True)),
    )
    if history and history_dates is None:
        _history_of_rows(model, ids, when=now, user=user, reason=reason)
    elif history:
        table = get_history_model_for_model(model)
        fields = _history_fields(table)
        special = _specials(now, user, reason)
        position = {name: index for index, name in enumerate(all_columns)}
        # Each history column is taken from the inserted row or is a history special.
        picks = [position.get(f.attname, -1) for f in fields]
        date_at = next(i for i, f in enumerate(fields) if f.attname == "history_date")
        template = [special.get(f.attname) for f in fields]
        dates = iter(history_dates)

        def history_row(pk_value, row):
            full = (pk_value, *row, *extra)
            values = [full[p] if p >= 0 else t for p, t in zip(picks, template, strict=True)]
            values[date_at] = next(dates)
            return values

        _copy(
            table,
            [f.column for f in fields],
            (history_row(pk_value, row) for pk_value, row in zip(ids, rows, strict=True)),
        )
    return ids


@contextmanager
def foreign_keys_checked_at_end(models):
    """Load many rows into empty tables with their foreign keys checked in one pass each.

    A deferred foreign key is checked row by row at commit: 30 s for a province's two
    million attendance rows. On PostgreSQL this drops the foreign keys of `models`'
    tables and adds them back (same names, same definitions) when the block ends, which
    checks the whole table in one join, as pg_restore does. Use it inside a transaction
    (an error rolls the dropped keys back with the rows) on tables that nothing else
    writes meanwhile.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    keys = []
    with connection.cursor() as cursor:
        # PostgreSQL alters no table with checks pending: run those now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                keys.append((table, name, definition))
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze(models) -> None:
    """Planner statistics for tables just filled. Until autovacuum gets there, PostgreSQL
    plans as if they were empty: on a freshly seeded province the home page took 57 s
    instead of 0.8 s."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def vacuum(models) -> None:
    """VACUUM (ANALYZE) tables just filled, once their rows are committed. ANALYZE alone
    leaves the visibility map empty until autovacuum comes (if it runs at all), so
    index-only scans still read every table page: on a seeded province the member list
    took 103 ms instead of 69. VACUUM skips the pages already all-visible, so a table
    that barely changed costs little. VACUUM cannot run in a transaction: inside one
    (a caller's, a test's) nothing is done."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def update_objects(
    objs: list, model, fields: list[str], *, by=None, reason: str = "", when=None
) -> None:
    """bulk_update of `fields` that also writes a "changed" history row for each object,
    with `by` (else the request's user), `reason` and the date `when` (else now). On a
    versioned model each row's version goes up by one in the same UPDATE, so a form
    opened before is refused as after any other save."""
    if not objs:
        return
    versioned = issubclass(model, Versioned)
    if versioned:
        fields = [*fields, "version"]
        for obj in objs:
            obj.version = NEXT_VERSION
    bulk_update_with_history(
        objs,
        model,
        fields,
        batch_size=BATCH,
        default_user=by,
        default_change_reason=reason or None,
        default_date=when,
    )
    if versioned:
        for obj in objs:
            forget_version(obj)


def update_with_history(queryset, *, by=None, reason: str = "", **values) -> list:
    """queryset.update(**values) that also writes a "changed" history row for each row,
    with `by` (else the request's user) and `reason`; returns the changed rows."""
    objs = list(queryset)
    for obj in objs:
        for name, value in values.items():
            setattr(obj, name, value)
    update_objects(objs, queryset.model, list(values), by=by, reason=reason)
    return objs
