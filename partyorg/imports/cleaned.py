"""The cells of a file checked without errors, read and cleaned, kept for its apply.

Reading a workbook and cleaning its cells depend on the file's bytes alone (the widgets
look nothing up), and cost about half of a check. The check of an upload keeps them in
the cache under the file's hash and the kind's resource; the apply takes them from there
and runs every check against the database again (what the rows refer to, who holds
which number, the importer's scope), so it still refuses what the database no longer
allows. A file whose cells are no longer kept is read and cleaned again.

They are kept compressed: a 10,000-member file's cells pickle to 3.7 MB, which the
database cache would store as 5 MB of base64 text (a province's file: 75 MB in one
row); compressed they are 0.7 MB, and keeping them takes 0.11 s instead of 0.15.
"""

import dataclasses
import hashlib
import pickle
import zlib

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
    # "z": compressed. Cells kept uncompressed by an earlier version are under keys
    # without it: never read, they expire within KEPT_DAYS.
    return f"import-cells-z:{kind}:{hashlib.sha256(content).hexdigest()}"


def keep(resource_class, content: bytes, dataset, resource) -> None:
    cells = Cells(list(dataset.headers), [tuple(values) for values in dataset])
    # The cells hold the file's personal data: they go no later than the file itself.
    days = min(KEPT_DAYS, settings.UPLOAD_RETENTION_DAYS)
    packed = zlib.compress(pickle.dumps(Kept(cells, resource.cleaned), pickle.HIGHEST_PROTOCOL), 1)
    cache.set(_key(resource_class, content), packed, days * 24 * 3600)


def kept(resource_class, content: bytes) -> Kept | None:
    packed = cache.get(_key(resource_class, content))
    return None if packed is None else pickle.loads(zlib.decompress(packed))
