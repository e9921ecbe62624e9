"""The one write of a record, which every app's save service calls (form, import and API alike)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cax.core.changelog import record_change, same_data, snapshot
from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.records.registry import units
from cax.core.scoping import require_write
from cax.core.text import search_key


def m2m_names(model) -> set[str]:
    return {f.name for f in model._meta.many_to_many}


def blank_for(model, key: str):
    """An empty cell for a text column stored NOT NULL is the empty string."""
    field = model._meta.get_field(key)
    return "" if isinstance(field, models.CharField | models.TextField) and not field.null else None


def related_keys(obj, name: str) -> list[str]:
    """A many-to-many value as users name its rows (unit codes), sorted: comparable and printable."""
    return sorted(str(getattr(r, "code", None) or r.pk) for r in getattr(obj, name).all())


def save_record(
    *,
    actor,
    instance,
    model,
    data: dict,
    perm: str,
    denied: str,
    validate: Callable[[Any], None] | None = None,
    message: str = "",
):
    """Create or update one record: scope check (old and new unit), the app's rules, model
    validation, save, many-to-many, change log. ``validate(obj)`` raises DomainError(fields=…)."""
    creating = instance is None
    obj = model() if creating else instance
    if not creating:
        require_write(actor, perm, obj.scope_unit, denied)
    before = None if creating else snapshot(obj)
    many = m2m_names(model)
    relations = {k: data[k] for k in data if k in many}
    related_before = {} if creating else {k: related_keys(obj, k) for k in relations}
    for key, value in data.items():
        if key not in many:
            setattr(obj, key, blank_for(model, key) if value is None else value)
    unit = _owning_unit(obj)
    require_write(actor, perm, unit, denied)
    _check_unit_validity(obj, unit)
    if validate is not None:
        validate(obj)
    _full_clean(obj)
    key = search_key(obj.search_text())[:500]
    # An update that changes nothing writes nothing (not even updated_at): re-importing an export
    # must leave the database as it was.
    if creating or key != obj.search_key or not same_data(obj, before, snapshot(obj)):
        obj.search_key = key
        obj.save()
    notes = [message] if message else []
    for name, value in relations.items():
        getattr(obj, name).set(value or [])
        after = related_keys(obj, name)
        if not creating and after != related_before[name]:
            # The change log's snapshots hold concrete fields only: a new set is logged in words.
            label = capfirst(model._meta.get_field(name).verbose_name)
            notes.append(f"{label}: {'; '.join(after)}")
    record_change(
        actor=actor, obj=obj, action="create" if creating else "update", before=before, message="; ".join(notes)
    )
    return obj


def _owning_unit(obj):
    try:
        unit = obj.scope_unit
    except ObjectDoesNotExist:  # the owning unit (or the team that gives it) is not set yet
        unit = None
    if unit is None:
        raise DomainError(_("Chưa chọn đơn vị."), fields={obj.scope_unit_field: [_("Bắt buộc.")]})
    return unit


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0] if fields else _("Dữ liệu không hợp lệ.")
        raise DomainError(first, fields=fields) from None


def _check_unit_validity(obj, unit) -> None:
    validity_problem = units().validity_problem
    problems = {}
    for name in type(obj).event_date_fields:
        problem = validity_problem(unit, getattr(obj, name))
        if problem:
            problems[name] = [problem]
    refuse_if_any(problems)
