"""The home page's lines about the desk (issue 17/18): for a commune, its dossiers due today and
those overdue, each opening the list filtered to them; for a province, its overdue dossiers counted
(the figures page, as it may not list them). Counted with the list's own definitions."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.todo import LATE, WARN, TodoLine, counted
from cax.procedures.models import Dossier, due_between_q, overdue_q
from cax.procedures.selectors import count_overdue
from cax.units.kinds import COMMUNE, PROVINCE, home_level

GROUP = gettext_lazy("Thủ tục hành chính")


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    unit = actor.unit
    level = home_level(unit)
    if level == COMMUNE and actor.has_perm("procedures.view_dossier"):
        return _commune(actor, unit, now)
    if level == PROVINCE and actor.has_perm("procedures.count_dossier"):
        n = count_overdue(Dossier.objects.visible_to(actor, "count").in_subtree(unit), now)
        url = reverse("procedures:figures") + f"?unit={unit.code}"
        return [
            TodoLine(GROUP, _("Hồ sơ thủ tục hành chính quá hạn tại các xã"), n, severity=counted(n, LATE), url=url)
        ]
    return []


def _commune(actor, unit, now: dt.datetime) -> list[TodoLine]:
    from django.db.models import Count

    today = timezone.localdate(now)
    start = dt.datetime.combine(today, dt.time(0), timezone.get_current_timezone())
    counts = (
        Dossier.objects.visible_to(actor)
        .in_subtree(unit)
        .aggregate(
            overdue=Count("pk", filter=overdue_q(now)),
            due_today=Count("pk", filter=due_between_q(max(start, now), start + dt.timedelta(days=1))),
        )
    )
    url = reverse("procedures:dossier_list") + f"?unit={unit.code}"
    return [
        TodoLine(
            GROUP,
            _("Hồ sơ thủ tục hành chính quá hạn trả kết quả"),
            counts["overdue"],
            severity=counted(counts["overdue"], LATE),
            url=f"{url}&overdue=1",
        ),
        TodoLine(
            GROUP,
            _("Hồ sơ đến hạn trả kết quả hôm nay"),
            counts["due_today"],
            severity=counted(counts["due_today"], WARN),
            url=f"{url}&due_today=1",
        ),
    ]
