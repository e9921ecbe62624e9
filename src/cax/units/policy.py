"""Who may change the unit tree (issue 15.4): administrators and province personnel staff, inside
their subtree; a new top-level unit needs a user at the top. The services and the import enforce
these rules, the pages ask them which links to show. The permission names are the units app's
own (``units.change_unit``); the role table (accounts, the layer above) grants them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.core.exceptions import NotVisible, PermissionDenied
from cax.core.policy import allows, require

CHANGE_UNITS = "units.change_unit"


def require_importer(user: Any) -> None:
    require(user, CHANGE_UNITS, _("Bạn không có quyền nhập danh mục đơn vị."))


def require_editor(actor: Any, unit: Any) -> None:
    """Change ``unit`` or create one under it; ``unit`` None: a new top-level unit."""
    if actor is None:
        return
    if unit is None:
        if not (actor.has_perm(CHANGE_UNITS) and actor.scope_is_top_level):
            raise PermissionDenied(_("Chỉ cấp Bộ mới được tạo đơn vị cấp cao nhất."))
        return
    if not actor.has_perm("units.view_unit", unit):
        raise NotVisible(_("Không tìm thấy đơn vị."))
    if not actor.has_perm(CHANGE_UNITS, unit):
        raise PermissionDenied(_("Bạn không có quyền sửa đơn vị “{name}”.").format(name=unit.name))


def can_import(user: Any) -> bool:
    return allows(require_importer, user)
