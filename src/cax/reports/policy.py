"""Who may do what to a periodic report (#6, issue 15.4): the services enforce these rules, the
report pages ask them which buttons to show. docs/permissions.md has the table.

Officers of the reporting unit fill in drafts; its chief signs and sends; the levels above it (a
strict ancestor, never the unit itself) approve, return, lock and reopen; leaders issue roll-ups.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import (
    APPROVE_REPORTS,
    CHANGE_REPORTS,
    IMPORT_REPORT_VALUES,
    ISSUE_REPORTS,
    SUBMIT_REPORTS,
    VIEW_REPORTS,
)
from cax.core.exceptions import PermissionDenied
from cax.core.policy import allows
from cax.core.scoping import require_write


def require_editor(actor: Any, unit: Any) -> None:
    require_write(actor, CHANGE_REPORTS, unit, _("Bạn không có quyền nhập báo cáo."))


def require_signer(actor: Any, unit: Any) -> None:
    require_write(actor, SUBMIT_REPORTS, unit, _("Chỉ Trưởng Công an xã (người ký) được gửi báo cáo."))


def require_reviewer(actor: Any, unit: Any) -> None:
    """Review belongs to the levels above the reporting unit, never to the unit itself."""
    require_write(actor, APPROVE_REPORTS, unit, _("Bạn không có quyền duyệt báo cáo."))
    if actor is not None and actor.unit_id == unit.pk:
        raise PermissionDenied(_("Báo cáo do cấp trên duyệt; đơn vị không tự duyệt báo cáo của mình."))


def require_issuer(actor: Any, unit: Any) -> None:
    require_write(actor, ISSUE_REPORTS, unit, _("Bạn không có quyền ban hành báo cáo tổng hợp."))


def require_importer(actor: Any, unit: Any) -> None:
    require_write(actor, IMPORT_REPORT_VALUES, unit, _("Bạn không có quyền nhập số liệu báo cáo."))


def is_open(report: Any, now: dt.datetime) -> bool:
    """The report can still be written: a draft or returned, its period not locked, and (before its
    draft exists) one the unit must send (services: the same functions refuse the write)."""
    from cax.reports import services

    if report.status not in services.EDITABLE or services.is_locked(report, now):
        return False
    return report.pk is not None or services.is_expected(report.version, report.unit, report.period)


def can_read(user: Any) -> bool:
    return bool(user.has_perm(VIEW_REPORTS))


def can_edit(user: Any, report: Any, now: dt.datetime) -> bool:
    return allows(require_editor, user, report.unit) and is_open(report, now)


def can_submit(user: Any, report: Any, now: dt.datetime) -> bool:
    return can_edit(user, report, now) and allows(require_signer, user, report.unit)


def can_review(user: Any, unit: Any) -> bool:
    return allows(require_reviewer, user, unit)


def can_issue(user: Any, unit: Any) -> bool:
    return allows(require_issuer, user, unit)
