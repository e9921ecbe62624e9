"""Writes to the unit tree. Every change goes through here and into the change log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors
from cax.core.exceptions import DomainError, from_validation_error
from cax.core.models import ChangeLog
from cax.core.scoping import is_under
from cax.core.text import search_key
from cax.units import policy
from cax.units.models import Unit, UnitType

EDITABLE_FIELDS = (
    "code",
    "name",
    "unit_type",
    "parent",
    "valid_from",
    "valid_to",
    "is_border",
    "is_ethnic_minority",
    "is_remote",
    "is_key_security",
    "population",
    "local_languages",
    "latitude",
    "longitude",
)


def _check_can_change(actor: Any, unit: Unit | None) -> None:
    """``actor=None`` is the system (management commands); users need change rights on ``unit``.

    A new top-level unit (``unit`` None) may only be made by a user whose own unit is top-level.
    """
    policy.require_editor(actor, unit)


def _place(unit: Unit) -> None:
    parent = unit.parent
    unit.level = parent.level + 1 if parent else 0
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"


def _full_clean(unit: Unit) -> None:
    """Field-level checks in Python; uniqueness and CHECK constraints are left to the database
    (see ``constraint_errors``), which is both race-free and a query cheaper per unit."""
    from django.core.exceptions import ValidationError

    try:
        unit.full_clean(exclude=["path", "unit_type", "parent"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise from_validation_error(unit, exc) from exc


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    unit_type: UnitType,
    parent: Unit | None = None,
    message: str = "",
    **attributes: Any,
) -> Unit:
    """Create a unit under ``parent`` (a top-level unit when None)."""
    _check_can_change(actor, parent)
    unit = Unit(code=code.strip(), name=name.strip(), unit_type=unit_type, parent=parent, **attributes)
    unit.search_key = search_key(f"{unit.name} {unit.code}")
    # The path holds the pk, which exists only after the insert: save with a unique placeholder first.
    unit.path = f"/new-{uuid.uuid4().hex}/"
    _full_clean(unit)
    with constraint_errors(Unit):
        unit.save()
    _place(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, level=unit.level)
    record_change(actor=actor, obj=unit, action=ChangeLog.Action.CREATE, message=message)
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, message: str = "", **changes: Any) -> Unit:
    """Change a unit's fields; moving it to a new parent re-paths its whole subtree."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Không sửa được trường: {f}").format(f=", ".join(sorted(unknown))))
    _check_can_change(actor, unit)
    before = snapshot(unit)
    old_path = unit.path
    for field, value in changes.items():
        setattr(unit, field, value)
    new_parent = unit.parent
    if new_parent is not None and is_under(new_parent, old_path):
        raise DomainError(_("Không thể chuyển “{u}” vào đơn vị cấp dưới của chính nó.").format(u=unit.name))
    if "parent" in changes and (changes["parent"].pk if changes["parent"] else None) != before["parent_id"]:
        # Moving under a new parent needs rights there; making a unit top-level needs a top-level user.
        _check_can_change(actor, new_parent)
    unit.search_key = search_key(f"{unit.name} {unit.code}")
    _place(unit)
    _full_clean(unit)
    with constraint_errors(Unit):
        unit.save()
    if unit.path != old_path:
        _repath_descendants(old_path=old_path, unit=unit)
    record_change(actor=actor, obj=unit, action=ChangeLog.Action.UPDATE, before=before, message=message)
    return unit


def _repath_descendants(*, old_path: str, unit: Unit) -> None:
    descendants = list(Unit.objects.in_subtree(old_path).exclude(pk=unit.pk))
    for descendant in descendants:
        descendant.path = unit.path + descendant.path[len(old_path) :]
        descendant.level = descendant.path.strip("/").count("/")
    Unit.objects.bulk_update(descendants, ["path", "level"], batch_size=500)


@transaction.atomic
def unit_set_successors(*, actor: Any, unit: Unit, successors: list[Unit], message: str = "") -> bool:
    """Link the units that took over ``unit`` (merged or split); True when the links changed."""
    if any(successor.pk == unit.pk for successor in successors):
        raise DomainError(_("Một đơn vị không thể kế thừa chính nó."))
    _check_can_change(actor, unit)
    before = sorted(unit.successors.values_list("code", flat=True))
    after = sorted(s.code for s in successors)
    if before == after:
        return False
    unit.successors.set(successors)
    note = _("Đơn vị kế thừa: {old} → {new}").format(old=", ".join(before) or "—", new=", ".join(after) or "—")
    record_change(
        actor=actor,
        obj=unit,
        action=ChangeLog.Action.UPDATE,
        before=snapshot(unit),
        message=f"{message}; {note}" if message else note,
    )
    return True


@transaction.atomic
def unit_close(*, actor: Any, unit: Unit, valid_to: dt.date, successors: list[Unit] = (), message: str = "") -> Unit:
    """End a unit's validity (merged or dissolved), linking the units that take over its history."""
    unit = unit_update(actor=actor, unit=unit, valid_to=valid_to, message=message)
    unit_set_successors(actor=actor, unit=unit, successors=list(successors), message=message)
    return unit
