"""Figures over a large subtree, kept in Django's cache for a few minutes.

A count over a province (150,000 members, two million attendance rows) costs 30–150 ms
of database time and a home page needs a dozen of them: twenty officers at once would
need more than the two CPUs of a small server. Subtrees with at least
SUBTREE_CACHE_MIN_BRANCHES branches (the caller counts them) therefore keep each figure
for SUBTREE_CACHE_FRESH_SECONDS, and the page says how old its figures are. Smaller
subtrees (a branch, a commune, a district of a few hundred branches) are computed on
every request, so a secretary sees at once what they just entered.

When a kept figure is stale, the first request to notice recomputes it under a short
lock while the others go on showing the old value: a province page never waits for
twenty recomputations at once.
"""

import datetime
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property

# Kept well beyond freshness so that a stale value is there to show while it is renewed.
KEEP_SECONDS = 24 * 60 * 60
LOCK_SECONDS = 120
COLD_WAIT_SECONDS = 10
COLD_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Kept:
    value: Any
    computed_at: datetime.datetime


class SubtreeFigures:
    """The figures one request shows over the subtree at `path` (a materialized path),
    kept when `keep` (a large subtree). `scope` tells apart values that also depend on
    who asks (a superuser sees more than the subtree's members)."""

    def __init__(self, path: str, *, keep: bool, scope: str = ""):
        self.path = path
        self.scope = scope
        self.kept = keep
        self.as_of: datetime.datetime | None = None

    @property
    def fresh_minutes(self) -> int:
        return settings.SUBTREE_CACHE_FRESH_SECONDS // 60

    def get(self, name: str, compute: Callable[[], Any], *parts) -> Any:
        """`compute()`, or its kept value when the subtree is large. The value is kept
        under the path, the scope, `name` and `parts` (the dates or filters it depends on)."""
        if not self.kept:
            return compute()
        described = ":".join(str(part) for part in (self.path, self.scope, name, *parts))
        # Hashed: parts may be long (filters), and the cache's keys are at most 250 chars.
        key = f"subtree:{hashlib.sha256(described.encode()).hexdigest()}"
        kept = remember(key, compute)
        self.as_of = min(self.as_of or kept.computed_at, kept.computed_at)
        return kept.value


class KeptCountPaginator(Paginator):
    """A paginator whose total is kept like the other figures of a large subtree: the
    exact count of a province's members costs more than the page it is shown on.
    `key` tells apart the lists (their filters)."""

    def __init__(self, object_list, per_page, *, kept: SubtreeFigures, key: str):
        super().__init__(object_list, per_page)
        self.kept = kept
        self.key = key

    @cached_property
    def count(self) -> int:
        return self.kept.get("list-count", self.object_list.count, self.key)


def remember(key: str, compute: Callable[[], Any]) -> Kept:
    kept = cache.get(key)
    now = timezone.now()
    fresh_for = datetime.timedelta(seconds=settings.SUBTREE_CACHE_FRESH_SECONDS)
    if kept is not None and now - kept.computed_at < fresh_for:
        return kept
    lock = f"{key}:renewing"
    if cache.add(lock, True, LOCK_SECONDS):
        try:
            kept = Kept(compute(), now)
            cache.set(key, kept, KEEP_SECONDS)
        finally:
            cache.delete(lock)
        return kept
    if kept is not None:
        return kept
    # Nothing kept yet and another request is computing it: wait for that rather than
    # add one more of the same heavy queries.
    deadline = time.monotonic() + COLD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(COLD_POLL_SECONDS)
        kept = cache.get(key)
        if kept is not None:
            return kept
    return Kept(compute(), now)
