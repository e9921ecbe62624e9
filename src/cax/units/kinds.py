"""What kind of unit a unit is, in one place: the registers' unit lookups and the services' rules
ask the same questions (is it a commune, a department, which province is it in)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError
from cax.core.text import vn_date

# Unit type codes (data in units.UnitType, created by migrations 0002 and 0004).
DEPARTMENT = "department"
VILLAGE_TYPES = ("thon", "to_dan_pho")


def is_commune_level(unit) -> bool:
    return unit.unit_type.is_commune_level


def is_department(unit) -> bool:
    return unit.unit_type.code == DEPARTMENT


def is_village(unit) -> bool:
    return unit.unit_type.code in VILLAGE_TYPES


COMMUNE, PROVINCE, MINISTRY = "commune", "province", "ministry"


def home_level(unit) -> str:
    """Which home page a user of ``unit`` gets (issue 17): a commune's (and its villages'), the
    ministry's (the root), or a province's for everything between (the province, its departments,
    a pre-2025 district)."""
    if unit.parent_id is None:
        return MINISTRY
    if unit.unit_type.is_commune_level or is_village(unit):
        return COMMUNE
    return PROVINCE


def province_path(unit) -> str:
    """The path of the unit's province, the second level under the root ("/1/35/")."""
    parts = unit.path.strip("/").split("/")
    return "/" + "/".join(parts[:2]) + "/"


def validity_problem(unit, day) -> str | None:
    """Why an event dated ``day`` cannot be kept in ``unit``, or None when it can.

    Events are kept in the unit where they happened: a unit merged away on 01/07/2025 still takes
    events dated before that, and the message names its successors for what came after. Before a
    unit's start, the event belongs to its predecessors when CAX holds them (the message names
    them); a unit whose earlier tree was never loaded takes its own history (docs/decisions/0006).
    Every register, import and API asks this one question (issue 14) so the wording never differs.
    """
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    if unit.valid_from is not None and day < unit.valid_from:
        names = ", ".join(p.name for p in unit.predecessors.all().order_by("name"))
        if names:
            return _("{u} chỉ có hiệu lực từ {d}; ngày {e} thuộc đơn vị tiền thân: {p}").format(
                u=unit.name, d=vn_date(unit.valid_from), e=vn_date(day), p=names
            )
    if unit.valid_to is not None and day > unit.valid_to:
        names = ", ".join(s.name for s in unit.successors.all().order_by("name"))
        message = _("{u} hết hiệu lực từ {d}").format(u=unit.name, d=vn_date(unit.valid_to + dt.timedelta(days=1)))
        if names:
            message += _("; kế thừa: {s}").format(s=names)
        return message
    return None


def require_valid_on(unit, day, field: str = "unit") -> None:
    """Refuse (DomainError on ``field``) an event dated ``day`` in a unit that did not exist then."""
    problem = validity_problem(unit, day)
    if problem:
        raise DomainError(problem, fields={field: [problem]})


def unit_for_date(candidates, day):
    """Of the units sharing a code (today's unit and older ones the code was reused from), the one
    that existed on ``day``; else the newest, whose validity check then names its successors."""
    candidates = sorted(candidates, key=lambda u: (u.valid_to is not None, -(u.valid_to or dt.date.max).toordinal()))
    for unit in candidates:
        if validity_problem(unit, day) is None:
            return unit
    return candidates[0] if candidates else None
