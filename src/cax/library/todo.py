"""The home page's line for every user a document applies to: "N tài liệu chờ xác nhận đã đọc"."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.todo import NEWS, TodoLine, counted
from cax.library import policy, selectors

GROUP = gettext_lazy("Tài liệu nghiệp vụ")


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    if not actor.has_perm(policy.ACKNOWLEDGE) or not actor.has_perm(policy.VIEW) or actor.unit_id is None:
        return []
    n = selectors.pending_for(actor, timezone.localdate(now)).count()
    return [
        TodoLine(
            GROUP,
            _("Tài liệu chờ xác nhận đã đọc"),
            count=n,
            severity=counted(n, NEWS),
            url=reverse("library:pending"),
        )
    ]
