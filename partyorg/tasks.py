"""Renewal of the figures kept for large subtrees (partyorg.subtree_cache), in the task
worker (django.tasks API; the immediate backend in tests and the demo)."""

from django_tasks import task

from partyorg import subtree_cache


@task()
def renew_kept_figure(key: str) -> bool:
    """Queued by the request that found the figure under `key` stale."""
    return subtree_cache.renew_queued(key)


@task()
def renew_kept_figures() -> int:
    """Queued by the timer (`manage.py renew_figures`): every figure asked for lately."""
    return subtree_cache.renew_all()
