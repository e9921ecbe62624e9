"""Input no part of CAX can store: a NUL character or bytes that are not UTF-8 (#16.4).

PostgreSQL refuses NUL in text (a 500 once it reached a query) and every text in CAX is UTF-8, so
such a request is answered 400 with a Vietnamese message before any view runs: its path, its
query string and a JSON or form body (a multipart body by its text fields; files are bytes and
may hold anything). Runs after the upload limit, so the body read here is already bounded.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from django.utils.translation import gettext as _

TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


def _bad_bytes(raw: bytes) -> bool:
    if b"\x00" in raw:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _holds_nul(value: Any) -> bool:
    """A NUL anywhere in a decoded JSON document (keys included); JSON writes it as \\u0000."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _bad_body(request) -> bool:
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    if content_type not in TEXT_BODIES or not request.body:
        return False
    if content_type == "application/x-www-form-urlencoded":
        return _bad_bytes(unquote_to_bytes(request.body.replace(b"+", b" ")))
    if _bad_bytes(request.body):
        return True
    try:
        return _holds_nul(json.loads(request.body))
    except ValueError:
        return False  # not JSON at all: the view answers that in its own words


def unreadable(request) -> bool:
    """True when the path, the query string or a text body holds NUL or is not UTF-8."""
    # Django already re-escapes a path's non-UTF-8 bytes (%XX), so only NUL is left to refuse there.
    if "\x00" in request.path_info:
        return True
    if _bad_bytes(unquote_to_bytes(request.META.get("QUERY_STRING", "").replace("+", " "))):
        return True
    return request.method in ("POST", "PUT", "PATCH") and _bad_body(request)


def unreadable_message() -> str:
    return _("Yêu cầu có ký tự không hợp lệ (ký tự NUL hoặc không phải UTF-8); hãy bỏ ký tự đó và gửi lại.")
