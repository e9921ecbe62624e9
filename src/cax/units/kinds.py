"""What kind of unit a unit is, in one place: the registers' unit lookups and the services' rules
ask the same questions (is it a commune, a department, which province is it in)."""

from __future__ import annotations

# Unit type codes (data in units.UnitType, created by migrations 0002 and 0004).
DEPARTMENT = "department"
VILLAGE_TYPES = ("thon", "to_dan_pho")


def is_commune_level(unit) -> bool:
    return unit.unit_type.is_commune_level


def is_department(unit) -> bool:
    return unit.unit_type.code == DEPARTMENT


def is_village(unit) -> bool:
    return unit.unit_type.code in VILLAGE_TYPES


def province_path(unit) -> str:
    """The path of the unit's province, the second level under the root ("/1/35/")."""
    parts = unit.path.strip("/").split("/")
    return "/" + "/".join(parts[:2]) + "/"
