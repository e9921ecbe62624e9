"""Who may do what with a managed person's file (issue 18.1). The services enforce these rules;
the pages ask the ``can_*`` answers which forms to show. docs/supervision.md has the table.

- Names are read by the managing commune and the province department responsible for the category
  (``models.names_q``); every other level reads counts (``VIEW_FIGURES``).
- Only the managing commune writes: receives, records events, hands the person over.
- The receiving commune of a hand-over sees it and accepts it.
- Opening a file and exporting names need a reason, which the access log keeps.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.policy import allows, require
from cax.core.scoping import is_within_scope
from cax.supervision.models import CHANGE_FILES, MANAGED, VIEW_FIGURES, Status, names_q

REASON_MIN = 5  # characters: "kiểm tra" passes, "x" does not


def sees_names(user: Any) -> bool:
    return names_q(user) is not None


def require_figures(actor: Any) -> None:
    require(actor, VIEW_FIGURES, _("Bạn không có quyền xem số liệu đối tượng quản lý."))


def require_names(actor: Any) -> None:
    if actor is not None and not sees_names(actor):
        raise PermissionDenied(_("Chỉ Công an xã quản lý và phòng nghiệp vụ phụ trách được xem danh sách đối tượng."))


def require_manager(actor: Any, file: Any = None) -> None:
    require(actor, CHANGE_FILES, _("Bạn không có quyền cập nhật hồ sơ đối tượng."))
    if actor is not None and file is not None and not is_within_scope(actor, file.unit.path):
        raise NotVisible(_("Không tìm thấy."))


def require_receiver(actor: Any, handover: Any) -> None:
    require(actor, CHANGE_FILES, _("Bạn không có quyền tiếp nhận đối tượng."))
    if actor is not None and not is_within_scope(actor, handover.to_unit.path):
        raise NotVisible(_("Không tìm thấy."))
    if handover.accepted_at is not None:
        raise DomainError(_("Hồ sơ đã được nơi đến tiếp nhận."))


def require_reason(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if len(text) < REASON_MIN:
        message = _("Ghi rõ lý do (ít nhất {n} ký tự): việc mở hồ sơ, xuất danh sách được ghi vào nhật ký.").format(
            n=REASON_MIN
        )
        raise DomainError(message, fields={field: [message]})
    return text[:300]


def require_status(file: Any, allowed: tuple[str, ...], what: str) -> None:
    if file.status not in allowed:
        labels = ", ".join(str(Status(s).label) for s in allowed)
        raise DomainError(
            _("Không thể ghi “{what}” khi hồ sơ đang ở trạng thái “{status}” (cần: {allowed}).").format(
                what=what, status=file.get_status_display(), allowed=labels
            )
        )


def can_manage(user: Any, file: Any) -> bool:
    return allows(require_manager, user, file) and file.status != Status.ENDED


def can_move(user: Any, file: Any) -> bool:
    return can_manage(user, file) and file.status in MANAGED and not file.handovers.filter(accepted_at=None).exists()


def can_accept(user: Any, handover: Any) -> bool:
    return allows(require_receiver, user, handover)
