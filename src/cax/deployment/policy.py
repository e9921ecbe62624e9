"""Who may do what with postings, party records and posting plans (#4, #7, issue 15.4): the
services enforce these rules, the pages ask them which forms and buttons to show.

Province personnel staff (TCCB) and administrators post officers, keep the party cells and
committee seats, and build and approve plans inside their subtree; leaders and auditors read plans;
everyone reads the staffing figures of their own subtree.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_PLANS, CHANGE_POSTINGS, VIEW_PLANS, VIEW_POSTINGS
from cax.core.policy import allows, require
from cax.core.scoping import require_write


def require_staffing_reader(user: Any) -> None:
    require(user, VIEW_POSTINGS, _("Bạn không có quyền xem số liệu bố trí cán bộ."))


def require_poster(actor: Any, unit: Any = None) -> None:
    """Post, transfer or end a posting (in ``unit`` when given: its scope too)."""
    if unit is None:
        require(actor, CHANGE_POSTINGS, _("Bạn không có quyền bố trí cán bộ."))
    else:
        require_write(actor, CHANGE_POSTINGS, unit, _("Bạn không có quyền bố trí cán bộ."))


def require_party_keeper(actor: Any, unit: Any) -> None:
    require_write(actor, "deployment.change_partycell", unit, _("Bạn không có quyền cập nhật tổ chức đảng."))


def require_plan_reader(user: Any) -> None:
    require(user, VIEW_PLANS, _("Bạn không có quyền với phương án bố trí."))


def require_planner(actor: Any, unit: Any = None) -> None:
    """Build, run, edit or approve a plan (of ``unit`` when given: its scope too)."""
    if unit is None:
        require(actor, CHANGE_PLANS, _("Bạn không có quyền với phương án bố trí."))
    else:
        require_write(actor, CHANGE_PLANS, unit, _("Bạn không có quyền lập phương án bố trí."))


def can_post(user: Any, unit: Any = None) -> bool:
    return allows(require_poster, user, unit)


def can_plan(user: Any, unit: Any = None) -> bool:
    return allows(require_planner, user, unit)
