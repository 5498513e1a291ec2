"""Pausing Python's cycle collector during bulk work.

An import builds hundreds of thousands of objects (cells, model instances), an export
as many spreadsheet cells, WeasyPrint as many boxes for a PDF. The cycle collector
meanwhile walks the young objects again and again, and the whole heap whenever it has
grown by a quarter: a fifth of a 10,000-member import's time (bench/import_members.py),
about 15% of a district report's PDF and of an export (docs/performance.md). Paused, the
cycles made meanwhile are collected at the first collection after the block.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Run the block with the cycle collector off. Another thread's block may end first
    and turn it back on; the block that found it on turns it back on when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
