"""Link history rows to the import that wrote them.

Bulk writes pass the user and reason to bulk_create_with_history; rows saved one by one
(e.g. tree nodes through branches.domain.create_node) get them from this context.
"""

import contextlib
import contextvars

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

_current = contextvars.ContextVar("partyorg_import", default=None)


@contextlib.contextmanager
def recorded_as(*, user, reason: str):
    token = _current.set((user, reason))
    try:
        yield
    finally:
        _current.reset(token)


@receiver(pre_create_historical_record)
def _mark_import(sender, history_instance, **kwargs):
    current = _current.get()
    if current is None:
        return
    user, reason = current
    history_instance.history_change_reason = reason
    if user is not None and user.is_authenticated:
        history_instance.history_user = user
