"""Who may do what at the procedures desk (issue 18): the services enforce these rules, the pages
ask them which actions to offer. docs/permissions.md and docs/procedures.md have the table.

The commune's officers and chief run their own desk and alone read the names it keeps; every level
above reads the figures (counts by unit and period), never a dossier or a name; auditors read who
read a name.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import VIEW_DESK_NAME_LOG, VIEW_DESK_NAMES
from cax.core.policy import allows, require
from cax.core.scoping import is_within_scope, require_write

CHANGE_DOSSIERS = "procedures.change_dossier"
CHANGE_DECLARATIONS = "procedures.change_declaration"
COUNT_DOSSIERS = "procedures.count_dossier"


def require_desk(actor: Any, unit: Any) -> None:
    """Record or handle a dossier of ``unit``'s desk."""
    require_write(actor, CHANGE_DOSSIERS, unit, _("Bạn không có quyền ghi hồ sơ thủ tục hành chính."))


def require_intake(actor: Any, unit: Any) -> None:
    require_write(actor, CHANGE_DECLARATIONS, unit, _("Bạn không có quyền ghi thông báo lưu trú, khai báo tạm trú."))


def require_figures(actor: Any) -> None:
    require(actor, COUNT_DOSSIERS, _("Bạn không có quyền xem số liệu thủ tục hành chính."))


def require_name_log_reader(actor: Any) -> None:
    require(actor, VIEW_DESK_NAME_LOG, _("Chỉ cán bộ kiểm tra được xem nhật ký truy cập thông tin cá nhân."))


def sees_names(actor: Any, unit: Any) -> bool:
    """The managing commune's own officers (the system too): nobody above, nobody beside."""
    if actor is None:
        return True
    return bool(actor.has_perm(VIEW_DESK_NAMES)) and is_within_scope(actor, unit.path)


def can_handle(actor: Any, dossier: Any) -> bool:
    return allows(require_desk, actor, dossier.unit)


def can_see_figures(actor: Any) -> bool:
    return allows(require_figures, actor)
