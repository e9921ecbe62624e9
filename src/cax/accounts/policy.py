"""Who may read and manage user accounts (issue 15.4): administrators manage the accounts of their
own subtree; auditors read them. The services enforce these rules, the pages ask them which
buttons to show."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_USERS, VIEW_SECURITY_LOG, VIEW_USERS
from cax.core.exceptions import PermissionDenied
from cax.core.policy import allows, require


def require_reader(user: Any) -> None:
    require(user, VIEW_USERS, _("Bạn không có quyền xem danh sách tài khoản."))


def require_manager(actor: Any, unit: Any = None) -> None:
    """Create or change accounts (of ``unit`` when given: only inside the manager's own subtree)."""
    require(actor, CHANGE_USERS, _("Bạn không có quyền quản lý tài khoản."))
    if actor is not None and unit is not None and not actor.has_perm(CHANGE_USERS, unit):
        raise PermissionDenied(_("Đơn vị “{u}” nằm ngoài phạm vi quản lý của bạn.").format(u=unit.name))


def can_manage(user: Any) -> bool:
    return allows(require_manager, user)


def require_security_reader(user: Any) -> None:
    """Auditors and administrators read the security log (of their own subtree)."""
    require(user, VIEW_SECURITY_LOG, _("Bạn không có quyền xem nhật ký an ninh."))
