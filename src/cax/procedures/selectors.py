"""Reads of the procedures desk: the figures (received, resolved, on time, overdue, online share)
per unit and period, for every level above the desk too, from ``visible_to(actor, "count")``;
the overview tiles; the overdue list; who read a name. Never a write."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.bounds import day_from_text
from cax.core.exceptions import DomainError, NotVisible
from cax.core.scoping import require_visible
from cax.core.tiles import Tile, percent
from cax.procedures.models import ONLINE, Declaration, Dossier, IdentityRead
from cax.units.fields import units_by_code

GROUP = gettext_lazy("Thủ tục hành chính")


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight at the start of ``first`` and after ``last``: periods are Vietnamese days."""
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(first, dt.time(0), zone), dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time(0), zone
    )


def as_of(last: dt.date, now: dt.datetime | None = None) -> dt.datetime:
    """The moment a period's open figures are read at: now, or the end of a period already over."""
    now = now or timezone.now()
    return min(now, day_bounds(last, last)[1])


def families(first: dt.date, last: dt.date, moment: dt.datetime) -> list[tuple[Q, dict[str, Any]]]:
    """The figures as four (rows, counts) families, each a WHERE one index reads as a range: the
    period's receipts (unit, received_at), its resolutions (unit, resolved_at), the dossiers open
    past due (the partial index on open dossiers) and those resolved only after ``moment`` (an as-of
    day in the past). One grouped query per family, not one scan of the subtree's every dossier
    (bench/run.py procedures: 2,000,000 dossiers). One definition for the page, the tile, the API."""
    low, high = day_bounds(first, last)
    return [
        (
            Q(received_at__gte=low, received_at__lt=high),
            {"received": Count("pk"), "online": Count("pk", filter=Q(channel__in=ONLINE))},
        ),
        (
            Q(resolved_at__gte=low, resolved_at__lt=high),
            {
                "resolved": Count("pk"),
                "on_time": Count("pk", filter=Q(resolved_at__lte=F("due_at"))),
                "apologies": Count("pk", filter=Q(promised_at__isnull=False)),
            },
        ),
        (Q(due_at__lt=moment, resolved_at__isnull=True), {"overdue": Count("pk")}),
        (Q(due_at__lt=moment, resolved_at__gt=moment), {"overdue_later_resolved": Count("pk")}),
    ]


def _merge(counts: dict[str, int]) -> dict[str, int]:
    """The overdue figure is both overdue families (overdue_q's two branches)."""
    counts = dict(counts)
    counts["overdue"] = counts.get("overdue", 0) + counts.pop("overdue_later_resolved", 0)
    return counts


def count_overdue(queryset, moment: dt.datetime) -> int:
    """``queryset.filter(overdue_q(moment)).count()`` as two index ranges (the home page's line)."""
    return sum(queryset.filter(where).count() for where, _counts in families(moment.date(), moment.date(), moment)[2:])


@dataclass(frozen=True)
class Figures:
    received: int = 0
    online: int = 0
    resolved: int = 0
    on_time: int = 0
    overdue: int = 0
    apologies: int = 0
    declarations: int = 0
    late_declarations: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """QĐ 766/QĐ-TTg by its usual reading: resolved on or before due ÷ resolved, in percent."""
        return percent(self.on_time, self.resolved)

    @property
    def online_share(self) -> float | None:
        return percent(self.online, self.received)


def _declaration_counts(first: dt.date, last: dt.date) -> dict[str, Any]:
    low, high = day_bounds(first, last)
    declared = Q(declared_at__gte=low, declared_at__lt=high)
    return {
        "declarations": Count("pk", filter=declared),
        "late_declarations": Count("pk", filter=declared & Q(declared_at__gt=F("due_at"))),
    }


