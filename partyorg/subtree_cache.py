"""Figures over a large subtree, kept in Django's cache and renewed by the task worker.

A province's annual report (150,000 members, two million attendance rows) takes about a
second to build: twenty officers opening it at once would need more than the two CPUs of
a small server. The pages that show it (the report dashboard, the report to file, the
annual paper) therefore keep it for subtrees with at least SUBTREE_CACHE_MIN_BRANCHES
branches (the caller counts them), and say how old it is. Smaller subtrees (a branch, a
commune, a district of a few hundred branches) build it on every request, so a secretary
sees at once what they just entered. Every other page computes its figures in each
request, from the totals kept where they are written (partyorg.kept_totals).

A kept figure is renewed in the task worker, never in a user's request:
`partyorg.tasks.renew_kept_figures`, queued every SUBTREE_CACHE_FRESH_SECONDS by a timer
(`manage.py renew_figures`, docs/deploy.md), renews every figure asked for in the last
RENEW_UNASKED_DAYS days; a request that finds a figure older than that (the timer
stopped) shows it and queues its renewal. Only a figure never computed (a first deploy,
a year nobody opened yet) is computed in the request that first asks for it, once:
others asking meanwhile wait for that one rather than run the same heavy queries.

A figure is a module-level function `figure(user, node, *args)`, so that the worker can
compute it again from what the request recorded (its recipe): the user who asked, the
subtree's root and the arguments. Anyone with the same subtree and scope sees the same
value, whoever asked first.
"""

import copy
import dataclasses
import datetime
import hashlib
import logging
import pickle
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus

# Kept beyond the renewals, so that a value is there to show if the worker falls behind.
KEEP_SECONDS = 24 * 60 * 60
LOCK_SECONDS = 120
COLD_WAIT_SECONDS = 10
COLD_POLL_SECONDS = 0.2
# A figure nobody asked for in this many days is no longer renewed (it expires a day
# later); a week keeps those of a Friday fresh for the Monday morning.
RENEW_UNASKED_DAYS = 7
# The keys of the kept figures: what the timer renews.
INDEX_KEY = "subtree:kept"

logger = logging.getLogger(__name__)


