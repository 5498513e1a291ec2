"""The cells of a file checked without errors, read and cleaned, kept for its apply.

Reading a workbook and cleaning its cells depend on the file's bytes alone (the widgets
look nothing up), and cost about half of a check. The check of an upload keeps them in
the cache under the file's hash and the kind's resource; the apply takes them from there
and runs every check against the database again (what the rows refer to, who holds
which number, the importer's scope), so it still refuses what the database no longer
allows. A file whose cells are no longer kept is read and cleaned again.
"""

import dataclasses
import hashlib

from django.conf import settings
from django.core.cache import cache

KEPT_DAYS = 7


@dataclasses.dataclass
class Cells:
    """A file's rows as read, in the shape the checks iterate: headers and value rows."""

    headers: list[str]
    rows: list[tuple]

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)


@dataclasses.dataclass
class Kept:
    cells: Cells
    cleaned: dict  # SpreadsheetResource.cleaned: attribute -> {cell value key: answer}


def _key(resource_class, content: bytes) -> str:
    kind = f"{resource_class.__module__}.{resource_class.__qualname__}"
    return f"import-cells:{kind}:{hashlib.sha256(content).hexdigest()}"


def keep(resource_class, content: bytes, dataset, resource) -> None:
    cells = Cells(list(dataset.headers), [tuple(values) for values in dataset])
    # The cells hold the file's personal data: they go no later than the file itself.
    days = min(KEPT_DAYS, settings.UPLOAD_RETENTION_DAYS)
    cache.set(_key(resource_class, content), Kept(cells, resource.cleaned), days * 24 * 3600)


def kept(resource_class, content: bytes) -> Kept | None:
    return cache.get(_key(resource_class, content))
