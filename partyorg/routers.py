"""Report building reads from the `replica` database (a streaming replica of PostgreSQL)
when REPLICA_DATABASE_URL is set; everything else, and every write, uses `default`.

Reports read models of several apps, so the choice follows what the code is doing, not
the model: the reads made inside `with reading_for_reports():` go to the replica.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_reading_for_reports = ContextVar("reading_for_reports", default=False)


@contextmanager
def reading_for_reports() -> Iterator[None]:
    """Send the reads made inside to the replica. The replica lags the primary by a
    moment: read nothing inside that was written just before."""
    token = _reading_for_reports.set(True)
    try:
        yield
    finally:
        _reading_for_reports.reset(token)


class ReportReadRouter:
    def db_for_read(self, model, **hints) -> str:
        return REPLICA if _reading_for_reports.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        """The two hold the same rows: an object read from either may point to the other."""
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
