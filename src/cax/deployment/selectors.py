"""The staffing picture (coverage, head counts, norms, party) for any unit and any date.

Every figure is computed from the posting history, so a past ``as_of`` date gives the figures of
that day. Queries are a fixed handful per dashboard whatever the size of the subtree: per-unit rows
come from one grouped query and are rolled up in Python along the materialized path.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import get_language

from cax.core import revision
from cax.core.scoping import require_visible
from cax.core.text import search_key
from cax.deployment.models import CommitteeSeat, PartyCell, Posting, PostingRole
from cax.deployment.norms import Norm, NormResolver, norms_in_force
from cax.personnel.choices import Sex, SpecialityKind
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
    monthly: list[tuple[dt.date, int]] = field(default_factory=list)

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
    """One row per commune-level unit valid on ``day`` in the subtree (1 query)."""
    communes = (
        Unit.objects.open_on(day)
        .commune_level()
        .in_subtree(unit)
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
        )
        .order_by("path")
    )
    return [
        UnitStaffing(pk, code, name, tcode, str(tname), path, minority, list(langs or []), unit_type_id=type_id)
        for pk, code, name, tcode, tname, path, minority, langs, type_id in communes
    ]


def _units_filter(unit: Unit, unit_ids) -> dict:
    """Restricts postings to the fetched units: by id for a subtree, which lets PostgreSQL use the
    (unit, start_date, end_date) index for a province; not at all for a top-level unit, where the
    list would be the whole tree and binding 3,000 ids costs more than the rows it spares.
    Rows for units outside ``unit_ids`` are dropped by the callers."""
    return {} if unit.parent_id is None else {"unit_id__in": list(unit_ids)}


def _attach_head_counts(rows: list[UnitStaffing], unit: Unit, day: dt.date) -> None:
    """Head counts, women, chiefs and investigators per unit from the postings in force (3 queries).

    Grouped over postings rather than units: one officer has at most one posting on a day (the
    no-overlap rule), so plain COUNTs need no DISTINCT and the scan touches only active postings.
    """
    by_id = {row.unit_id: row for row in rows}
    active = Posting.objects.filter(_active("", day), **_units_filter(unit, by_id)).order_by()
    counts = active.values_list("unit_id").annotate(n=Count("pk"), chiefs=Count("pk", filter=Q(role=PostingRole.CHIEF)))
    for unit_id, n, chiefs in counts:
        if unit_id in by_id:
            by_id[unit_id].head_count, by_id[unit_id].chiefs = n, chiefs
    # Separate narrow joins: filtering officers (few women, few investigators) first is far cheaper
    # than joining every active posting to its officer row.
    for attribute, subset in (
        ("female", active.filter(officer__sex=Sex.FEMALE)),
        ("investigators", active.filter(officer__specialities__kind=SpecialityKind.INVESTIGATOR)),
    ):
        for unit_id, n in subset.values_list("unit_id").annotate(n=Count("pk")):
            if unit_id in by_id:
                setattr(by_id[unit_id], attribute, n)


def _attach_languages(rows: list[UnitStaffing], unit: Unit, day: dt.date) -> None:
    """Whether anyone posted in an ethnic-minority unit speaks one of its local languages (1 query)."""
    wanted = {row.unit_id: {search_key(lang) for lang in row.local_languages} for row in rows if row.local_languages}
    if not wanted:
        return
    by_id = {row.unit_id: row for row in rows}
    spoken = (
        Posting.objects.filter(
            _active("", day),
            unit__is_ethnic_minority=True,
            officer__languages__is_ethnic_minority=True,
            officer__languages__key__in=set().union(*wanted.values()),
            **_units_filter(unit, wanted),
        )
        .order_by()
        .values_list("unit_id", "officer__languages__key")
        .distinct()
    )
    for unit_id, key in spoken:
        if key in wanted.get(unit_id, ()):
            by_id[unit_id].speaks_local_language = True


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


def _monthly_head_counts(unit: Unit, day: dt.date, months: int = 24) -> list[tuple[dt.date, int]]:
    """Officers in post on the last day of each of the past months: starts minus ends (3 queries)."""
    month_index = day.year * 12 + day.month - 1 - (months - 1)
    first = dt.date(month_index // 12, month_index % 12 + 1, 1)
    in_scope = Posting.objects.in_subtree(unit)
    before = first - dt.timedelta(days=1)
    level = in_scope.filter(_active("", before), _unit_open("unit__", before)).count()
    # Grouped by plain dates (a few hundred) and bucketed here: GROUP BY a column is cheaper than
    # by a month expression over 200,000 rows.
    starts: Counter = Counter()
    for start, n in (
        in_scope.filter(start_date__gte=first, start_date__lte=day)
        .order_by()
        .values_list("start_date")
        .annotate(n=Count("pk"))
    ):
        starts[start.replace(day=1)] += n
    # An officer is still in post on the end date and gone from the next day: a posting ending on
    # the last day of a month leaves the count in the following month.
    # A posting also ends with its unit: nobody is counted in a unit merged away after its last day,
    # the same rule as the head counts (which read only the units open that day).
    ends: Counter = Counter()
    within = Q(unit__valid_to__isnull=True) | Q(end_date__lte=F("unit__valid_to"))
    beyond = Q(start_date__lte=F("unit__valid_to")) & (Q(end_date__isnull=True) | Q(end_date__gt=F("unit__valid_to")))
    for column, ended in (("end_date", in_scope.filter(within)), ("unit__valid_to", in_scope.filter(beyond))):
        for end, n in (
            ended.filter(**{f"{column}__gte": before, f"{column}__lt": day})
            .order_by()
            .values_list(column)
            .annotate(n=Count("pk"))
        ):
            ends[(end + dt.timedelta(days=1)).replace(day=1)] += n
    series, month = [], first
    while month <= day:
        level += starts.get(month, 0) - ends.get(month, 0)
        series.append((month, level))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return series


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
    _attach_head_counts(rows, unit, as_of)
    _attach_languages(rows, unit, as_of)
    _attach_norms(rows, as_of)
    cells, seats = _party(unit, as_of)
    return StaffingSummary(
        unit=unit,
        as_of=as_of,
        units=rows,
        coverage=_coverage_by_type(rows),
        children=_children(unit, rows, as_of),
        party_cells=cells,
        executive_seats=seats.get("executive", 0),
        standing_seats=seats.get("standing", 0),
        monthly=_monthly_head_counts(unit, as_of),
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


def monthly_coverage(*, actor: Any, unit: Unit, days: list[dt.date]) -> list[tuple[int, int]]:
    """(communes with an officer in post, communes open) on each day: two aggregate queries, one
    conditional count per day, the same rules as the dashboard's coverage on that day."""
    require_visible(actor, unit)
    if not days:
        return []
    communes = (
        Unit.objects.commune_level()
        .in_subtree(unit)
        .aggregate(**{f"d{i}": Count("pk", filter=_unit_open("", day)) for i, day in enumerate(days)})
    )
    covered = (
        Posting.objects.in_subtree(unit)
        .filter(unit__unit_type__is_commune_level=True)
        .aggregate(
            **{
                f"d{i}": Count("unit_id", distinct=True, filter=_active("", day) & _unit_open("unit__", day))
                for i, day in enumerate(days)
            }
        )
    )
    return [(covered[f"d{i}"], communes[f"d{i}"]) for i in range(len(days))]


def monthly_head_counts(*, actor: Any, unit: Unit, as_of: dt.date, months: int = 24) -> list[tuple[dt.date, int]]:
    require_visible(actor, unit)
    return _monthly_head_counts(unit, as_of, months)
