"""Sub-units tests create on demand (the official tree has none): departments, villages."""

from __future__ import annotations

from cax.units.models import Unit, UnitType
from cax.units.services import unit_create


def make_unit(parent: Unit, code: str, name: str, type_code: str) -> Unit:
    unit = unit_create(actor=None, code=code, name=name, unit_type=UnitType.objects.get(code=type_code), parent=parent)
    return Unit.objects.select_related("unit_type", "parent").get(pk=unit.pk)


def make_department(province: Unit, code: str = "51-PV01", name: str = "Phòng Tham mưu") -> Unit:
    return make_unit(province, code, name, "department")


def make_village(commune: Unit, code: str = "23500-T01", name: str = "Thôn 1") -> Unit:
    return make_unit(commune, code, name, "thon")
