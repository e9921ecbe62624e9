"""The home page line for province personnel (issue 19): officers whose time served in their
current commune has reached the rotation rule's years."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.todo import WARN, TodoLine, counted
from cax.regimes import policy, selectors
from cax.units.kinds import PROVINCE, home_level

GROUP = gettext_lazy("Chế độ, chính sách")
KEEPS_POSTINGS = "deployment.change_posting"  # the province's personnel office decides rotations


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    unit = actor.unit
    if home_level(unit) != PROVINCE or not actor.has_perm(KEEPS_POSTINGS) or not policy.can_read_entitlements(actor):
        return []
    rule, lines = selectors.rotation_list(actor=actor, unit=unit, today=timezone.localdate(now), due_only=True)
    if rule is None:
        return []
    return [
        TodoLine(
            GROUP,
            _("Cán bộ đã đủ {n} năm công tác tại một xã, đến hạn luân chuyển").format(n=rule.years),
            count=len(lines),
            severity=counted(len(lines), WARN),
            url=f"{reverse('regimes:rotation')}?{urlencode({'unit': unit.code, 'due': '1'})}",
        )
    ]
