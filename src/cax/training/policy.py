"""Who may read and keep training records (#8, issue 15.4): everyone reads the courses of their own
subtree; province staff, departments and administrators keep courses and participants. An officer's
training history needs the right to read participants. The selectors and pages ask these rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.core.policy import allows, can_change, require

VIEW_COURSES = "training.view_course"
VIEW_PARTICIPANTS = "training.view_participant"


def require_history_reader(user: Any) -> None:
    require(user, VIEW_PARTICIPANTS, _("Bạn không có quyền xem kết quả đào tạo, tập huấn."))


def can_read(user: Any) -> bool:
    return bool(user.has_perm(VIEW_COURSES))


def can_read_history(user: Any) -> bool:
    return allows(require_history_reader, user)


def can_edit(user: Any, record: Any) -> bool:
    return can_change(user, record)
