"""Who may read what officers are owed (issue 19): amounts are personal data. Province personnel,
leaders and auditors read their subtree's lists; a commune chief their commune's; everyone reads
the rate rows and the area classification. Selectors and pages ask these rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cax.core.policy import allows, require

VIEW_ENTITLEMENTS = "regimes.view_entitlement"


def require_entitlement_reader(user: Any) -> None:
    require(user, VIEW_ENTITLEMENTS, _("Bạn không có quyền xem chế độ được hưởng của cán bộ."))


def can_read_entitlements(user: Any) -> bool:
    return allows(require_entitlement_reader, user)
