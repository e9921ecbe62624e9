"""The ministry's home page figures on the grassroots teams (issue 17): teams complete and members
trained, today, a month and a year ago (both counts read any past day)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core import formatting as fmt
from cax.core.tiles import percent
from cax.core.todo import FIGURE, TodoLine, trend_days
from cax.grassroots import policy
from cax.grassroots.selectors import GROUP, member_counts, team_counts
from cax.units.kinds import MINISTRY, home_level


def _url(name: str, **params) -> str:
    return f"{reverse(f'grassroots:{name}_list')}?{urlencode(params)}"


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    unit = actor.unit
    if not policy.can_read(actor) or home_level(unit) != MINISTRY:
        return []
    today = timezone.localdate(now)
    days = (today, *trend_days(today))
    teams = [team_counts(actor, unit, day) for day in days]
    members = [member_counts(actor, unit, day) for day in days]

    def trend(figures: list[str]) -> tuple:
        return tuple((fmt.date(day), figure) for day, figure in zip(days[1:], figures[1:], strict=True))

    complete = [f"{fmt.number(t['complete'])}/{fmt.number(t['total'])}" for t in teams]
    trained = [fmt.percent(percent(m["trained"], m["total"])) for m in members]
    return [
        TodoLine(
            GROUP,
            _("Tổ bảo vệ ANTT kiện toàn"),
            figure=complete[0],
            severity=FIGURE,
            url=_url("team", unit=unit.code, complete="1", as_of=today.isoformat()),
            detail=_("tổ đã kiện toàn / tổ đã hoặc dự kiến thành lập"),
            trend=trend(complete),
        ),
        TodoLine(
            GROUP,
            _("Thành viên tổ đã qua tập huấn"),
            figure=trained[0],
            severity=FIGURE,
            url=_url("member", unit=unit.code, active="1", trained="1", as_of=today.isoformat()),
            detail=_("{t}/{n} thành viên đang hoạt động").format(
                t=fmt.number(members[0]["trained"]), n=fmt.number(members[0]["total"])
            ),
            trend=trend(trained),
        ),
    ]
