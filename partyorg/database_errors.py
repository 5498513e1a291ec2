"""What a database error was about, read from PostgreSQL's diagnostics or SQLite's
message, so that callers can tell the user in their words instead of showing it raw."""

import re
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError

UNIQUE, CONSTRAINT, DATA, BUSY, OTHER = "unique", "constraint", "data", "busy", "other"
# SQLSTATE classes and codes: 23 integrity, 22 data; serialization failure, deadlock,
# lock not available, statement timeout or cancel.
_BUSY_STATES = {"40001", "40P01", "55P03", "57014"}
_KEY = re.compile(r"Key \((?P<columns>.+)\)=\((?P<values>.*)\) already exists")
_COPY_COLUMN = re.compile(r"COPY (?P<table>\S+), line \d+, column (?P<column>\w+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<what>.+)")
_SQLITE_INDEX = re.compile(r"index '(?P<name>[^']+)'")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Explained:
    kind: str
    table: str = ""
    constraint: str = ""
    # Names that appear in the refused key or column: the columns, possibly inside an
    # expression such as upper(code::text).
    columns: tuple[str, ...] = ()
    value: str = ""


def explain(error: DatabaseError) -> Explained:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:
        return _postgresql(error, cause.sqlstate or "", diag)
    return _sqlite(error, str(error))


def _postgresql(error, state: str, diag) -> Explained:
    table, constraint = diag.table_name or "", diag.constraint_name or ""
    if state == "23505":
        key = _KEY.search(diag.message_detail or "")
        columns = tuple(_IDENTIFIER.findall(key["columns"])) if key else ()
        value = key["values"] if key and "," not in key["values"] else ""
        return Explained(UNIQUE, table, constraint, columns, value)
    if state.startswith("23"):
        return Explained(CONSTRAINT, table, constraint, _columns(diag.column_name))
    if state.startswith("22"):
        copy = _COPY_COLUMN.search(diag.context or "")
        if copy:
            return Explained(DATA, copy["table"], columns=(copy["column"],))
        return Explained(DATA, table, columns=_columns(diag.column_name))
    if state in _BUSY_STATES:
        return Explained(BUSY)
    return Explained(OTHER)


def _sqlite(error, message: str) -> Explained:
    if "database is locked" in message or "database table is locked" in message:
        return Explained(BUSY)
    if not isinstance(error, IntegrityError):
        return Explained(DATA if "too long" in message else OTHER)
    unique = _SQLITE_UNIQUE.search(message)
    if unique is None:
        return Explained(CONSTRAINT, constraint=message.rsplit(":", 1)[-1].strip())
    index = _SQLITE_INDEX.search(unique["what"])
    if index:
        return Explained(UNIQUE, constraint=index["name"])
    pairs = [item.strip().split(".", 1) for item in unique["what"].split(",")]
    tables = {pair[0] for pair in pairs if len(pair) == 2}
    columns = tuple(pair[-1] for pair in pairs)
    return Explained(UNIQUE, tables.pop() if len(tables) == 1 else "", columns=columns)


def _columns(name) -> tuple[str, ...]:
    return (name,) if name else ()
