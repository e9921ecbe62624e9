"""Who may keep officers' records (#4, issue 15.4): administrators and province personnel staff
(TCCB), inside their subtree; everyone else reads what their scope holds. The services and the
officer import enforce it, the pages ask it which buttons to show."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_OFFICERS
from cax.core.policy import allows, require
from cax.core.scoping import require_write


def require_keeper(actor: Any, unit: Any = None) -> None:
    """Change an officer's record (of ``unit`` when given: its scope too)."""
    if unit is None:
        require(actor, CHANGE_OFFICERS, _("Bạn không có quyền cập nhật hồ sơ cán bộ."))
    else:
        require_write(actor, CHANGE_OFFICERS, unit, _("Bạn không có quyền cập nhật hồ sơ cán bộ."))


def require_importer(actor: Any) -> None:
    require(actor, CHANGE_OFFICERS, _("Bạn không có quyền nhập hồ sơ cán bộ."))


def can_keep(user: Any, unit: Any = None) -> bool:
    return allows(require_keeper, user, unit)
