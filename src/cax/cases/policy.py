"""Who may do what in the crime-report register (issue 15.4): the services enforce these rules, the
pages and the API ask them which buttons to show. docs/permissions.md has the table.

Everyone in the scope with the role reads the register; case-work roles (the receiving commune,
the investigating department) record and handle reports and see the reporter's identity; auditors
read who saw a confidential identity.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_CASES, VIEW_CASES, VIEW_IDENTITY, VIEW_IDENTITY_LOG
from cax.core.policy import allows, require
from cax.core.scoping import require_write


def require_reader(user: Any) -> None:
    require(user, VIEW_CASES, _("Bạn không có quyền xem sổ tiếp nhận nguồn tin."))


def require_worker(actor: Any, unit: Any) -> None:
    """Record a report in ``unit``'s register, or take a step on one of its reports."""
    require_write(actor, CHANGE_CASES, unit, _("Bạn không có quyền ghi sổ tiếp nhận nguồn tin."))


def require_identity_reader(user: Any) -> None:
    require(user, VIEW_IDENTITY, _("Chỉ cán bộ giải quyết nguồn tin được in biên bản tiếp nhận."))


def require_access_log_reader(user: Any) -> None:
    require(user, VIEW_IDENTITY_LOG, _("Chỉ cán bộ kiểm tra được xem nhật ký truy cập danh tính."))


def can_read(user: Any) -> bool:
    return allows(require_reader, user)


def can_work(user: Any, unit: Any) -> bool:
    return allows(require_worker, user, unit)


def can_register(user: Any, unit: Any) -> bool:
    """The register of a commune-level unit takes new reports (a province's page lists its communes')."""
    return can_work(user, unit) and unit.unit_type.is_commune_level


def can_see_identity(user: Any) -> bool:
    return allows(require_identity_reader, user)
