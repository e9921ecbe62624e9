"""Who may read and keep the pairings of departments with communes (#8, issue 15.4): a pairing is
read from the department's subtree and from the commune's; province staff and administrators keep
them. The overview and the department's page ask these rules."""

from __future__ import annotations

from typing import Any

from cax.accounts.roles import CHANGE_PAIRING, VIEW_PAIRING
from cax.core.policy import can_change

__all__ = ["CHANGE_PAIRING", "VIEW_PAIRING", "can_edit", "can_read"]


def can_read(user: Any) -> bool:
    return bool(user.has_perm(VIEW_PAIRING))


def can_edit(user: Any, record: Any) -> bool:
    return can_change(user, record)
