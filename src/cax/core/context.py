"""Per-request (or per-command) context read by the change log.

A ContextVar rather than a thread-local so the value never leaks between requests; services still
receive the actor explicitly, only the request id is ambient.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("cax_request_id", default="")


def current_request_id() -> str:
    """The id of the running request or command; a fresh one when called outside both."""
    return _request_id.get() or f"adhoc-{uuid.uuid4().hex[:12]}"


@contextlib.contextmanager
def request_context(request_id: str | None = None) -> Iterator[str]:
    token = _request_id.set(request_id or uuid.uuid4().hex)
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)
