"""The home page's lines about the movement (issue 19): for a commune (and a province over its
subtree), the registrations whose assessment window closes soon without a self-assessment, and the
teams that ran long enough in the last rating window and are not rated yet."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.todo import WARN, TodoLine, counted
from cax.movement import policy
from cax.movement.selectors import GROUP, due_registrations, rating_year, unrated_teams
from cax.units.kinds import MINISTRY, home_level


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    unit = actor.unit
    if not policy.can_read(actor) or home_level(unit) == MINISTRY:
        return []
    today = timezone.localdate(now)
    lines = []
    if actor.has_perm(policy.VIEW_REGISTRATIONS):
        due = due_registrations(actor, unit, today).count()
        lines.append(
            TodoLine(
                GROUP,
                _("Đăng ký an toàn về ANTT sắp hết kỳ, chưa tự đánh giá"),
                due,
                severity=counted(due, WARN),
                url=f"{reverse('movement:registration_list')}?{urlencode({'due': '1', 'as_of': today.isoformat()})}",
            )
        )
    year, scheme = rating_year(today)
    if year is not None and actor.has_perm(policy.VIEW_RATINGS):
        unrated = unrated_teams(actor, unit, year, scheme).count()
        lines.append(
            TodoLine(
                GROUP,
                _("Tổ bảo vệ ANTT chưa xếp loại năm {y}").format(y=year),
                unrated,
                severity=counted(unrated, WARN),
                url=f"{reverse('movement:unrated')}?{urlencode({'year': year})}",
            )
        )
    return lines
