"""Who may do what in the library (#19.3): everyone reads what applies to them and acknowledges it;
the ministry and the provinces (leaders, departments, personnel staff, administrators) publish
for their subtree; those who publish, commune chiefs and auditors see who has not read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError
from cax.core.policy import allows, require

VIEW = "library.view_document"
PUBLISH = "library.change_document"
ACKNOWLEDGE = "library.add_acknowledgement"
VIEW_UNREAD = "library.view_unread"


def require_reader(user: Any) -> None:
    require(user, VIEW, _("Bạn không có quyền xem tài liệu nghiệp vụ."))


def require_publisher(user: Any, document: Any = None) -> None:
    require(user, PUBLISH, _("Bạn không có quyền đăng tải tài liệu nghiệp vụ."), document.unit if document else None)


def require_unread_reader(user: Any) -> None:
    require(user, VIEW_UNREAD, _("Bạn không có quyền xem danh sách chưa xác nhận đã đọc."))


def require_acknowledger(user: Any, document: Any) -> None:
    """A user acknowledges a document that applies to their unit, asks for it and can be read here."""
    from cax.library.models import Document

    require(user, ACKNOWLEDGE, _("Bạn không có quyền xác nhận đã đọc tài liệu."))
    if document.is_secret or not document.requires_acknowledgement:
        raise DomainError(_("Tài liệu này không yêu cầu xác nhận đã đọc trên CAX."))
    if user is not None and not Document.objects.applying_to(user.unit).filter(pk=document.pk).exists():
        raise DomainError(_("Tài liệu này không áp dụng cho đơn vị của bạn."))


def can_publish(user: Any, document: Any = None) -> bool:
    return allows(require_publisher, user, document)


def can_see_unread(user: Any) -> bool:
    return allows(require_unread_reader, user)


def can_acknowledge(user: Any, document: Any) -> bool:
    return allows(require_acknowledger, user, document)
