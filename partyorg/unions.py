"""UNION ALL of querysets that are each ordered and limited, on PostgreSQL and SQLite.

Django writes a union of sliced querysets as `(part LIMIT n) UNION ALL (...)`, which
SQLite refuses (and Django refuses on its behalf). Both databases accept each part as a
derived table, `SELECT * FROM (part ORDER BY ... LIMIT n) AS p0 UNION ALL ...`, and
PostgreSQL plans it exactly as the parenthesized form: each part still reads only its
first rows from an index.

The parts must select the same columns in the same order (the same `values()` call);
their values are converted as Django converts the first part's.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def _compiled(querysets: list[QuerySet]):
    """The union's SQL and parameters, the database alias, and the compiler of its first
    non-empty part (None when every part is empty)."""
    using = querysets[0].db
    quote = connections[using].ops.quote_name
    parts, params, first = [], [], None
    for index, queryset in enumerate(querysets):
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, part_params = compiler.as_sql()
        except EmptyResultSet:
            continue
        parts.append(f"SELECT * FROM ({sql}) AS {quote(f'part{index}')}")
        params.extend(part_params)
        first = first or compiler
    return " UNION ALL ".join(parts), params, using, first


def union_rows(querysets: list[QuerySet], *, order_by: list[str], limit: int) -> list[dict]:
    """The rows of all `querysets` (`values()` querysets, each of which may be ordered
    and sliced) as dicts, ordered by the column names in `order_by` ("-name" for
    descending), at most `limit` of them. One query."""
    sql, params, using, compiler = _compiled(querysets)
    if compiler is None:
        return []
    quote = connections[using].ops.quote_name
    order = ", ".join(
        f"{quote(name[1:])} DESC" if name.startswith("-") else f"{quote(name)} ASC"
        for name in order_by
    )
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}) AS {quote('united')} ORDER BY {order} LIMIT %s",
            [*params, limit],
        )
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [dict(zip(names, row, strict=True)) for row in rows]


def union_count(querysets: list[QuerySet], *, at_most: int) -> int:
    """How many rows all `querysets` (each of which may be sliced) hold, counting no more
    than `at_most`: the parts are read in turn and the reading stops there, so the
    parts after a large one are not read at all. One query."""
    sql, params, using, compiler = _compiled(querysets)
    if compiler is None:
        return 0
    quote = connections[using].ops.quote_name
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) AS {quote('united')} LIMIT %s) "
            f"AS {quote('counted')}",
            [*params, at_most],
        )
        return cursor.fetchone()[0]
