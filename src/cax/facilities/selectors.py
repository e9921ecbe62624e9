"""Headquarters and equipment figures for a unit's subtree: the overview tiles and their drill-downs.

A fixed handful of queries whatever the subtree's size: per-unit rows come from grouped queries and
are combined in Python along the materialized path (as cax.deployment.selectors does).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.models import ChangeLog
from cax.core.tiles import Tile, percent
from cax.facilities import policy
from cax.facilities.models import (
    Equipment,
    EquipmentCategory,
    EquipmentStandard,
    EquipmentStatus,
    Headquarters,
    HeadquartersStatus,
)
from cax.units.models import Unit

GROUP = gettext_lazy("Trụ sở, trang thiết bị")
VIEW_HEADQUARTERS = policy.VIEW_HEADQUARTERS
VIEW_EQUIPMENT = policy.VIEW_EQUIPMENT
# Tile drill-down value of the headquarters list's status filter: temporary or borrowed premises.
MAKESHIFT = "makeshift"


def commune_units(actor, unit: Unit):
    """The current commune-level units of ``unit``'s subtree that ``actor`` sees: the denominator of
    every figure (none for a unit outside the actor's scope)."""
    return Unit.objects.visible_to(actor).current().commune_level().in_subtree(unit)


@dataclass
class HeadquartersSummary:
    communes: int
    by_status: Counter  # status → units; units with no row are counted as "none"

    @property
    def built(self) -> int:
        return self.by_status[HeadquartersStatus.BUILT]

    @property
    def makeshift(self) -> int:
        return self.by_status[HeadquartersStatus.TEMPORARY] + self.by_status[HeadquartersStatus.BORROWED]


def headquarters_summary(*, actor, unit: Unit) -> HeadquartersSummary:
    communes = commune_units(actor, unit)
    total = communes.count()
    rows = (
        Headquarters.objects.visible_to(actor)
        .filter(unit__in=communes)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    by_status = Counter(dict(rows))
    by_status[HeadquartersStatus.NONE] += total - sum(by_status.values())
    return HeadquartersSummary(communes=total, by_status=by_status)


def units_without_headquarters(*, actor, unit: Unit):
    """Commune-level units with no headquarters: no row recorded, or recorded as "none"."""
    has_premises = Q(headquarters__isnull=False) & ~Q(headquarters__status=HeadquartersStatus.NONE)
    return commune_units(actor, unit).exclude(has_premises).select_related("unit_type").order_by("path")


# -- the equipment standard --------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    code: str
    name: str
    category: str
    quantity: int


class StandardResolver:
    """Which standard applies to a unit on a day: for each item code, the row of the deepest owner
    on the unit's path (a province's override over the national row), its latest ``valid_from``."""

    def __init__(self, day: dt.date):
        self._rows: dict[tuple[int | None, str], EquipmentStandard] = {}
        for row in EquipmentStandard.objects.filter(valid_from__lte=day).order_by("valid_from", "pk"):
            self._rows[(row.unit_id, row.code)] = row  # later valid_from replaces earlier
        self.codes = sorted({code for _owner, code in self._rows})
        self._owners = {owner for owner, _code in self._rows}
        # Thousands of communes share the few owners that set a standard (the nation, a province):
        # the answer depends only on which of them are on the path, so it is worked out once each.
        self._answers: dict[tuple[int | None, ...], list[Requirement]] = {}

    def for_path(self, path: str) -> list[Requirement]:
        ids = (None, *(int(part) for part in path.strip("/").split("/") if part))
        owners = tuple(owner for owner in ids if owner in self._owners)
        if owners not in self._answers:
            self._answers[owners] = self._resolve(owners)
        return self._answers[owners]

    def _resolve(self, owners: tuple[int | None, ...]) -> list[Requirement]:
        out = []
        for code in self.codes:
            row = None
            for owner in owners:
                row = self._rows.get((owner, code), row)
            if row is not None and row.quantity > 0:
                out.append(Requirement(row.code, row.name, row.category, row.quantity))
        return out


@dataclass(frozen=True)
class Gap:
    unit_id: int
    unit_code: str
    unit_name: str
    code: str
    item: str
    required: int
    held: int

    @property
    def missing(self) -> int:
        return max(0, self.required - self.held)


@dataclass
class EquipmentSummary:
    pairs: int
    met: int
    gaps: list[Gap]
    vehicles_in_service: int


def headquarters_of(*, actor, units) -> dict[int, int]:
    """unit id → its headquarters row id, for the units given (a page of the "missing" list)."""
    return dict(
        Headquarters.objects.visible_to(actor).filter(unit__in=[u.pk for u in units]).values_list("unit_id", "pk")
    )


def headquarters_timeline(*, actor, headquarters: Headquarters) -> list[dict]:
    """The headquarters' status changes read off its change log (one query), oldest first; the
    change log's readers only (its own scoping: nothing for others)."""
    entries = (
        ChangeLog.objects.visible_to(actor)
        .filter(object_type=headquarters._meta.label_lower, object_id=str(headquarters.pk))
        .order_by("time", "pk")
        .values_list("time", "actor_name", "before", "after")
    )
    timeline, last = [], None
    for time, actor_name, before, after in entries:
        status = (after or {}).get("status")
        previous = (before or {}).get("status", last)
        if status and status != previous:
            timeline.append(
                {
                    "time": time,
                    "actor": actor_name,
                    "status": HeadquartersStatus(status).label,
                    "year": (after or {}).get("year"),
                }
            )
        last = status or last
    return timeline


def equipment_summary(*, actor, unit: Unit, day: dt.date) -> EquipmentSummary:
    """(unit, item) pairs of the standard in force on ``day`` and how many are met by equipment in
    service; items the unit holds outside the standard do not count."""
    resolver = StandardResolver(day)
    units = list(commune_units(actor, unit).order_by("path").values_list("pk", "code", "name", "path"))
    equipment = Equipment.objects.visible_to(actor).in_subtree(unit)
    held: Counter = Counter()
    rows = (
        equipment.filter(status=EquipmentStatus.IN_SERVICE, standard__isnull=False)
        .order_by()
        .values_list("unit_id", "standard__code")
        .annotate(n=Sum("quantity"))
    )
    for unit_id, code, n in rows:
        held[(unit_id, code)] += n
    pairs = met = 0
    gaps: list[Gap] = []
    for pk, code, name, path in units:
        for need in resolver.for_path(path):
            pairs += 1
            have = held[(pk, need.code)]
            if have >= need.quantity:
                met += 1
            else:
                gaps.append(Gap(pk, code, name, need.code, need.name, need.quantity, have))
    vehicles = (
        equipment.filter(
            status=EquipmentStatus.IN_SERVICE,
            standard__category=EquipmentCategory.VEHICLE,
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return EquipmentSummary(pairs=pairs, met=met, gaps=gaps, vehicles_in_service=vehicles)


# -- tiles -------------------------------------------------------------------------------------


def _url(name: str, **params) -> str:
    return f"{reverse(f'facilities:{name}')}?{urlencode(params)}"


def _state(value: float | None) -> str:
    if value is None:
        return ""
    return "ok" if value >= 100 else "warn" if value >= 80 else "bad"


def tiles(*, actor, unit, first: dt.date, last: dt.date) -> list[Tile]:
    """Headquarters figures are today's state; the equipment standard is the one in force on ``last``."""
    out: list[Tile] = []
    if actor.has_perm(VIEW_HEADQUARTERS):
        out += _headquarters_tiles(actor, unit)
    if actor.has_perm(VIEW_EQUIPMENT):
        out += _equipment_tiles(actor, unit, last)
    return out


def _headquarters_tiles(actor, unit: Unit) -> list[Tile]:
    """Built, being built, makeshift and no headquarters: today's state."""
    hq = headquarters_summary(actor=actor, unit=unit)
    built = percent(hq.built, hq.communes)
    return [
        Tile(
            GROUP,
            _("Trụ sở đã xây dựng xong"),
            fmt.percent(built if built is not None else 0),
            _("{n}/{total} đơn vị cấp xã; mục tiêu 100%").format(n=fmt.number(hq.built), total=fmt.number(hq.communes)),
            _url("headquarters_list", unit=unit.code, status=HeadquartersStatus.BUILT),
            built,
            _state(built),
        ),
        Tile(
            GROUP,
            _("Trụ sở đang xây dựng"),
            fmt.number(hq.by_status[HeadquartersStatus.UNDER_CONSTRUCTION]),
            _("đơn vị cấp xã"),
            _url("headquarters_list", unit=unit.code, status=HeadquartersStatus.UNDER_CONSTRUCTION),
        ),
        Tile(
            GROUP,
            _("Trụ sở tạm, mượn"),
            fmt.number(hq.makeshift),
            _("tạm: {t}, mượn: {b}").format(
                t=fmt.number(hq.by_status[HeadquartersStatus.TEMPORARY]),
                b=fmt.number(hq.by_status[HeadquartersStatus.BORROWED]),
            ),
            _url("headquarters_list", unit=unit.code, status=MAKESHIFT),
        ),
        Tile(
            GROUP,
            _("Chưa có trụ sở"),
            fmt.number(hq.by_status[HeadquartersStatus.NONE]),
            _("kể cả đơn vị chưa nhập thông tin trụ sở"),
            _url("headquarters_missing", unit=unit.code),
            state="bad" if hq.by_status[HeadquartersStatus.NONE] else "ok",
        ),
    ]


def _equipment_tiles(actor, unit: Unit, last: dt.date) -> list[Tile]:
    """The standard met (the one in force on ``last``) and the vehicles in service."""
    eq = equipment_summary(actor=actor, unit=unit, day=last)
    met = percent(eq.met, eq.pairs)
    return [
        Tile(
            GROUP,
            _("Trang thiết bị đạt định mức"),
            fmt.percent(met),
            _("{n}/{total} cặp (đơn vị, mục định mức) đủ số lượng đang sử dụng").format(
                n=fmt.number(eq.met), total=fmt.number(eq.pairs)
            ),
            _url("equipment_gaps", unit=unit.code),
            met,
            _state(met),
        ),
        Tile(
            GROUP,
            _("Phương tiện đang sử dụng"),
            fmt.number(eq.vehicles_in_service),
            _("ô tô, xe mô tô thuộc định mức, trạng thái đang sử dụng"),
            _url(
                "equipment_list",
                unit=unit.code,
                category=EquipmentCategory.VEHICLE,
                status=EquipmentStatus.IN_SERVICE,
            ),
        ),
    ]
