"""The leaders' dashboard (issue 17): sorted bars against the norm, 24-month trends, the table of
the unit's children (provinces for the ministry) with drill-down, and the map of units coloured by
a chosen figure.

A fixed number of queries whatever the size of the subtree: the staffing summary (cached per data
revision), one or two aggregate queries per trend (24 for overdue cases, whose past states need
each moment's timeline), one grouped query per figure of the table and the map.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.cases import policy as cases_policy
from cax.core import dashboard as contributions
from cax.core.text import search_key
from cax.deployment import charts, maps, selectors
from cax.units.models import Unit

MONTHS = 24
# Above this many communes the map shows the unit's children (provinces for the ministry), each
# coloured by the share of its communes concerned: 3,321 dots would be unreadable and heavy.
MAX_COMMUNE_DOTS = 400
WARN_SHARE = 10.0  # percent of a child's communes concerned from which its dot turns red

FIGURES = {
    "below_norm": gettext_lazy("Dưới định biên tối thiểu"),
    "overdue": gettext_lazy("Có tin báo, tố giác quá hạn"),
    "not_reported": gettext_lazy("Chưa gửi báo cáo đã đến hạn"),
}


@dataclass
class Row:
    """One row of the table: a child of the unit (a province for the ministry, a commune for a province)."""

    unit_id: int
    code: str
    name: str
    path: str
    communes: int = 0
    covered: int = 0
    officers: int = 0
    below_norm: int = 0
    overdue: int | None = None
    is_commune: bool = False
    flagged: dict = field(default_factory=Counter)  # figure → communes concerned
    extra: list = field(default_factory=list)  # (value, kind) of the apps' columns (core.dashboard)


@dataclass
class Trend:
    title: Any
    spark: charts.Spark
    kind: str  # "num" or "pct": how its figures are written


@dataclass
class Dot:
    name: str
    x: float
    y: float
    state: str
    title: str
    url: str


@dataclass
class UnitMap:
    figure: str
    frame: maps.Frame
    outline: str
    dots: list[Dot]
    unplaced: list[tuple[str, str]]  # (name, url) of units without coordinates
    by_child: bool


@dataclass
class Dashboard:
    unit: Unit
    as_of: dt.date
    summary: selectors.StaffingSummary
    bars: dict
    norm_source: str
    trends: list[Trend]
    rows: list[Row]
    total: Row
    unit_map: UnitMap
    shows_cases: bool
    columns: list[contributions.Column]


def month_ends(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the ``months`` months up to today's, today standing for its own month."""
    ends = []
    month = today.replace(day=1)
    for _i in range(months):
        ends.append(min(today, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return sorted(ends)


def norm_line(summary: selectors.StaffingSummary) -> tuple[int | None, str]:
    """The minimum head count most of the communes are held to, read from the norm rows in force
    (StaffingNorm, resolved per commune), and that rule's description."""
    found = Counter((u.norm.minimum, u.norm.source) for u in summary.units if u.norm and u.norm.minimum)
    if not found:
        return None, ""
    (minimum, source), _n = found.most_common(1)[0]
    return minimum, source


def bars(summary: selectors.StaffingSummary, norm: int | None, url_name: str = "deployment:leader", suffix="") -> dict:
    """Officers per child, largest first; the norm line only where each bar is one commune (the
    children of a province), since the norm is per commune, not per province."""
    communes = {u.unit_id for u in summary.units}
    items = [
        (c.unit.name, c.head_count, reverse(url_name, args=[c.unit.pk]) + suffix)
        for c in summary.children
        if c.communes
    ]
    per_commune = bool(summary.children) and all(c.unit.pk in communes for c in summary.children)
    return charts.sorted_bars(items, norm if per_commune else None)


def _trends(
    actor: Any,
    summary: selectors.StaffingSummary,
    ends: list[dt.date],
    now: dt.datetime,
    cases: bool,
    extra: list[contributions.Figures],
) -> list[Trend]:
    """The summary's own 24-month series (it is today's, its months are ``ends``), then the rest."""
    unit = summary.unit
    labels = [f"{d:%m/%Y}" for d in ends]
    heads = dict(summary.monthly)
    coverage = {month: (covered, n) for month, covered, n in summary.monthly_coverage}
    shares = [coverage.get(d.replace(day=1), (0, 0)) for d in ends]
    trends = [
        Trend(
            _("Biên chế"),
            charts.spark([(lab, heads.get(d.replace(day=1))) for lab, d in zip(labels, ends, strict=True)]),
            "num",
        ),
        Trend(
            _("Tỷ lệ xã có Công an chính quy"),
            charts.spark(
                [(lab, round(100 * c / n, 1) if n else None) for lab, (c, n) in zip(labels, shares, strict=True)]
            ),
            "pct",
        ),
    ]
    if cases:
        from cax.cases.selectors import overdue_series

        moments = [timezone.make_aware(dt.datetime.combine(d, dt.time.max)) for d in ends]
        overdue = overdue_series(actor=actor, unit=unit, moments=moments, now=now)
        trends.append(
            Trend(_("Tin báo, tố giác quá hạn"), charts.spark(list(zip(labels, overdue, strict=True))), "num")
        )
    for figures in extra:
        for title, kind, values in figures.trends:
            trends.append(Trend(title, charts.spark(list(zip(labels, values, strict=True))), kind))
    return trends


class _Rows:
    """The table's rows keyed by child id, and which row a path (of a commune, or of any unit that
    holds a case) rolls up to."""

    def __init__(self, unit: Unit, summary: selectors.StaffingSummary):
        self.depth = unit.path.strip("/").count("/") + 1
        communes = {u.unit_id for u in summary.units}
        self.rows: dict[int, Row] = {}
        for c in summary.children:
            self.rows[c.unit.pk] = Row(
                c.unit.pk,
                c.unit.code,
                c.unit.name,
                c.unit.path,
                c.communes,
                c.covered,
                c.head_count,
                c.below_norm,
                is_commune=c.unit.pk in communes,
            )

    def of_path(self, path: str) -> Row | None:
        segments = path.strip("/").split("/")
        return self.rows.get(int(segments[self.depth])) if len(segments) > self.depth else None


def _table(actor, unit, summary, now, cases: bool, extra: list) -> tuple[_Rows, dict[int, set[str]]]:
    """The rows, and per commune id the figures it is concerned by (for the map)."""
    table = _Rows(unit, summary)
    concerned: dict[int, set[str]] = {u.unit_id: set() for u in summary.units}
    for u in summary.units:
        if u.shortfall:
            concerned[u.unit_id].add("below_norm")
    if cases:
        _add_overdue(actor, unit, now, table, concerned)
    for figures in extra:
        for column in figures.columns:
            for row in table.rows.values():
                row.extra.append((column.values.get(row.unit_id), column.kind))
        for figure, ids in figures.flags.items():
            for pk in ids:
                if pk in concerned:
                    concerned[pk].add(figure)
    paths = {u.unit_id: u.path for u in summary.units}
    for commune_id, figures in concerned.items():
        row = table.of_path(paths[commune_id])
        if row is not None:
            for figure in figures:
                row.flagged[figure] += 1
    return table, concerned


def _add_overdue(actor, unit, now, table: _Rows, concerned: dict[int, set[str]]) -> None:
    from cax.cases.selectors import overdue_by_unit

    for row in table.rows.values():
        row.overdue = 0
    by_path = overdue_by_unit(actor=actor, unit=unit, now=now)
    for path, n in by_path.items():
        row = table.of_path(path)
        if row is not None:
            row.overdue = (row.overdue or 0) + n
        # A case held by a commune, or by a unit under it, marks the commune.
        for segment in path.strip("/").split("/"):
            if int(segment) in concerned:
                concerned[int(segment)].add("overdue")


def _total(unit: Unit, rows: list[Row], cases: bool) -> Row:
    total = Row(unit.pk, unit.code, _("Tổng cộng"), unit.path, overdue=0 if cases else None)
    for row in rows:
        total.communes += row.communes
        total.covered += row.covered
        total.officers += row.officers
        total.below_norm += row.below_norm
        if cases:
            total.overdue = (total.overdue or 0) + (row.overdue or 0)
    return total


def _map(summary, table: _Rows, concerned: dict[int, set[str]], figure: str) -> UnitMap:
    """Dots for the communes, or for the children when there are too many communes to draw."""
    by_child = len(summary.units) > MAX_COMMUNE_DOTS
    if by_child:
        ids = list(table.rows)
    else:
        ids = [u.unit_id for u in summary.units]
    places = {
        pk: (float(lat), float(lon))
        for pk, lat, lon in Unit.objects.filter(
            pk__in=ids, latitude__isnull=False, longitude__isnull=False
        ).values_list("pk", "latitude", "longitude")
    }
    frame = maps.frame_around(list(places.values()))
    label = FIGURES[figure]
    dots, unplaced = [], []
    names = {row.unit_id: row.name for row in table.rows.values()} | {u.unit_id: u.name for u in summary.units}
    for pk in ids:
        url = reverse("deployment:leader", args=[pk]) + f"?figure={figure}"
        if pk not in places:
            unplaced.append((names[pk], url))
            continue
        if by_child:
            row = table.rows[pk]
            n = row.flagged[figure]
            share = 100 * n / row.communes if row.communes else 0
            state = "ok" if not n else ("bad" if share >= WARN_SHARE else "warn")
            title = _("{u}: {n}/{m} xã {f}").format(u=row.name, n=n, m=row.communes, f=str(label).lower())
        else:
            hit = figure in concerned.get(pk, ())
            state = "bad" if hit else "ok"
            met = _("đạt")  # outside the f-string: xgettext does not read inside one
            title = f"{names[pk]}: {label if hit else met}"
        x, y = frame.project(*places[pk])
        dots.append(Dot(names[pk], x, y, state, title, url))
    return UnitMap(figure, frame, frame.outline_path(), dots, sorted(unplaced), by_child)


def dashboard(*, actor: Any, unit: Unit, figure: str = "below_norm", now: dt.datetime | None = None) -> Dashboard:
    """Everything the leaders' page shows for ``unit`` (in the actor's scope, else a 404) now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = selectors.staffing_summary(actor=actor, unit=unit, as_of=today)
    cases = cases_policy.can_read(actor)
    ends = month_ends(today)
    extra = contributions.collect(actor=actor, unit=unit, ends=ends, now=now)
    norm, source = norm_line(summary)
    table, concerned = _table(actor, unit, summary, now, cases, extra)
    rows = sorted(table.rows.values(), key=lambda r: search_key(r.name))  # "Đắk Lắk" among the D
    total = _total(unit, rows, cases)
    columns = [column for figures in extra for column in figures.columns]
    total.extra = [(column.total, column.kind) for column in columns]
    return Dashboard(
        unit=unit,
        as_of=today,
        summary=summary,
        bars=bars(summary, norm),
        norm_source=source,
        trends=_trends(actor, summary, ends, now, cases, extra),
        rows=rows,
        total=total,
        unit_map=_map(summary, table, concerned, figure),
        shows_cases=cases,
        columns=columns,
    )
