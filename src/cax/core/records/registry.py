"""What the register framework learns from the apps, so that core imports none of them.

- every ``Register`` declared (``all_registers()``, for checks that must cover a register added
  later without being told about it);
- how records name their units (``UnitNaming``): the units app gives it from its AppConfig.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django import forms
    from django.db import models

    from cax.core.records.register import Register

_REGISTERS: list[Register] = []  # every Register ever declared, in order


def add(register: Register) -> None:
    _REGISTERS.append(register)


def all_registers() -> list[Register]:
    """Every register of the installed apps (each app's ``registers.py``)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("registers")
    return list(_REGISTERS)


@dataclass(frozen=True)
class UnitNaming:
    """How a record's units are typed and found: by code, inside the actor's subtree.

    ``by_codes(codes, actor, *, kinds=None) -> {code: unit}`` (one query); ``form_field`` the form
    field that takes a code (``actor=``, ``kinds=``, ``include_closed=`` and the usual arguments);
    ``validity_problem(unit, day)`` why an event of ``day`` cannot be kept in ``unit`` (None
    when it can); ``is_commune_level(unit)`` whether a user of that unit records for it by default; ``picker`` the
    widget of a typed unit code (the list filter's too).
    """

    model: type[models.Model]
    by_codes: Callable[..., dict]
    form_field: type[forms.Field]
    validity_problem: Callable[[Any, dt.date | None], str | None]
    is_commune_level: Callable[[Any], bool]
    # The widget of a typed unit code (suggestions while typing); a plain text input when None.
    picker: type[forms.Widget] | None = None


_units: UnitNaming | None = None


def use_units(naming: UnitNaming) -> None:
    global _units
    _units = naming


def units() -> UnitNaming:
    if _units is None:
        raise ImproperlyConfigured("cax.units has not given the register framework its UnitNaming (UnitsConfig.ready).")
    return _units
