"""Data revision and the per-process cache of expensive read-only figures (#4 dashboards).

Every write that goes through the change log bumps the revision once per transaction, after the
commit (so a long import never holds a lock other writers wait on). A reader asks for the current
revision (one indexed query) and reuses figures computed under it. Bumping after commit means a
reader may briefly compute newer data under the old revision; it can never cache old data under
the new one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

T = TypeVar("T")
_cache: OrderedDict[Hashable, object] = OrderedDict()
_lock = Lock()


def current() -> int:
    from cax.core.models import Revision

    value = Revision.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def _bump() -> None:
    from cax.core.models import Revision

    if not Revision.objects.filter(pk=1).update(value=F("value") + 1):
        Revision.objects.get_or_create(pk=1, defaults={"value": 1})


def bump_after_commit() -> None:
    """Schedules one bump for the current transaction, however many writes it makes."""
    if any(callback is _bump for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per (key, revision) in this process, keeping the newest few results."""
    size = settings.CAX_FIGURES_CACHE_SIZE
    if size <= 0:
        return compute()
    full_key = (key, current())
    with _lock:
        if full_key in _cache:
            _cache.move_to_end(full_key)
            return _cache[full_key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _cache[full_key] = value
        while len(_cache) > size:
            _cache.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _cache.clear()
