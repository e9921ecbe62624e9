"""The home page's lines about staffing (issue 17): for a province, its communes below the officer
norm and without a chief (the staffing page's own tables, which the lines open); for the ministry,
the national figures (coverage, officers, party cells) today, a month and a year ago, all from the
posting history (selectors.staffing_summary reads any past day)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.accounts.roles import VIEW_POSTINGS
from cax.core import formatting as fmt
from cax.core.todo import FIGURE, LATE, WARN, TodoLine, counted, trend_days
from cax.deployment import selectors
from cax.units.kinds import MINISTRY, PROVINCE, home_level, is_department

GROUP = gettext_lazy("Bố trí cán bộ")


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    if not actor.has_perm(VIEW_POSTINGS):
        return []
    unit = actor.unit
    level = home_level(unit)
    today = timezone.localdate(now)
    if level == PROVINCE and not is_department(unit):  # a department has no communes to staff
        return province_lines(actor=actor, unit=unit, today=today)
    if level == MINISTRY:
        return national_figures(actor=actor, unit=unit, today=today)
    return []


def province_lines(*, actor, unit, today: dt.date) -> list[TodoLine]:
    summary = selectors.staffing_summary(actor=actor, unit=unit, as_of=today)
    url = reverse("deployment:staffing", args=[unit.pk])
    below, chiefless = len(summary.below_norm), len(summary.without_chief)
    return [
        TodoLine(
            GROUP,
            _("Đơn vị dưới định biên tối thiểu"),
            below,
            severity=counted(below, LATE),
            url=f"{url}#below-norm",
            detail=_("thiếu {n} cán bộ").format(n=fmt.number(sum(u.shortfall for u in summary.below_norm)))
            if below
            else "",
        ),
        TodoLine(
            GROUP,
            _("Đơn vị chưa có Trưởng Công an"),
            chiefless,
            severity=counted(chiefless, WARN),
            url=f"{url}#without-chief",
        ),
    ]


def national_figures(*, actor, unit, today: dt.date) -> list[TodoLine]:
    days = (today, *trend_days(today))
    summaries = [selectors.staffing_summary(actor=actor, unit=unit, as_of=day) for day in days]
    url = reverse("deployment:staffing", args=[unit.pk])

    def line(label, value, detail="", anchor=""):
        figures = [value(s) for s in summaries]
        trend = tuple((fmt.date(day), figure) for day, figure in zip(days[1:], figures[1:], strict=True))
        return TodoLine(GROUP, label, figure=figures[0], severity=FIGURE, url=url + anchor, detail=detail, trend=trend)

    now = summaries[0]
    return [
        line(
            _("Đơn vị cấp xã có Công an chính quy"),
            lambda s: fmt.percent(s.coverage_percent),
            _("{n}/{total} đơn vị cấp xã").format(n=fmt.number(now.covered), total=fmt.number(now.communes)),
        ),
        line(
            _("Số cán bộ Công an xã"),
            lambda s: fmt.number(s.head_count),
            _("{f} nữ").format(f=fmt.number(now.female)),
        ),
        line(_("Chi bộ Công an xã"), lambda s: fmt.number(s.party_cells)),
    ]
