"""Who may do what with headquarters and equipment (#8, issue 15.4): the services enforce these
rules, the pages ask them which forms and buttons to show. Commune police and province staff keep
their own headquarters and equipment; only the top of the tree changes the national standard list,
a province adds its own rows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_EQUIPMENT_STANDARD
from cax.core.exceptions import PermissionDenied
from cax.core.policy import allows, require
from cax.core.scoping import require_write

CHANGE_HEADQUARTERS = "facilities.change_headquarters"
CHANGE_EQUIPMENT = "facilities.change_equipment"
CHANGE_EVENTS = "facilities.change_equipmentevent"
VIEW_HEADQUARTERS = "facilities.view_headquarters"
VIEW_EQUIPMENT = "facilities.view_equipment"


def require_event_recorder(actor: Any, unit: Any = None) -> None:
    """Record an event of equipment held by ``unit`` (when given: the right to change its equipment)."""
    denied = _("Bạn không có quyền ghi sự kiện trang thiết bị.")
    require(actor, CHANGE_EVENTS, denied)
    if unit is not None:
        require_write(actor, CHANGE_EQUIPMENT, unit, denied)


def require_national_keeper(actor: Any) -> None:
    if actor is not None and not (actor.has_perm(CHANGE_EQUIPMENT_STANDARD) and actor.scope_is_top_level):
        raise PermissionDenied(
            _("Chỉ cấp Bộ sửa được định mức toàn quốc; Công an tỉnh hãy thêm định mức riêng của tỉnh (ghi mã tỉnh).")
        )


def require_headquarters_reader(user: Any) -> None:
    require(user, VIEW_HEADQUARTERS, _("Bạn không có quyền xem trụ sở Công an xã."))


def require_equipment_reader(user: Any) -> None:
    require(user, VIEW_EQUIPMENT, _("Bạn không có quyền xem trang thiết bị."))


def can_record_events(user: Any, equipment: Any) -> bool:
    return allows(require_event_recorder, user, equipment.unit)


def can_change_headquarters(user: Any) -> bool:
    return bool(user.has_perm(CHANGE_HEADQUARTERS))
