"""How much a request may send (issue 16 part 1): one limit per kind of endpoint, checked twice.

- ``UploadLimitMiddleware`` (core.middleware) refuses a body larger than its path's envelope with 413
  before a byte of it is read: an import or exchange file gets ``CAX_IMPORT_MAX_BYTES``, a case
  attachment ``CAX_ATTACHMENT_MAX_BYTES``, every other body (forms, API JSON) ``CAX_BODY_MAX_BYTES``.
  A multipart upload's envelope is its file limit plus ``CAX_BODY_MAX_BYTES`` for the other form
  fields and the framing, so a file of exactly the limit still gets through; the JSON import of
  /api/v1/dataValueSets, whose body is the file, gets the file limit itself.
- ``LimitedFileField`` then checks the file itself, so a file just over its limit inside a body that
  fits the envelope is refused on the form with the field's message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """What one path may send: ``file_bytes`` (the figure users are told, 0 = no file here) and
    ``body_bytes``, the envelope the middleware enforces."""

    setting: str
    file_bytes: int
    body_bytes: int

    @property
    def shown_bytes(self) -> int:
        return self.file_bytes or self.body_bytes


# Paths that take a file, by the setting that limits it, and whether the file comes inside a
# multipart form (so the body may be larger than the file) or is the body itself (the JSON import).
# Every import page of the site (units, officers, every register) lives under ".../import/", the
# DHIS2 exchange upload under /reports/exchange/; the API takes a file at /dataValueSets and at a
# case's /attachments. core/tests/test_upload_limits.py walks the URL conf and the OpenAPI document
# so that a new upload endpoint outside these patterns fails there.
FILE_PATHS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"/import/"), "CAX_IMPORT_MAX_BYTES", True),
    (re.compile(r"^/reports/exchange/"), "CAX_IMPORT_MAX_BYTES", True),
    (re.compile(r"^/api/v1/dataValueSets/?$"), "CAX_IMPORT_MAX_BYTES", False),
    (re.compile(r"^/cases/\d+/attachments/$"), "CAX_ATTACHMENT_MAX_BYTES", True),
    (re.compile(r"^/api/v1/cases/\d+/attachments/?$"), "CAX_ATTACHMENT_MAX_BYTES", True),
    (re.compile(r"^/library/documents/\d+/file/$"), "CAX_ATTACHMENT_MAX_BYTES", True),
)


def limit_for(path: str) -> Limit:
    """The limit of a request path (``request.path_info``); settings are read on every call so an
    environment override (or a test's override_settings) applies at once."""
    body = settings.CAX_BODY_MAX_BYTES
    for pattern, setting, framed in FILE_PATHS:
        if pattern.search(path):
            file_bytes = getattr(settings, setting)
            return Limit(setting, file_bytes, file_bytes + body if framed else file_bytes)
    return Limit("CAX_BODY_MAX_BYTES", 0, body)


def megabytes(size: int) -> str:
    """A byte count as users read it: whole MB when exact ("20"), else one decimal ("0,5" in Vietnamese)."""
    from django.utils.formats import number_format

    value = round(size / MIB, 1)
    return str(int(value)) if value == int(value) else number_format(value, 1)


def too_large_message(limit_bytes: int) -> str:
    return _("Dữ liệu gửi lên quá lớn: tối đa {mb} MB.").format(mb=megabytes(limit_bytes))


def file_too_large_message(size: int, limit_bytes: int) -> str:
    return _("Tệp quá lớn: {s} MB (tối đa {m} MB).").format(s=megabytes(size), m=megabytes(limit_bytes))


class LimitedFileField(forms.FileField):
    """A form's file, refused above the setting ``limit`` (by name, read when the form is checked)
    with a message giving both sizes. The one size check of every upload form."""

    def __init__(self, *, limit: str, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        limit_bytes = getattr(settings, self.limit)
        if value and value.size > limit_bytes:
            raise forms.ValidationError(file_too_large_message(value.size, limit_bytes), code="too_large")
