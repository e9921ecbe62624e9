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


def make_merged_commune(
    successor: Unit, code: str = "23501", name: str = "Xã Hà Mòn", valid_to=None, valid_from=None
) -> Unit:
    """A commune merged into ``successor`` on 01/07/2025 (the 2025 reform), kept for its history:
    closed the day before, under the successor's province, with the successor link."""
    import datetime as dt

    unit = make_unit(successor.parent, code, name, "xa")
    Unit.objects.filter(pk=unit.pk).update(
        valid_from=valid_from or dt.date(2019, 1, 1), valid_to=valid_to or dt.date(2025, 6, 30)
    )
    unit.refresh_from_db()
    unit.successors.add(successor)
    return Unit.objects.select_related("unit_type", "parent").get(pk=unit.pk)
