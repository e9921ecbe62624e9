"""The staffing picture (coverage, head counts, norms, party) for any unit and any date.

Every figure follows the posting history, so a past (or planned) ``as_of`` date gives the figures
of that day: they are read from the staffing levels kept with the postings (deployment.levels, the
one statement of what is counted), not from the postings themselves. Queries are a fixed handful
per dashboard whatever the size of the subtree: the commune rows with their levels come from one
query and are rolled up in Python along the materialized path.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils.translation import get_language

from cax.core import revision
from cax.core.scoping import require_visible
from cax.deployment.models import CommitteeSeat, PartyCell, Posting, StaffingLevel, StaffingMonth
from cax.deployment.norms import Norm, NormResolver, norms_in_force
from cax.units.models import Unit


@dataclass
class UnitStaffing:
    unit_id: int
    code: str
    name: str
    type_code: str
    type_name: str
    path: str
    is_ethnic_minority: bool
    local_languages: list[str]
    head_count: int = 0
    female: int = 0
    chiefs: int = 0
    investigators: int = 0
    speaks_local_language: bool = False
    norm: Norm | None = None
    unit_type_id: int = 0

    @property
    def shortfall(self) -> int:
        return max(0, (self.norm.minimum if self.norm else 0) - self.head_count)

    @property
    def missing_investigators(self) -> int:
        return max(0, (self.norm.min_investigators if self.norm else 0) - self.investigators)


@dataclass
class TypeCoverage:
    type_code: str
    type_name: str
    total: int = 0
    covered: int = 0

    @property
    def percent(self) -> float:
        return round(100 * self.covered / self.total, 1) if self.total else 0.0


@dataclass
class ChildSummary:
    unit: Unit
    communes: int = 0
    covered: int = 0
    head_count: int = 0
    female: int = 0
    below_norm: int = 0


@dataclass
class StaffingSummary:
    """Built complete by ``_compute_summary`` and shared through the figures cache, never changed
    afterwards: each figure derived from ``units`` is computed once per summary, not on every read
    (the dashboard read ``below_norm`` three times per request over every commune; issue 20)."""

    unit: Unit
    as_of: dt.date
    units: list[UnitStaffing]
    coverage: list[TypeCoverage]
    children: list[ChildSummary]
    party_cells: int
    executive_seats: int
    standing_seats: int
    # The past 24 months, each as of its last day (``as_of`` for its own): officers in post, and
    # communes with at least one officer against the communes open that day.
    monthly: list[tuple[dt.date, int]] = field(default_factory=list)
    monthly_coverage: list[tuple[dt.date, int, int]] = field(default_factory=list)

    @cached_property
    def communes(self) -> int:
        return len(self.units)

    @cached_property
    def covered(self) -> int:
        return sum(1 for u in self.units if u.head_count)

    @cached_property
    def coverage_percent(self) -> float:
        return round(100 * self.covered / self.communes, 1) if self.communes else 0.0

    @cached_property
    def head_count(self) -> int:
        return sum(u.head_count for u in self.units)

    @cached_property
    def female(self) -> int:
        return sum(u.female for u in self.units)

    @cached_property
    def male(self) -> int:
        return self.head_count - self.female

    @cached_property
    def below_norm(self) -> list[UnitStaffing]:
        return sorted((u for u in self.units if u.shortfall), key=lambda u: (-u.shortfall, u.name))

    @cached_property
    def without_chief(self) -> list[UnitStaffing]:
        return [u for u in self.units if u.norm and u.norm.requires_chief and not u.chiefs]

    @cached_property
    def without_investigator(self) -> list[UnitStaffing]:
        return [u for u in self.units if u.missing_investigators]

    @cached_property
    def without_language_speaker(self) -> list[UnitStaffing]:
        return [u for u in self.units if u.is_ethnic_minority and u.local_languages and not u.speaks_local_language]


# The figures a level row holds, in the order of UnitStaffing's fields they fill.
LEVEL_FIGURES = ("head_count", "female", "chiefs", "investigators", "speakers")


def _active(prefix: str, day: dt.date) -> Q:
    """Postings in force on ``day`` (relative to a related ``prefix``)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _unit_open(prefix: str, day: dt.date) -> Q:
    """The related unit existed on ``day`` (issue 14): what was kept in a unit merged away stops
    counting after its last day, even a party cell or a seat never marked as ended."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def _commune_rows(unit: Unit, day: dt.date) -> list[UnitStaffing]:
    """One row per commune-level unit valid on ``day`` in the subtree, with its staffing level in
    force that day (1 query over the maintained levels, whatever the length of the posting history;
    deployment.levels says what is counted)."""
    in_force = FilteredRelation(
        "staffing_levels", condition=Q(staffing_levels__day__lte=day, staffing_levels__until__gte=day)
    )
    communes = (
        Unit.objects.open_on(day)
        .commune_level()
        .in_subtree(unit)
        .annotate(in_force=in_force)
        .values_list(
            "pk",
            "code",
            "name",
            "unit_type__code",
            "unit_type__name",
            "path",
            "is_ethnic_minority",
            "local_languages",
            "unit_type_id",
            *(f"in_force__{name}" for name in LEVEL_FIGURES),
        )
        .order_by("path")
    )
    rows = []
    for pk, code, name, tcode, tname, path, minority, langs, type_id, *figures in communes:
        row = UnitStaffing(pk, code, name, tcode, str(tname), path, minority, list(langs or []), unit_type_id=type_id)
        row.head_count, row.female, row.chiefs, row.investigators, speakers = (n or 0 for n in figures)
        row.speaks_local_language = speakers > 0
        rows.append(row)
    return rows


def _attach_norms(rows: list[UnitStaffing], day: dt.date) -> None:
    resolver = NormResolver(norms_in_force(day))
    for row in rows:
        row.norm = resolver.for_path(row.unit_id, row.path, row.unit_type_id)


def _coverage_by_type(rows: list[UnitStaffing]) -> list[TypeCoverage]:
    by_type: dict[str, TypeCoverage] = {}
    for row in rows:
        cov = by_type.setdefault(row.type_code, TypeCoverage(row.type_code, row.type_name))
        cov.total += 1
        cov.covered += 1 if row.head_count else 0
    return sorted(by_type.values(), key=lambda c: c.type_code)


def _children(unit: Unit, rows: list[UnitStaffing], day: dt.date) -> list[ChildSummary]:
    """Rolls the commune rows up to the unit's direct children by path segment (1 query)."""
    # Every child, not only those open that day: a commune valid on ``day`` counts under the child
    # it lies in even if that child's own dates say otherwise, so the children add up to the total.
    children = {c.pk: ChildSummary(c) for c in Unit.objects.filter(parent=unit).order_by("name")}
    depth = unit.path.strip("/").count("/") + 1
    for row in rows:
        segments = row.path.strip("/").split("/")
        if len(segments) <= depth:
            continue
        child = children.get(int(segments[depth]))
        if child is None:
            continue
        child.communes += 1
        child.covered += 1 if row.head_count else 0
        child.head_count += row.head_count
        child.female += row.female
        child.below_norm += 1 if row.shortfall else 0
    return [c for c in children.values() if c.communes]


