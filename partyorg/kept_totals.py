"""Totals the database keeps where they are written (triggers on their source table),
compared with a recount from that table: what `manage.py check_totals` runs for each
kind, nightly and after a restore, and what its --rebuild writes back."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model


@dataclass(frozen=True)
class KeptTotals:
    name: str  # for the command's output: "member totals"
    model: type[Model]  # the kept rows
    sources: tuple[type[Model], ...]  # the tables they are counted from
    kept: Callable[[], dict]  # key → value, as kept
    recounted: Callable[[], dict]  # key → value, counted from the source
    rows: Callable[[dict], Iterable[Model]]  # the kept rows of a recount, to write
    nothing: Any = 0  # the value of a key with no row

    def differences(self) -> list[tuple[tuple, Any, Any]]:
        """Each key whose kept value is not its recount: (key, kept, recounted). Both are
        read from one snapshot, so rows written meanwhile make no difference."""
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic():
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            kept, counted = self.kept(), self.recounted()
        return [
            (key, kept.get(key, self.nothing), counted.get(key, self.nothing))
            for key in sorted(kept.keys() | counted.keys())
            if kept.get(key, self.nothing) != counted.get(key, self.nothing)
        ]

    @transaction.atomic
    def rebuild(self) -> int:
        """Write the kept rows again from a recount (after a restore without the triggers,
        or a difference found); the sources cannot change meanwhile. Returns the rows
        written."""
        if connection.vendor == "postgresql":
            tables = ", ".join(source._meta.db_table for source in self.sources)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
        self.model.objects.all().delete()
        return len(self.model.objects.bulk_create(self.rows(self.recounted())))
