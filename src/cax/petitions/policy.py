"""Who may do what with a request from commune police (#8, issue 15.4): the services enforce these
rules, the request's page asks them which actions to offer. docs/permissions.md has the table.

The raising unit's side (its subtree, upwards) assigns a request to a department and reminds it;
the assigned department's staff, or leaders on the raising side, answer it; an answer is final.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.accounts.roles import ANSWER_PETITIONS, ASSIGN_PETITIONS
from cax.core.exceptions import DomainError, NotVisible
from cax.core.policy import allows, require
from cax.core.scoping import is_within_scope
from cax.core.text import vn_date
from cax.petitions.models import Status


def sees_unit(actor: Any, petition: Any) -> bool:
    """The actor's subtree holds the unit that raised the request (the system sees every one)."""
    return actor is None or is_within_scope(actor, petition.unit.path)


def sees_department(actor: Any, petition: Any) -> bool:
    """The actor's subtree holds the department the request is assigned to."""
    return actor is None or (
        petition.assigned_department_id is not None and is_within_scope(actor, petition.assigned_department.path)
    )


def require_unanswered(petition: Any) -> None:
    if petition.status == Status.ANSWERED:
        raise DomainError(_("Kiến nghị đã được trả lời ngày {d}.").format(d=vn_date(petition.answered_on)))


def require_assigner(actor: Any, petition: Any = None) -> None:
    require(actor, ASSIGN_PETITIONS, _("Bạn không có quyền giao kiến nghị cho phòng."))
    if petition is not None and not sees_unit(actor, petition):
        raise NotVisible(_("Không tìm thấy."))


def require_answerer(actor: Any, petition: Any = None) -> None:
    require(actor, ANSWER_PETITIONS, _("Bạn không có quyền trả lời kiến nghị."))
    if petition is not None and not (sees_unit(actor, petition) or sees_department(actor, petition)):
        raise NotVisible(_("Không tìm thấy."))


def require_reminder(actor: Any, petition: Any) -> None:
    require(actor, ASSIGN_PETITIONS, _("Bạn không có quyền nhắc phòng trả lời kiến nghị."))
    if not sees_unit(actor, petition):
        raise NotVisible(_("Không tìm thấy."))
    if petition.status != Status.ASSIGNED:
        raise DomainError(_("Chỉ nhắc kiến nghị đã giao phòng mà chưa trả lời."))


def can_assign(user: Any, petition: Any) -> bool:
    return allows(require_assigner, user, petition) and allows(require_unanswered, petition)


def can_answer(user: Any, petition: Any) -> bool:
    return allows(require_answerer, user, petition) and allows(require_unanswered, petition)


def can_remind(user: Any, petition: Any) -> bool:
    return allows(require_reminder, user, petition)


def can_raise(user: Any) -> bool:
    return bool(user.has_perm("petitions.change_petition"))
