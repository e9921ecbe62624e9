"""The home page's lines about crime reports (issue 17): reports near or past their legal deadline
in the user's subtree and, for a province, the communes with overdue reports. The counts are the
clock figures of the register's own filters (selectors.clock_q), so each line opens a list showing
exactly what it counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.cases import policy
from cax.cases.models import Case
from cax.cases.selectors import SOON_DAYS, clock_figures, clock_q, with_clock_state
from cax.core.todo import LATE, OK, WARN, TodoLine, counted
from cax.units.kinds import MINISTRY, PROVINCE, home_level

GROUP = gettext_lazy("Tin báo, tố giác tội phạm")
TOP_COMMUNES = 5  # the province's communes with the most overdue reports, one line each


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    unit = actor.unit
    if not policy.can_read(actor) or home_level(unit) == MINISTRY:
        return []
    figures = clock_figures(actor=actor, unit=unit, now=now)
    url = reverse("cases:list", args=[unit.pk])
    lines = [
        TodoLine(
            GROUP,
            _("Tin báo quá hạn giải quyết"),
            figures["overdue"],
            severity=counted(figures["overdue"], LATE),
            url=f"{url}?overdue=on",
        ),
        TodoLine(
            GROUP,
            _("Tin báo đến hạn giải quyết trong {n} ngày").format(n=SOON_DAYS),
            figures["due_soon"],
            severity=counted(figures["due_soon"], WARN),
            url=f"{url}?due_within_days={SOON_DAYS}",
        ),
        TodoLine(
            GROUP,
            _("Quyết định chưa gửi Viện kiểm sát đúng hạn"),
            figures["procuracy_overdue"],
            severity=counted(figures["procuracy_overdue"], LATE),
            url=f"{url}?procuracy_overdue=on",
        ),
    ]
    if home_level(unit) == PROVINCE and figures["overdue"]:
        lines += overdue_by_unit(actor=actor, unit=unit, now=now)
    return lines


def overdue_by_unit(*, actor, unit, now: dt.datetime, limit: int = TOP_COMMUNES) -> list[TodoLine]:
    """The units (communes, mostly) of ``unit``'s subtree holding the most overdue reports, one
    line each opening that unit's register filtered to them (one query)."""
    # The unit's own register is the first line's list already; a unit's line counts the unit's
    # subtree, as the register it opens does.
    scoped = Case.objects.visible_to(actor).in_subtree(unit).exclude(unit=unit)
    overdue = with_clock_state(scoped, now, now).filter(clock_q("overdue", now))
    rows = (
        overdue.order_by()
        .values_list("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")[:limit]
    )
    return [
        TodoLine(
            GROUP,
            _("Tin báo quá hạn tại {unit}").format(unit=name),
            n,
            severity=LATE if n else OK,
            url=reverse("cases:list", args=[unit_id]) + "?overdue=on",
        )
        for unit_id, name, n in rows
    ]
