"""Reads of the unit tree; every query starts from ``Unit.objects.visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from cax.core.exceptions import NotVisible
from cax.core.scoping import is_within_scope
from cax.core.text import matching_words
from cax.units.models import Unit, UnitType

FLAG_FIELDS = ("is_border", "is_ethnic_minority", "is_remote", "is_key_security")


def _with_counts(queryset: QuerySet[Unit], day: dt.date | None = None) -> QuerySet[Unit]:
    """``child_count`` and ``commune_count`` on every fetched unit, at two queries per fetch."""
    return queryset.with_tree_counts(day)


def _with_links(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """``has_successors`` / ``has_predecessors`` in the same query, so a page about a unit that was
    never merged reads no links at all (``unit_history``)."""
    link = Unit.successors.through.objects
    return queryset.annotate(
        has_successors=Exists(link.filter(from_unit=OuterRef("pk"))),
        has_predecessors=Exists(link.filter(to_unit=OuterRef("pk"))),
    )


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
    as_of: dt.date | None = None,
) -> QuerySet[Unit]:
    """Units the actor can see, filtered; ``q`` ignores case and Vietnamese diacritics. Open today,
    or on ``as_of`` (the tree as it was that day, issue 14), unless ``include_closed``."""
    queryset = Unit.objects.visible_to(actor).select_related("unit_type", "parent")
    if not include_closed:
        queryset = queryset.current() if as_of is None else queryset.open_on(as_of)
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
    return _with_counts(queryset, as_of) if with_counts else queryset


PICK_LIMIT = 20
PICK_MAX_QUERY = 100


def unit_picks(*, actor: Any, q: str, limit: int = PICK_LIMIT) -> list[Unit]:
    """The unit picker's suggestions (issue 17.4): open units of the actor's subtree whose code or
    name holds every word of ``q`` ("thanh mien" finds "Thanh Miện"), the exact code first, then the
    higher levels. One query; a unit outside the subtree is never among them, so a code there
    answers exactly like a code that does not exist."""
    q = q.strip()[:PICK_MAX_QUERY]
    if not q:
        return []
    queryset = matching_words(Unit.objects.visible_to(actor).current(), q).select_related("parent")
    queryset = queryset.annotate(
        exact=Case(When(code=q, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("exact", "level", "name", "pk")
    return list(queryset[:limit])


def unit_get(*, actor: Any, pk: int, as_of: dt.date | None = None) -> Unit:
    candidates = _with_links(Unit.objects.visible_to(actor).select_related("unit_type", "parent"))
    unit = _with_counts(candidates, as_of).filter(pk=pk).first()
    if unit is None:
        raise NotVisible(_("Không tìm thấy đơn vị."))
    return unit


def unit_get_by_code(*, actor: Any, code: str, on: dt.date | None = None, counts: bool = True) -> Unit:
    """The open unit with ``code``; when none is open, the one that ended last (history).

    With ``on``, the unit of that code that existed that day comes first: a commune closed in 2025
    may share its code with today's (issue 14), and a 2019 report belongs to the old one.
    ``counts=False``: a filter's unit, one query (no child counts, no merger links).
    """
    code = code.strip()  # a code typed into a form or sent by a client may carry spaces
    candidates = Unit.objects.visible_to(actor).select_related("unit_type", "parent").filter(code=code)
    if counts:
        candidates = _with_links(candidates)
    extras = _with_counts if counts else (lambda queryset: queryset)
    unit = extras(candidates.open_on(on)).first() if on is not None else None
    unit = unit or extras(candidates).newest_first().first()
    if unit is None:
        raise NotVisible(_("Không tìm thấy đơn vị mã “{code}”.").format(code=code))
    return unit


def unit_subtree(*, actor: Any, unit: Unit, include_closed: bool = False) -> QuerySet[Unit]:
    queryset = Unit.objects.visible_to(actor).in_subtree(unit).select_related("unit_type", "parent")
    if not include_closed:
        queryset = queryset.current()
    return queryset.order_by("path")


def unit_breadcrumbs(*, actor: Any, unit: Unit) -> list[tuple[Unit, bool]]:
    """Ancestors from the root, each with whether the actor may open it (names are not secret)."""
    ancestors = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids)}
    return [(ancestors[pk], is_within_scope(actor, ancestors[pk].path)) for pk in unit.ancestor_ids if pk in ancestors]


@dataclass
class UnitHistory:
    """A unit's place in the merger history as seen on ``day`` (issue 14): the units that took it
    over and those it took over, each with whether the actor may open it (names are not secret)."""

    unit: Unit
    day: dt.date
    successors: list[tuple[Unit, bool]] = field(default_factory=list)
    predecessors: list[tuple[Unit, bool]] = field(default_factory=list)

    @property
    def ended_on(self) -> dt.date | None:
        """The first day without the unit, when ``day`` comes after its validity."""
        valid_to = self.unit.valid_to
        return valid_to + dt.timedelta(days=1) if valid_to is not None and self.day > valid_to else None

    @property
    def starts_on(self) -> dt.date | None:
        """The unit's first day, when ``day`` comes before it."""
        valid_from = self.unit.valid_from
        return valid_from if valid_from is not None and self.day < valid_from else None


def unit_history(*, actor: Any, unit: Unit, day: dt.date) -> UnitHistory:
    """Successors and predecessors of ``unit`` (already visible to ``actor``), in one query, or
    none for a unit fetched by ``unit_get`` that has no links."""
    history = UnitHistory(unit, day)
    if not getattr(unit, "has_successors", True) and not getattr(unit, "has_predecessors", True):
        return history
    links = (
        Unit.successors.through.objects.filter(Q(from_unit=unit) | Q(to_unit=unit))
        .select_related("from_unit", "to_unit")
        .order_by("pk")
    )
    for link in links:
        if link.from_unit_id == unit.pk:
            history.successors.append((link.to_unit, is_within_scope(actor, link.to_unit.path)))
        else:
            history.predecessors.append((link.from_unit, is_within_scope(actor, link.from_unit.path)))
    history.predecessors.sort(key=lambda pair: pair[0].name)
    return history


def unit_types() -> QuerySet[UnitType]:
    return UnitType.objects.all()


def unit_root_for(actor: Any) -> Unit:
    """The top of what the actor can see: their own unit."""
    return unit_get(actor=actor, pk=actor.unit_id)
