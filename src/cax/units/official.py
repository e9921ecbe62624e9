"""Loads today's official tree (34 provinces, 3,321 commune-level units) from ``vietnam-provinces``.

Idempotent: a second run finds every unit unchanged and writes nothing, not even to the change log.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError
from cax.units.models import Unit, UnitType
from cax.units.services import unit_create, unit_update

ROOT_CODE = "BCA"
ROOT_NAME = "Bộ Công an"
# Centre points of the 34 provinces and 3,321 communes, by official code: extracted once from the
# vietnamadminunits package by tools/extract_coordinates.py (docs/dashboards.md).
COORDINATES = Path(__file__).parent / "data" / "coordinates.csv"


def official_coordinates() -> dict[str, tuple[Decimal, Decimal]]:
    with COORDINATES.open(encoding="utf-8", newline="") as source:
        rows = csv.DictReader(line for line in source if not line.startswith("#"))
        return {row["code"]: (Decimal(row["latitude"]), Decimal(row["longitude"])) for row in rows}


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def type_from_name(name: str, candidates: list[UnitType]) -> UnitType:
    """The unit type whose name prefix starts ``name``; the package's division_type is not trusted."""
    for unit_type in candidates:
        if any(name.startswith(prefix) for prefix in unit_type.name_prefixes):
            return unit_type
    raise DomainError(_("Không xác định được loại đơn vị từ tên “{n}”.").format(n=name))


def _upsert(
    actor, summary: LoadSummary, existing: dict[str, Unit], *, code, name, unit_type, parent, valid_from, point=None
):
    unit = existing.get(code)
    place = {"latitude": point[0], "longitude": point[1]} if point else {}
    if unit is None:
        unit = unit_create(
            actor=actor,
            code=code,
            name=name,
            unit_type=unit_type,
            parent=parent,
            valid_from=valid_from,
            message=_("Nạp danh mục đơn vị hành chính chính thức"),
            **place,
        )
        summary.created += 1
        return unit
    wanted = {"name": name, "unit_type": unit_type, "parent": parent}
    if unit.latitude is None and unit.longitude is None:
        # Only a unit without a point gets the package's: one entered or imported by hand is kept.
        wanted.update(place)
    changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
    if changes:
        unit = unit_update(actor=actor, unit=unit, message=_("Cập nhật theo danh mục chính thức"), **changes)
        summary.updated += 1
    else:
        summary.unchanged += 1
    return unit


@transaction.atomic
def load_official_units(*, actor: Any = None, valid_from: dt.date = dt.date(2025, 7, 1)) -> LoadSummary:
    from vietnam_provinces import Province, Ward

    types = {t.code: t for t in UnitType.objects.all()}
    points = official_coordinates()
    commune_types = [t for t in types.values() if t.is_commune_level]
    existing = {u.code: u for u in Unit.objects.current().select_related("unit_type", "parent")}
    summary = LoadSummary()
    root = _upsert(
        actor,
        summary,
        existing,
        code=ROOT_CODE,
        name=ROOT_NAME,
        unit_type=types["ministry"],
        parent=None,
        valid_from=None,
    )
    provinces = {}
    for province in Province.iter_all():
        code = f"{province.code.value:02d}"
        provinces[province.code] = _upsert(
            actor,
            summary,
            existing,
            code=code,
            name=province.name,
            unit_type=types["province"],
            parent=root,
            valid_from=valid_from,
            point=points.get(code),
        )
    for ward in Ward.iter_all():
        code = f"{ward.code.value:05d}"
        _upsert(
            actor,
            summary,
            existing,
            code=code,
            name=ward.name,
            unit_type=type_from_name(ward.name, commune_types),
            parent=provinces[ward.province_code],
            valid_from=valid_from,
            point=points.get(code),
        )
    return summary