def _party(unit: Unit, day: dt.date) -> tuple[int, Counter]:
    cells = (
        PartyCell.objects.in_subtree(unit)
        .filter(founded_on__lte=day)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=day), _unit_open("unit__", day))
        .count()
    )
    seats = Counter(
        dict(
            CommitteeSeat.objects.in_subtree(unit)
            .filter(_active("", day), _unit_open("unit__", day))
            .order_by()
            .values_list("committee")
            .annotate(n=Count("officer", distinct=True))
        )
    )
    return cells, seats


def _months(day: dt.date, months: int) -> list[dt.date]:
    """The first days of the ``months`` months up to ``day``'s, oldest first."""
    index = day.year * 12 + day.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _monthly(
    unit: Unit, day: dt.date, rows: list[UnitStaffing], communes: dict[int, tuple], months: int = 24
) -> list[tuple[dt.date, int, int, int]]:
    """(month, officers in post, communes covered, communes open) on the last day of each of the
    past months, ``day`` for its own: the figures of ``day`` less the changes after each month's
    end, read from the levels' monthly sums and, for ``day``'s own month, its days up to ``day``
    (3 queries)."""
    firsts = _months(day, months)
    this_month = firsts[-1]
    whole = unit.parent_id is None and not Unit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).exists()
    changes = {
        month: (head, covered)
        for month, head, covered in _of_subtree(StaffingMonth.objects.all(), unit, communes, whole)
        .filter(month__gt=firsts[0], month__lt=this_month)
        .order_by()
        .values_list("month")
        .annotate(Sum("head_change"), Sum("covered_change"))
    }
    own = (
        _of_subtree(StaffingLevel.objects.all(), unit, communes, whole)
        .filter(day__gte=this_month, day__lte=day)
        .aggregate(head=Sum("head_change"), covered=Sum("covered_change"))
    )
    changes[this_month] = (own["head"] or 0, own["covered"] or 0)
    head, covered = sum(r.head_count for r in rows), sum(1 for r in rows if r.head_count)
    validities = Counter(communes.values())  # a handful of distinct (from, to) pairs
    series = []
    for month in reversed(firsts):
        end = min(day, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
        open_then = sum(n for (start, last), n in validities.items() if (start or end) <= end <= (last or end))
        series.append((month, head, covered, open_then))
        month_head, month_covered = changes.get(month, (0, 0))
        head, covered = head - month_head, covered - month_covered
    return series[::-1]


def _subtree_communes(unit: Unit) -> dict[int, tuple[dt.date | None, dt.date | None]]:
    """Every commune-level unit of the subtree, open or closed, with its validity (1 query)."""
    communes = Unit.objects.commune_level().in_subtree(unit).order_by()
    return {pk: (start, end) for pk, start, end in communes.values_list("pk", "valid_from", "valid_to")}


def _of_subtree(levels, unit: Unit, communes: dict[int, tuple], whole: bool):
    """Level rows of the subtree: by commune id below the top (an index range per commune, where a
    province's rows are a thirtieth of the table); every row for the one top-level unit (the
    ministry), through the path for one of several."""
    if unit.parent_id is not None:
        return levels.filter(unit_id__in=list(communes))
    return levels if whole else levels.in_subtree(unit)


def staffing_summary(*, actor: Any, unit: Unit, as_of: dt.date) -> StaffingSummary:
    """All dashboard figures for ``unit`` on ``as_of``; a unit outside the actor's scope is a 404.

    The figures depend only on the unit and the day, not on who asks (every row is in the unit's
    subtree, so inside the actor's), so they are cached per data revision (core.revision) in the
    language they were rendered in.
    """
    require_visible(actor, unit)
    key = ("staffing", unit.pk, as_of, get_language())
    return revision.cached(key, lambda: _compute_summary(unit, as_of))


def _compute_summary(unit: Unit, as_of: dt.date) -> StaffingSummary:
    rows = _commune_rows(unit, as_of)
    _attach_norms(rows, as_of)
    cells, seats = _party(unit, as_of)
    monthly = _monthly(unit, as_of, rows, _subtree_communes(unit))
    return StaffingSummary(
        unit=unit,
        as_of=as_of,
        units=rows,
        coverage=_coverage_by_type(rows),
        children=_children(unit, rows, as_of),
        party_cells=cells,
        executive_seats=seats.get("executive", 0),
        standing_seats=seats.get("standing", 0),
        monthly=[(month, head) for month, head, _covered, _open in monthly],
        monthly_coverage=[(month, covered, open_then) for month, _head, covered, open_then in monthly],
    )


def party_cells(*, actor: Any, unit: Unit):
    """The party cells of ``unit``'s subtree the actor may see, dissolved ones included (history)."""
    return (
        PartyCell.objects.visible_to(actor)
        .in_subtree(unit)
        .select_related("unit", "secretary")
        .order_by("unit__path", "founded_on", "pk")
    )


def postings(*, actor: Any, unit: Unit):
    """The postings of ``unit``'s subtree the actor may see, ended and planned ones included."""
    return (
        Posting.objects.visible_to(actor)
        .in_subtree(unit)
        .select_related("unit", "officer")
        .order_by("officer__service_number", "start_date", "pk")
    )


def committee_seats(*, actor: Any, unit: Unit):
    """The BCH / BTV seats of ``unit``'s subtree the actor may see, ended ones included."""
    return (
        CommitteeSeat.objects.visible_to(actor)
        .in_subtree(unit)
        .select_related("unit", "officer")
        .order_by("unit__path", "committee", "start_date", "officer__service_number", "pk")
    )
