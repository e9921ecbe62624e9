"""Who may read and keep casualties, commendations and emulation campaigns (#8, issue 15.4):
everyone reads their own subtree; province staff and administrators keep them. The summary page, the
API and the overview tiles ask these rules; the services save through the same permissions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.core.policy import allows, can_change, require

VIEW_CASUALTIES = "honours.view_casualty"
# accounts.roles grants these through CHANGE_HONOURS (province staff and administrators).
CHANGE_CASUALTY = "honours.change_casualty"
CHANGE_COMMENDATION = "honours.change_commendation"
CHANGE_CAMPAIGN = "honours.change_emulationcampaign"


def require_casualty_reader(user: Any) -> None:
    what = _("cán bộ hy sinh, bị thương khi làm nhiệm vụ")  # the casualty register's plural label
    require(user, VIEW_CASUALTIES, _("Bạn không có quyền xem {what}.").format(what=what))


def can_read(user: Any) -> bool:
    return allows(require_casualty_reader, user)


def can_edit(user: Any, record: Any) -> bool:
    return can_change(user, record)
