"""Attachments of a case: limited in size and type, checked by content, stored under random names.

Files are never served from MEDIA_URL: the download view goes through the case's scope.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from cax.cases.choices import AttachmentKind
from cax.cases.models import Attachment, Case
from cax.cases.policy import require_worker
from cax.core.changelog import record_change
from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog
from cax.core.uploads import file_too_large_message

# extension → (content type, accepted leading bytes). Content is checked, not only the name.
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".wav": ("audio/wav", (b"RIFF",)),
    ".m4a": ("audio/mp4", (b"\x00\x00\x00",)),
    ".mp4": ("video/mp4", (b"\x00\x00\x00",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}


def _check(name: str, content: bytes) -> str:
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        raise DomainError(
            _("Không nhận loại tệp “{e}”. Chỉ nhận: {a}.").format(e=extension or name, a=", ".join(sorted(ALLOWED))),
            fields={"file": [_("Loại tệp không được phép")]},
        )
    if len(content) > settings.CAX_ATTACHMENT_MAX_BYTES:
        raise DomainError(
            file_too_large_message(len(content), settings.CAX_ATTACHMENT_MAX_BYTES), fields={"file": [_("Tệp quá lớn")]}
        )
    content_type, signatures = ALLOWED[extension]
    if not content.startswith(signatures):
        raise DomainError(
            _("Nội dung tệp không khớp với đuôi “{e}”.").format(e=extension),
            fields={"file": [_("Nội dung không hợp lệ")]},
        )
    return content_type


@transaction.atomic
def attachment_add(*, actor: Any, case: Case, kind: str, name: str, content: bytes) -> Attachment:
    require_worker(actor, case.unit)
    if kind not in AttachmentKind.values:
        raise DomainError(_("Loại tệp đính kèm không hợp lệ: {k}").format(k=kind), fields={"kind": [_("Không hợp lệ")]})
    content_type = _check(name, content)
    attachment = Attachment(
        case=case,
        kind=kind,
        original_name=PurePath(name).name[:255],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    # A random stored name: an uploaded name never reaches the file system.
    attachment.file.save(f"{uuid.uuid4().hex}{PurePath(name).suffix.lower()}", ContentFile(content), save=False)
    attachment.save()
    record_change(
        actor=actor,
        obj=case,
        action=ChangeLog.Action.UPDATE,
        before=None,
        message=_("Đính kèm tệp {n} ({k})").format(n=attachment.original_name, k=attachment.get_kind_display()),
    )
    return attachment
