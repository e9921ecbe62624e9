"""The home page's lines about requests (issue 17): for a commune, its requests answered in the last
week (news to read); for a province, the requests overdue at its departments, with the departments
holding them. Counted with the list's own filters (answered_since, overdue), which the lines open."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.todo import LATE, NEWS, TodoLine, counted
from cax.petitions.models import Petition, Status, overdue_q
from cax.petitions.registers import ANSWERED_RECENTLY_DAYS
from cax.units.kinds import COMMUNE, PROVINCE, home_level

GROUP = gettext_lazy("Kiến nghị của Công an xã")
DEPARTMENTS_NAMED = 3


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    if not actor.has_perm("petitions.view_petition"):
        return []
    unit = actor.unit
    level = home_level(unit)
    if level == COMMUNE:
        return [answered_line(actor=actor, unit=unit, today=timezone.localdate(now))]
    if level == PROVINCE:
        return [overdue_line(actor=actor, unit=unit, today=timezone.localdate(now))]
    return []


def _list_url(**params: str) -> str:
    return reverse("petitions:petition_list") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def answered_line(*, actor, unit, today: dt.date) -> TodoLine:
    since = today - dt.timedelta(days=ANSWERED_RECENTLY_DAYS[0])
    n = (
        Petition.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(status=Status.ANSWERED, answered_on__gte=since)
        .count()
    )
    return TodoLine(
        GROUP,
        _("Kiến nghị đã được trả lời trong {n} ngày qua").format(n=ANSWERED_RECENTLY_DAYS[0]),
        n,
        severity=counted(n, NEWS),
        url=_list_url(unit=unit.code, answered_since=since.isoformat()),
    )


def overdue_line(*, actor, unit, today: dt.date) -> TodoLine:
    """Overdue at the departments, the ones holding most named (one query)."""
    rows = list(
        Petition.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(overdue_q(today))
        .order_by()
        .values_list("assigned_department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "assigned_department__name")
    )
    n = sum(count for _name, count in rows)
    named = ", ".join(f"{name}: {fmt.number(count)}" for name, count in rows[:DEPARTMENTS_NAMED])
    return TodoLine(
        GROUP,
        _("Kiến nghị quá hạn trả lời tại các phòng"),
        n,
        severity=counted(n, LATE),
        url=_list_url(unit=unit.code, overdue="1"),
        detail=named + (" …" if len(rows) > DEPARTMENTS_NAMED else ""),
    )
