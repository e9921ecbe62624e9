"""Figures of the honours app: the overview's tiles and the casualty summary, for any period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.scoping import path_q
from cax.core.text import vn_date
from cax.core.tiles import Tile
from cax.honours import policy
from cax.honours.models import Casualty, CasualtyKind, Cause, Commendation, EmulationCampaign

GROUP = gettext_lazy("Thương vong, khen thưởng")


def _list_url(name: str, **params) -> str:
    return reverse(f"honours:{name}_list") + "?" + urlencode({k: v for k, v in params.items() if v})


def tiles(*, actor, unit, first: dt.date, last: dt.date) -> list[Tile]:
    """Killed, injured, commendations (units / officers) and active campaigns in ``unit``'s subtree
    for ``first``–``last`` (both inclusive); three queries whatever the data."""
    if not policy.can_read(actor):
        return []
    period = {"first": first.isoformat(), "last": last.isoformat()}
    casualties = (
        Casualty.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(date__gte=first, date__lte=last)
        .aggregate(
            killed=Count("pk", filter=Q(kind=CasualtyKind.KILLED)),
            injured=Count("pk", filter=Q(kind=CasualtyKind.INJURED)),
        )
    )
    commendations = (
        Commendation.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(decision_date__gte=first, decision_date__lte=last)
        .aggregate(
            units=Count("pk", filter=Q(officer__isnull=True)), officers=Count("pk", filter=Q(officer__isnull=False))
        )
    )
    # A campaign counts here when a unit of the subtree takes part in it during the period, whoever
    # launched it: a commune's overview shows the province's campaign it joined.
    taking_part = EmulationCampaign.participants.through.objects.filter(
        path_q("unit__path", unit.path),
        emulationcampaign__starts_on__lte=last,
        emulationcampaign__ends_on__gte=first,
        emulationcampaign__in=EmulationCampaign.objects.visible_to(actor).values("pk"),
    ).aggregate(campaigns=Count("emulationcampaign", distinct=True), units=Count("unit", distinct=True))
    return _tiles(unit, period, casualties, commendations, taking_part)


def _tiles(unit, period: dict, casualties: dict, commendations: dict, taking_part: dict) -> list[Tile]:
    """The four tiles from the three counts; each links to the list of the rows it counts."""
    return [
        Tile(
            group=GROUP,
            title=_("Cán bộ hy sinh"),
            value=fmt.number(casualties["killed"]),
            detail=_("khi làm nhiệm vụ trong kỳ"),
            url=_list_url("casualty", unit=unit.code, kind=CasualtyKind.KILLED, **period),
            state="bad" if casualties["killed"] else "",
        ),
        Tile(
            group=GROUP,
            title=_("Cán bộ bị thương"),
            value=fmt.number(casualties["injured"]),
            detail=_("khi làm nhiệm vụ trong kỳ"),
            url=_list_url("casualty", unit=unit.code, kind=CasualtyKind.INJURED, **period),
            state="warn" if casualties["injured"] else "",
        ),
        Tile(
            group=GROUP,
            title=_("Khen thưởng (tập thể / cá nhân)"),
            value=f"{fmt.number(commendations['units'])} / {fmt.number(commendations['officers'])}",
            detail=_("{n} quyết định khen thưởng trong kỳ").format(
                n=fmt.number(commendations["units"] + commendations["officers"])
            ),
            url=_list_url("commendation", unit=unit.code, **period),
        ),
        Tile(
            group=GROUP,
            title=_("Phong trào thi đua đang diễn ra"),
            value=fmt.number(taking_part["campaigns"]),
            detail=_("{n} đơn vị tham gia").format(n=fmt.number(taking_part["units"])),
            url=_list_url("campaign", participant=unit.code, **period),
        ),
    ]


# -- the casualty summary -------------------------------------------------------------------------


@dataclass
class SummaryLine:
    label: str
    killed: int = 0
    injured: int = 0
    code: str = ""

    @property
    def total(self) -> int:
        return self.killed + self.injured


@dataclass
class CasualtySummary:
    unit: object
    first: dt.date | None
    last: dt.date
    by_year: list[SummaryLine] = field(default_factory=list)
    by_cause: list[SummaryLine] = field(default_factory=list)
    total: SummaryLine = field(default_factory=lambda: SummaryLine(""))

    @property
    def since_year(self) -> int | None:
        """The first year with a record: "từ 2018" when no start date was asked for."""
        return self.first.year if self.first else (int(self.by_year[0].label) if self.by_year else None)

    def headline(self) -> str:
        if self.since_year is None:
            return _("Chưa có cán bộ hy sinh, bị thương trong kỳ.")
        return _("{killed} hy sinh, {injured} bị thương từ {since} đến {until}").format(
            killed=self.total.killed,
            injured=self.total.injured,
            since=vn_date(self.first) if self.first else self.since_year,
            until=vn_date(self.last),
        )

    def rows(self) -> list[tuple[str, str, int, int, int]]:
        """For Excel: (group, label, killed, injured, total)."""
        out = [(_("Năm"), line.label, line.killed, line.injured, line.total) for line in self.by_year]
        out += [(_("Nguyên nhân"), line.label, line.killed, line.injured, line.total) for line in self.by_cause]
        out.append((_("Tổng cộng"), "", self.total.killed, self.total.injured, self.total.total))
        return out


def casualty_summary(*, actor, unit, first: dt.date | None, last: dt.date) -> CasualtySummary:
    """Killed and injured per year and per cause in ``unit``'s subtree, ``first``–``last`` inclusive
    (no ``first``: since the first record). One grouped query."""
    rows = Casualty.objects.visible_to(actor).in_subtree(unit).filter(date__lte=last)
    if first is not None:
        rows = rows.filter(date__gte=first)
    grouped = (
        rows.annotate(year=ExtractYear("date")).order_by().values_list("year", "cause", "kind").annotate(n=Count("pk"))
    )
    summary = CasualtySummary(unit=unit, first=first, last=last)
    years: dict[int, SummaryLine] = {}
    causes = {code: SummaryLine(str(label), code=code) for code, label in Cause.choices}
    for year, cause, kind, n in grouped:
        attr = "killed" if kind == CasualtyKind.KILLED else "injured"
        for line in (
            years.setdefault(year, SummaryLine(str(year))),
            causes.setdefault(cause, SummaryLine(cause, code=cause)),
            summary.total,
        ):
            setattr(line, attr, getattr(line, attr) + n)
    summary.by_year = [years[y] for y in sorted(years)]
    summary.by_cause = list(causes.values())
    return summary
