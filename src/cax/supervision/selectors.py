"""Reads of persons under local management (issue 18.1). Two kinds, never mixed:

- rows that name a person start from ``visible_to(actor)`` (``models.names_q``: the managing
  commune, the responsible department), and nobody else gets a row;
- figures (counts by category, status, overdue duty, per unit) for every level with
  ``supervision.view_figures``, about a unit the actor sees: aggregates only, no name, no file id.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.scoping import require_visible
from cax.core.text import vn_date
from cax.core.tiles import Tile
from cax.supervision import policy
from cax.supervision.models import (
    OPEN,
    Category,
    Duty,
    Handover,
    Status,
    StatusChange,
    SupervisionFile,
)
from cax.units.models import Unit

GROUP = gettext_lazy("Quản lý đối tượng")


def overdue_q(day: dt.date, prefix: str = "") -> Q:
    """A duty past its due day on ``day`` (the services clear the due day of a file that ended or
    moved away, so the due day alone says it)."""
    return Q(**{f"{prefix}due_on__lt": day})


def due_soon_q(day: dt.date, days: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}due_on__gte": day, f"{prefix}due_on__lte": day + dt.timedelta(days=days)})


# -- rows with names --------------------------------------------------------------------------------


def files(actor):
    return SupervisionFile.objects.visible_to(actor).select_related("unit", "category", "identity")


def file_for(actor, pk: int) -> SupervisionFile | None:
    return files(actor).filter(pk=pk).first()


def file_page(actor, file: SupervisionFile) -> dict:
    """What a file's page shows besides the file: its events, duties, absences and hand-overs."""
    return {
        "events": list(file.events.select_related("recorded_by").order_by("on", "pk")),
        "duties": list(file.duties.order_by("due_on", "code")),
        "absences": list(file.absences.order_by("-first_day")),
        "handovers": list(file.handovers.select_related("to_unit", "accepted_by").order_by("-moved_at")),
    }


def overdue_duties(actor, *, day: dt.date, unit: Unit | None = None):
    """The overdue duties whose person the actor may name, oldest first (one query, paginated)."""
    qs = Duty.objects.visible_to(actor).filter(overdue_q(day))
    if unit is not None:
        require_visible(actor, unit)
        qs = qs.in_subtree(unit, lookup="unit__path")
    return qs.select_related("file__unit", "file__category", "file__identity").order_by("due_on", "pk")


def handovers_waiting(actor):
    """Hand-overs to a commune in the actor's scope that it has not accepted yet."""
    return (
        Handover.objects.visible_to(actor)
        .filter(accepted_at__isnull=True, to_unit__path__startswith=actor.scope_path)
        .select_related("file__unit", "file__category", "file__identity", "to_unit")
        .order_by("moved_at")
    )


def history(actor, file: SupervisionFile) -> list:
    """The file's change log and its identity's (values masked), for readers of the change log."""
    from cax.core.models import ChangeLog

    if not actor.has_perm("core.view_changelog"):
        return []
    identity_id = getattr(getattr(file, "identity", None), "pk", None)
    about = Q(object_type="supervision.supervisionfile", object_id=str(file.pk))
    if identity_id is not None:
        about |= Q(object_type="supervision.identity", object_id=str(identity_id))
    return list(ChangeLog.objects.visible_to(actor).filter(about).order_by("-time")[:50])


# -- figures (no names) -----------------------------------------------------------------------------


def _subtree(unit: Unit):
    return SupervisionFile.objects.in_subtree(unit, lookup="unit__path")


