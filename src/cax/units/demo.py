"""Demo departments of the demo province (units of type department under the province): the demo
department account (accounts.demo) and the pairings demo (pairing.demo) both stand on them."""

from __future__ import annotations

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
