"""The home page's lines about managed persons (issue 18): for the managing commune, the duties
overdue and falling due within a week, and the persons moved in waiting for acceptance; for a
province (or the ministry), the overdue duties of its subtree as a count (no name)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.todo import LATE, WARN, TodoLine, counted
from cax.supervision import policy
from cax.supervision.models import VIEW_FIGURES, Duty
from cax.supervision.selectors import handovers_waiting, overdue_q
from cax.units.kinds import COMMUNE, home_level

GROUP = gettext_lazy("Quản lý đối tượng")
SOON_DAYS = 7


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    if not actor.has_perm(VIEW_FIGURES):
        return []
    today = timezone.localdate(now)
    unit = actor.unit
    if policy.sees_names(actor) and home_level(unit) == COMMUNE:
        return commune_lines(actor=actor, today=today)
    return [subtree_line(actor=actor, unit=unit, today=today)]


def commune_lines(*, actor, today: dt.date) -> list[TodoLine]:
    soon = today + dt.timedelta(days=SOON_DAYS)
    counts = Duty.objects.visible_to(actor).aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
    )
    waiting = handovers_waiting(actor).count()
    files = reverse("supervision:file_list")
    return [
        TodoLine(
            GROUP,
            _("Nghĩa vụ của đối tượng quá hạn"),
            counts["overdue"],
            severity=counted(counts["overdue"], LATE),
            url=reverse("supervision:overdue"),
        ),  # fmt: skip
        TodoLine(
            GROUP,
            _("Nghĩa vụ đến hạn trong {n} ngày").format(n=SOON_DAYS),
            counts["soon"],
            severity=counted(counts["soon"], WARN),
            url=f"{files}?due_within={SOON_DAYS}",
        ),  # fmt: skip
        TodoLine(
            GROUP,
            _("Đối tượng chuyển đến chờ tiếp nhận"),
            waiting,
            severity=counted(waiting, WARN),
            url=reverse("supervision:handover_list"),
        ),  # fmt: skip
    ]


def subtree_line(*, actor, unit, today: dt.date) -> TodoLine:
    n = Duty.objects.filter(overdue_q(today)).in_subtree(unit, lookup="unit__path").count()
    return TodoLine(
        GROUP,
        _("Nghĩa vụ của đối tượng quản lý quá hạn"),
        n,
        severity=counted(n, LATE),
        url=reverse("supervision:overdue") + f"?unit={unit.code}",
        detail=_("số liệu, không hiện họ tên"),
    )