def figures(actor, unit: Unit, *, day: dt.date | None = None) -> dict:
    """Counts of a unit's subtree: files by category and status, overdue duties by category, and
    the hand-overs waiting; for every level (names are never read here). Three queries."""
    policy.require_figures(actor)
    require_visible(actor, unit)
    today = timezone.localdate()
    day = min(day or today, today)
    past = day < today
    by_status = _statuses_on(unit, day) if past else _statuses(unit)
    # A duty keeps its next due day only, not its past ones: overdue is counted for today.
    overdue = {} if past else _overdue_by_category(unit, day)
    categories = list(Category.objects.order_by("sort_order", "code"))
    rows = []
    for category in categories:
        counts = [by_status.get((category.pk, s), 0) for s in Status.values]
        duties, people = overdue.get(category.pk, (0, 0))
        if past:
            duties = people = None
        rows.append({"category": category, "counts": counts, "total": sum(counts), "overdue": duties, "people": people})
    totals = [sum(r["counts"][i] for r in rows) for i in range(len(Status.values))]
    waiting = Handover.objects.filter(accepted_at__isnull=True, to_unit__path__startswith=unit.path).count()
    return {
        "rows": rows,
        "statuses": list(Status.choices),
        "totals": totals,
        "total": sum(totals),
        "overdue": None if past else sum(r["overdue"] for r in rows),
        "overdue_people": None if past else sum(r["people"] for r in rows),
        "handovers_waiting": waiting,
        "day": day,
        "past": past,
    }


def _statuses(unit: Unit) -> dict:
    rows = _subtree(unit).values("category_id", "status").annotate(n=Count("pk")).order_by()
    return {(row["category_id"], row["status"]): row["n"] for row in rows}


def _statuses_on(unit: Unit, day: dt.date) -> dict:
    """Files by category and the status they had on ``day`` (the latest StatusChange on or before
    it); files not yet received that day are not counted."""
    latest = StatusChange.objects.filter(file=OuterRef("pk"), on__lte=day).order_by("-on", "-pk").values("status")[:1]
    rows = (
        _subtree(unit)
        .annotate(status_on=Subquery(latest))
        .filter(status_on__isnull=False)
        .values("category_id", "status_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["category_id"], row["status_on"]): row["n"] for row in rows}


def _overdue_by_category(unit: Unit, day: dt.date) -> dict:
    return {
        row["category_id"]: (row["n"], row["files"])
        for row in Duty.objects.filter(overdue_q(day))
        .in_subtree(unit, lookup="unit__path")
        .values("category_id")
        .annotate(n=Count("pk"), files=Count("file_id", distinct=True))
        .order_by()
    }


def overdue_by_unit(actor, unit: Unit, *, day: dt.date | None = None) -> list[dict]:
    """The overdue duties of a unit's subtree, counted per managing commune and category: the
    province's overdue list as every level reads it (one query, the size of the province's
    communes, whatever the number of persons)."""
    policy.require_figures(actor)
    require_visible(actor, unit)
    day = day or timezone.localdate()
    rows = (
        Duty.objects.filter(overdue_q(day))
        .in_subtree(unit, lookup="unit__path")
        .values("unit_id", "unit__code", "unit__name", "category__name")
        .annotate(n=Count("pk"), people=Count("file_id", distinct=True))
        .order_by("unit__name", "category__name")
    )
    return [
        {
            "unit_id": r["unit_id"],
            "unit_code": r["unit__code"],
            "unit_name": r["unit__name"],
            "category": r["category__name"],
            "duties": r["n"],
            "people": r["people"],
        }
        for r in rows
    ]


def tiles(*, actor, unit, first, last) -> list[Tile]:
    if not actor.has_perm("supervision.view_figures"):
        return []
    day = min(last, timezone.localdate())
    f = figures(actor, unit, day=day)
    url = reverse("supervision:figures")
    managed = sum(f["totals"][i] for i, s in enumerate(Status.values) if s in OPEN)
    counted = Tile(
        GROUP,
        _("Đối tượng đang quản lý"),
        fmt.number(managed),
        _("chờ tiếp nhận, đang quản lý, vắng mặt có phép, vi phạm; ngày {d}").format(d=vn_date(day)),
        f"{url}?unit={unit.code}&day={day:%d/%m/%Y}",
    )
    if f["past"]:
        return [counted]  # overdue duties are today's only (figures)
    return [
        counted,
        Tile(
            GROUP,
            _("Nghĩa vụ quá hạn"),
            fmt.number(f["overdue"]),
            _("{p} đối tượng có nghĩa vụ quá hạn ngày {d}").format(p=fmt.number(f["overdue_people"]), d=vn_date(day)),
            f"{reverse('supervision:overdue')}?unit={unit.code}",
            state="bad" if f["overdue"] else "ok",
        ),
    ]
