"""The ministry's home page figure on headquarters (issue 17): communes whose headquarters is built.
Headquarters keep only their present status (its changes are in the change log, which not every
reader may open), so this figure has no trend: its past columns say so rather than guess."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core import formatting as fmt
from cax.core.tiles import percent
from cax.core.todo import FIGURE, TodoLine, trend_days
from cax.facilities.models import HeadquartersStatus
from cax.facilities.selectors import GROUP, VIEW_HEADQUARTERS, headquarters_summary
from cax.units.kinds import MINISTRY, home_level

NO_HISTORY = "—"


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    unit = actor.unit
    if not actor.has_perm(VIEW_HEADQUARTERS) or home_level(unit) != MINISTRY:
        return []
    hq = headquarters_summary(actor=actor, unit=unit)
    params = urlencode({"unit": unit.code, "status": HeadquartersStatus.BUILT})
    return [
        TodoLine(
            GROUP,
            _("Trụ sở Công an xã đã xây dựng xong"),
            figure=fmt.percent(percent(hq.built, hq.communes)),
            severity=FIGURE,
            url=f"{reverse('facilities:headquarters_list')}?{params}",
            detail=_("{n}/{total} đơn vị cấp xã; chỉ có tình trạng hiện nay").format(
                n=fmt.number(hq.built), total=fmt.number(hq.communes)
            ),
            trend=tuple((fmt.date(day), NO_HISTORY) for day in trend_days(timezone.localdate(now))),
        )
    ]
