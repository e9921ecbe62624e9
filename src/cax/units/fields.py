"""Units as registers and forms name them: by code, inside the actor's subtree.

The register framework (``cax.core.records``) knows no units: ``UnitsConfig.ready`` gives it
``NAMING``, and registers build their unit columns with ``unit_fields`` / ``units_by_code``.
For a unit anywhere in the country (a user's own unit, a place of incident) see
``cax.accounts.forms.AnyUnitCodeField``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.imports import parse_text
from cax.core.records.fields import Field
from cax.core.records.registry import UnitNaming
from cax.core.text import search_key
from cax.units.kinds import is_commune_level, validity_problem
from cax.units.models import Unit
from cax.units.widgets import UnitPicker


def units_by_code(keys: set, actor, *, kinds: Callable[[Any], bool] | None = None) -> dict:
    """Units with these codes inside the actor's subtree (one query): the open one, else the one that
    ended last, so a merged commune's history can still be recorded (each row's dates are then
    checked against its validity)."""
    found = Unit.objects.visible_to(actor).filter(code__in=keys).select_related("unit_type").newest_first()
    units: dict = {}
    for unit in found:
        if kinds is None or kinds(unit):
            units.setdefault(unit.code, unit)
    return units


def unit_fields(
    code_label: Any,
    name_label: Any,
    *,
    kinds: Callable[[Any], bool] | None = None,
    required: bool = False,
    example: str = "23500",
    code_in_list: bool = True,
) -> list[Field]:
    """The owning unit as most registers show it: its code (imported and sent by the API, looked up
    in the actor's subtree, of the allowed kinds) and its name (shown and exported only)."""
    lookup = units_by_code if kinds is None else partial(units_by_code, kinds=kinds)
    return [
        Field(
            "unit",
            code_label,
            value=lambda obj: obj.unit.code,
            parse=parse_text(32),
            lookup=lookup,
            required=required,
            example=example,
            in_list=code_in_list,
        ),
        Field("unit_name", name_label, value=lambda obj: obj.unit.name),
    ]


class UnitCodeField(forms.CharField):
    """A unit picked by its code (or its exact name) inside the user's subtree: a select of 3,321
    communes is unusable on the office PCs this runs on."""

    def __init__(
        self, *, actor=None, kinds: Callable[[Any], bool] | None = None, include_closed: bool = False, **kwargs
    ):
        self.actor, self.kinds, self.include_closed = actor, kinds, include_closed
        kwargs.setdefault("label", gettext_lazy("Mã đơn vị"))
        kwargs.setdefault("help_text", gettext_lazy("Mã đơn vị hành chính, ví dụ 23500."))
        kwargs.setdefault("widget", UnitPicker)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Unit):
            return value.code
        if isinstance(value, int):
            unit = Unit.objects.filter(pk=value).only("code").first()
            return unit.code if unit else value
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        qs = Unit.objects.visible_to(self.actor).select_related("unit_type")
        # A record's own unit may be a closed one (its history); other unit fields name open units.
        qs = qs.newest_first() if self.include_closed else qs.current()
        unit = qs.filter(code=text).first() or qs.filter(search_key=search_key(text)).first()
        if unit is None or (self.kinds is not None and not self.kinds(unit)):
            raise ValidationError(_("Không có đơn vị “{v}” phù hợp trong phạm vi của bạn.").format(v=text))
        return unit


NAMING = UnitNaming(
    model=Unit,
    by_codes=units_by_code,
    form_field=UnitCodeField,
    validity_problem=validity_problem,
    is_commune_level=is_commune_level,
    picker=UnitPicker,
)