class OutdatedRecipe(Exception):
    """A kept figure can no longer be computed as recorded: the user it was computed for
    no longer sees what they saw when they asked, or a deploy renamed or removed its
    function."""


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How to compute a kept figure again: `figure` (its dotted path) of the user `user_id`
    and the subtree's root `node` (a model instance), with `args`; `scope_of` (a dotted
    path) tells what the user sees, which must still be `scope`."""

    figure: str
    user_id: int
    node: Any
    args: tuple
    scope_of: str
    scope: str

    def compute(self) -> Any:
        try:
            figure = import_string(self.figure)
        except ImportError as error:
            raise OutdatedRecipe(self) from error
        node = copy.copy(self.node)
        node.refresh_from_db()
        user = get_user_model().objects.filter(pk=self.user_id, is_active=True).first()
        # A user moved to another subtree would fill this key with that subtree's figures.
        if user is None or import_string(self.scope_of)(user) != self.scope:
            raise OutdatedRecipe(self)
        return figure(user, node, *self.args)


@dataclasses.dataclass(frozen=True)
class Kept:
    value: Any
    computed_at: datetime.datetime
    recipe: Recipe | None = None
    asked_on: datetime.date | None = None


class SubtreeFigures:
    """The figures one request of `user` shows over the subtree of `node`, kept when
    `keep` (a large subtree). `scope_of(user)` (a module-level function) says what the
    user sees: values are kept apart by it, and renewed only for a user who still sees
    the same."""

    def __init__(self, node, user, *, keep: bool, scope_of: Callable[[Any], str]):
        self.node = node
        self.user = user
        self.scope_of = f"{scope_of.__module__}.{scope_of.__qualname__}"
        self.scope = scope_of(user)
        self.kept = keep
        self.as_of: datetime.datetime | None = None

    @property
    def fresh_minutes(self) -> int:
        return settings.SUBTREE_CACHE_FRESH_SECONDS // 60

    def get(self, figure: Callable[..., Any], *args) -> Any:
        """`figure(user, node, *args)`, or its kept value when the subtree is large. The
        value is kept under the subtree, the scope, the figure and `args`."""
        if not self.kept:
            return figure(self.user, self.node, *args)
        recipe = Recipe(
            f"{figure.__module__}.{figure.__qualname__}",
            self.user.pk,
            self.node,
            args,
            self.scope_of,
            self.scope,
        )
        described = ":".join(
            str(part) for part in (self.node.path, self.scope, recipe.figure, *args)
        )
        # Hashed: parts may be long (filters), and the cache's keys are at most 250 chars.
        key = f"subtree:{hashlib.sha256(described.encode()).hexdigest()}"
        kept = remember(key, recipe, lambda: figure(self.user, self.node, *args))
        self.as_of = min(self.as_of or kept.computed_at, kept.computed_at)
        return kept.value


def _lock(key: str) -> str:
    return f"{key}:renewing"


def _read(key: str) -> Kept | None:
    """The value kept under `key`, or None: nothing is kept, or what is kept was pickled by
    another release of the code (before a deploy, or after a rollback) with a class this
    one names differently or no longer has. Such a value is forgotten, to be computed
    again, rather than fail every page that asks for it until it expires a day later."""
    try:
        return cache.get(key)
    except (AttributeError, ImportError, TypeError, ValueError, pickle.UnpicklingError):
        logger.warning("The kept figure %s could not be read back; it is computed again", key)
        cache.delete(key)
        return None


def remember(key: str, recipe: Recipe, compute: Callable[[], Any]) -> Kept:
    """The value kept under `key`, whatever its age; renewal queued for the worker when it
    is older than SUBTREE_CACHE_FRESH_SECONDS. `compute()` runs only when nothing is kept."""
    kept = _read(key)
    if kept is None:
        return _first(key, recipe, compute)
    today = timezone.localdate()
    fresh_for = datetime.timedelta(seconds=settings.SUBTREE_CACHE_FRESH_SECONDS)
    if timezone.now() - kept.computed_at >= fresh_for and cache.add(_lock(key), True, LOCK_SECONDS):
        # Imported here: the tasks renew through this module.
        from partyorg.tasks import renew_kept_figure

        _index(key)
        result = renew_kept_figure.enqueue(key)
        if result.status == TaskResultStatus.SUCCESSFUL:
            # The immediate backend (tests, the demo) has no worker: renewed just now.
            kept = _read(key) or kept
    if kept.asked_on != today:
        kept = dataclasses.replace(kept, asked_on=today)
        cache.set(key, kept, KEEP_SECONDS)
    return kept


def _first(key: str, recipe: Recipe, compute: Callable[[], Any]) -> Kept:
    """Nothing kept yet: computed by the first request, which the others wait for."""
    if cache.add(_lock(key), True, LOCK_SECONDS):
        try:
            kept = Kept(compute(), timezone.now(), recipe, timezone.localdate())
            cache.set(key, kept, KEEP_SECONDS)
            _index(key)
        finally:
            cache.delete(_lock(key))
        return kept
    deadline = time.monotonic() + COLD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(COLD_POLL_SECONDS)
        kept = _read(key)
        if kept is not None:
            return kept
    return Kept(compute(), timezone.now(), recipe, timezone.localdate())


def _index(key: str) -> None:
    """Adds `key` to the figures the timer renews. Two requests adding at once may lose
    one key; the request that next finds it stale adds it again."""
    index = cache.get(INDEX_KEY, set())
    if key not in index:
        cache.set(INDEX_KEY, index | {key}, None)


def renew(key: str) -> bool:
    """Computes the figure kept under `key` again from its recipe and keeps it; False
    when nothing is kept there. The worker's part: a request never calls it."""
    kept = _read(key)
    if kept is None or kept.recipe is None:
        return False
    try:
        value = kept.recipe.compute()
    except OutdatedRecipe:
        # Forgotten: the next request computes it for a user who sees this subtree.
        cache.delete(key)
        return False
    cache.set(key, dataclasses.replace(kept, value=value, computed_at=timezone.now()), KEEP_SECONDS)
    return True


def renew_queued(key: str) -> bool:
    """`renew(key)` for the request that queued it, which holds the key's lock."""
    try:
        return renew(key)
    finally:
        cache.delete(_lock(key))


def renew_all() -> int:
    """Renews every figure asked for in the last RENEW_UNASKED_DAYS days, skipping those
    another worker is renewing; forgets the others. Returns how many were renewed."""
    index = cache.get(INDEX_KEY, set())
    since = timezone.localdate() - datetime.timedelta(days=RENEW_UNASKED_DAYS)
    renewed, forgotten = 0, []
    for key in index:
        kept = _read(key)
        if kept is None or kept.asked_on is None or kept.asked_on < since:
            forgotten.append(key)
            continue
        if not cache.add(_lock(key), True, LOCK_SECONDS):
            continue
        try:
            renewed += renew(key)
        except Exception:
            # One figure that cannot be computed (a node gone) does not stop the others.
            logger.exception("Renewing the kept figure %s failed", kept.recipe)
        finally:
            cache.delete(_lock(key))
    if forgotten:
        cache.set(INDEX_KEY, cache.get(INDEX_KEY, set()) - set(forgotten), None)
    return renewed
