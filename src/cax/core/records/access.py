"""Who may read and change a register's records at all (the rows themselves are scoped by ``visible_to``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cax.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from cax.core.records.register import Register


def require_view(user, register: Register) -> None:
    if not user.has_perm(register.view_perm):
        raise PermissionDenied(_("Bạn không có quyền xem {what}.").format(what=register.label_plural))


def require_change(user, register: Register) -> None:
    if not user.has_perm(register.change_perm):
        raise PermissionDenied(_("Bạn không có quyền sửa {what}.").format(what=register.label_plural))