def figures(*, actor, unit, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> Figures:
    """The subtree's figures for the period (five aggregate queries, whatever its size)."""
    require_visible(actor, unit)
    moment = as_of(last, now)
    scoped = Dossier.objects.visible_to(actor, "count").in_subtree(unit)
    counts: dict[str, int] = {}
    for where, aggregates in families(first, last, moment):
        counts = {**counts, **scoped.filter(where).aggregate(**aggregates)}
    low, high = day_bounds(first, last)
    notices = (
        Declaration.objects.visible_to(actor, "count")
        .in_subtree(unit)
        .filter(declared_at__gte=low, declared_at__lt=high)
        .aggregate(**_declaration_counts(first, last))
    )
    return Figures(**_merge(counts), **notices)


def figures_by_unit(*, actor, unit, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> dict:
    """The subtree's figures, then one row per desk (commune) holding any: nine queries."""
    total = figures(actor=actor, unit=unit, first=first, last=last, now=now)
    moment = as_of(last, now)
    scoped = Dossier.objects.visible_to(actor, "count").in_subtree(unit).order_by()
    by_unit: dict[int, dict[str, Any]] = {}
    for where, aggregates in families(first, last, moment):
        for row in scoped.filter(where).values("unit_id", "unit__code", "unit__name").annotate(**aggregates):
            known = by_unit.get(row["unit_id"], {"code": row["unit__code"], "name": row["unit__name"]})
            by_unit[row["unit_id"]] = {**known, **{key: row[key] for key in aggregates}}
    rows = sorted(by_unit.values(), key=lambda r: r["name"])
    keys = [f.name for f in dataclasses.fields(Figures)]
    table = [(r["code"], r["name"], Figures(**{k: v for k, v in _merge(r).items() if k in keys})) for r in rows]
    return {"total": total, "rows": table}


def figures_params(*, actor, params) -> tuple[Any, dt.date, dt.date]:
    """The page's unit (``?unit=`` code inside the actor's scope, else their own) and period (this
    month so far unless ``?first=``/``?last=``)."""
    unit = actor.unit
    code = (params.get("unit") or "").strip()
    if code:
        unit = units_by_code({code}, actor).get(code)
        if unit is None:
            raise NotVisible(_("Không tìm thấy đơn vị “{code}” trong phạm vi của bạn.").format(code=code))
    today = timezone.localdate()
    first = day_from_text(params.get("first"), "first") or today.replace(day=1)
    last = day_from_text(params.get("last"), "last") or today
    if last < first:
        raise DomainError(_("Đến ngày phải sau từ ngày."))
    return unit, first, last


def overdue_dossiers(*, actor, unit, now: dt.datetime | None = None, limit: int = 50) -> QuerySet[Dossier]:
    """The subtree's overdue dossiers, the longest overdue first: the province's list (the
    benchmark's query, on ``dossier_open_due_idx``). Counts only, for levels that may not list."""
    now = now or timezone.now()
    rows = Dossier.objects.all() if actor is None else Dossier.objects.visible_to(actor)  # None: the system
    return (
        rows.in_subtree(unit)
        .filter(resolved_at__isnull=True, due_at__lt=now)
        .select_related("unit", "procedure")
        .order_by("due_at", "pk")[:limit]
    )


def tiles(*, actor, unit, first, last) -> list[Tile]:
    if not actor.has_perm("procedures.count_dossier"):
        return []
    f = figures(actor=actor, unit=unit, first=first, last=last)
    period = f"unit={unit.code}&first={first.isoformat()}&last={last.isoformat()}"
    page = reverse("procedures:figures")
    can_list = actor.has_perm("procedures.view_dossier")
    listing = reverse("procedures:dossier_list")
    rate = f.on_time_rate
    return [
        Tile(
            GROUP,
            _("Hồ sơ giải quyết đúng hạn"),
            fmt.percent(rate, 1),
            _("{a}/{n} hồ sơ trả kết quả trong kỳ đúng hạn").format(a=fmt.number(f.on_time), n=fmt.number(f.resolved)),
            (f"{listing}?{period}&on_time=1" if can_list else f"{page}?{period}"),
            rate,
            "ok" if rate == 100 else ("warn" if rate is not None else ""),
        ),
        Tile(
            GROUP,
            _("Hồ sơ quá hạn"),
            fmt.number(f.overdue),
            _("đang giải quyết, đã quá hạn trả kết quả"),
            (f"{listing}?unit={unit.code}&overdue=1" if can_list else f"{page}?{period}"),
            state="bad" if f.overdue else "ok",
        ),
        Tile(
            GROUP,
            _("Hồ sơ nộp trực tuyến"),
            fmt.percent(f.online_share, 1),
            _("{a}/{n} hồ sơ tiếp nhận qua Cổng dịch vụ công, VNeID").format(
                a=fmt.number(f.online), n=fmt.number(f.received)
            ),
            (f"{listing}?{period}&online=1" if can_list else f"{page}?{period}"),
            f.online_share,
        ),
    ]


def identity_reads(*, actor, username: str = "") -> QuerySet[IdentityRead]:
    reads = IdentityRead.objects.visible_to(actor).select_related("user", "unit").order_by("-at", "-pk")
    return reads.filter(user__username=username) if username else reads
