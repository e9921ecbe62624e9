"""Demo departments of the demo province and the communes each supports (idempotent)."""

from __future__ import annotations

import datetime as dt

from cax.pairing.models import Pairing
from cax.pairing.registers import PAIRINGS
from cax.units.models import Unit, UnitType

# Functional departments of a provincial police (Công an tỉnh); codes are the demo's own.
DEPARTMENTS = [
    ("PV01", "Phòng Tham mưu"),
    ("PX01", "Phòng Tổ chức cán bộ"),
    ("PX05", "Phòng Xây dựng phong trào bảo vệ an ninh Tổ quốc"),
    ("PC06", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội"),
    ("PH10", "Phòng Hậu cần"),
]


def ensure_departments(province: Unit) -> list[Unit]:
    from cax.units.services import unit_create

    kind = UnitType.objects.get(code="department")
    units = []
    for suffix, name in DEPARTMENTS:
        code = f"{province.code}-{suffix}"
        unit = Unit.objects.current().filter(code=code).first()
        if unit is None:
            unit = unit_create(actor=None, code=code, name=name, unit_type=kind, parent=province)
        units.append(unit)
    return units


def load_demo(*, province: Unit) -> None:
    """Each department supports a share of the province's communes, round robin, from 01/07/2025;
    a few communes are left unpaired so the tile shows a gap."""
    departments = ensure_departments(province)
    if Pairing.objects.filter(department__in=departments).exists():
        return
    communes = list(Unit.objects.current().commune_level().in_subtree(province).order_by("name"))
    for index, commune in enumerate(communes[: len(communes) - 5]):
        PAIRINGS.save(
            actor=None,
            instance=None,
            data={
                "department": departments[index % len(departments)],
                "commune": commune,
                "since": dt.date(2025, 7, 1),
                "note": "Phân công theo Kế hoạch phụ trách, giúp đỡ Công an xã",
            },
        )
