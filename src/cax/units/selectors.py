"""Reads of the unit tree; every query starts from ``Unit.objects.visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cax.core.exceptions import NotVisible
from cax.core.text import matching_words
from cax.units.kinds import unit_for_date
from cax.units.models import Unit, UnitType

FLAG_FIELDS = ("is_border", "is_ethnic_minority", "is_remote", "is_key_security")


def _with_counts(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """``child_count`` and ``commune_count`` on every fetched unit, at two queries per fetch."""
    return queryset.with_tree_counts()


def unit_list(
    *,
    actor: Any,
    q: str = "",
    unit_type: str = "",
    parent: Unit | None = None,
    level: int | None = None,
    flags: tuple[str, ...] = (),
    include_closed: bool = False,
    with_counts: bool = True,
) -> QuerySet[Unit]:
    """Units the actor can see, filtered; ``q`` ignores case and Vietnamese diacritics."""
    queryset = Unit.objects.visible_to(actor).select_related("unit_type", "parent")
    if not include_closed:
        queryset = queryset.current()
    if q:
        queryset = matching_words(queryset, q)
    if unit_type:
        queryset = queryset.filter(unit_type__code=unit_type)
    if parent is not None:
        queryset = queryset.filter(parent=parent)
    if level is not None:
        queryset = queryset.filter(level=level)
    for flag in flags:
        if flag in FLAG_FIELDS:
            queryset = queryset.filter(**{flag: True})
    queryset = queryset.order_by("level", "name", "pk")
    return _with_counts(queryset) if with_counts else queryset


def unit_get(*, actor: Any, pk: int) -> Unit:
    unit = _with_counts(Unit.objects.visible_to(actor).select_related("unit_type", "parent")).filter(pk=pk).first()
    if unit is None:
        raise NotVisible(_("Không tìm thấy đơn vị."))
    return unit


def unit_get_by_code(*, actor: Any, code: str) -> Unit:
    """The open unit with ``code``; when none is open, the one that ended last (history)."""
    candidates = Unit.objects.visible_to(actor).select_related("unit_type", "parent").filter(code=code)
    unit = _with_counts(candidates).newest_first().first()
    if unit is None:
        raise NotVisible(_("Không tìm thấy đơn vị mã “{code}”.").format(code=code))
    return unit


def unit_get_by_code_on(*, actor: Any, code: str, day) -> Unit:
    """The unit with ``code`` that existed on ``day`` (an event is kept where it happened), else the
    newest with that code; outside the actor's subtree it does not exist."""
    candidates = list(Unit.objects.visible_to(actor).select_related("unit_type", "parent").filter(code=code.strip()))
    unit = unit_for_date(candidates, day)
    if unit is None:
        raise NotVisible(_("Không tìm thấy đơn vị mã “{code}”.").format(code=code))
    return unit


def unit_subtree(*, actor: Any, unit: Unit, include_closed: bool = False) -> QuerySet[Unit]:
    queryset = Unit.objects.visible_to(actor).filter(path__startswith=unit.path).select_related("unit_type", "parent")
    if not include_closed:
        queryset = queryset.current()
    return queryset.order_by("path")


def unit_breadcrumbs(*, actor: Any, unit: Unit) -> list[tuple[Unit, bool]]:
    """Ancestors from the root, each with whether the actor may open it (names are not secret)."""
    ancestors = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids)}
    scope = getattr(actor, "scope_path", "")
    return [(ancestors[pk], ancestors[pk].path.startswith(scope)) for pk in unit.ancestor_ids if pk in ancestors]


def unit_types() -> QuerySet[UnitType]:
    return UnitType.objects.all()


def unit_root_for(actor: Any) -> Unit:
    """The top of what the actor can see: their own unit."""
    return unit_get(actor=actor, pk=actor.unit_id)
