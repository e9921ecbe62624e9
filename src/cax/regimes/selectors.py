"""Reads of the regimes app: the monthly list of who is owed what, an officer's history, the
officers due for rotation. Each starts from ``visible_to(actor)``; the amounts are computed by
``entitlements`` from the postings, the dated classification and the rate rows, never stored."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from cax.core.exceptions import NotVisible
from cax.core.scoping import require_visible
from cax.regimes import entitlements as calc
from cax.regimes import policy
from cax.regimes.models import AreaClassification, EntitlementRate, EntitlementType, RotationRule


def province_id(unit) -> int | None:
    """The province's id read off the unit's path ("/1/35/2104/" → 35); None for the root."""
    parts = [p for p in unit.path.strip("/").split("/") if p]
    return int(parts[1]) if len(parts) > 1 else None


def _overlapping(queryset, start_field: str, end_field: str, first: dt.date, last: dt.date):
    return queryset.filter(**{f"{start_field}__lte": last}).filter(
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": first})
    )


def posting_span(posting) -> calc.PostingSpan:
    return calc.PostingSpan(
        posting.unit_id, province_id(posting.unit) or 0, posting.role, posting.start_date, posting.end_date
    )


def _area_spans(actor, unit_ids, first, last) -> list[calc.AreaSpan]:
    rows = _overlapping(
        AreaClassification.objects.visible_to(actor).filter(unit_id__in=unit_ids), "valid_from", "valid_to", first, last
    )
    return [calc.AreaSpan(a.unit_id, a.attribute, a.valid_from, a.valid_to) for a in rows]


def _rate_rows(actor, first, last) -> tuple[list[calc.RateRow], dict[str, EntitlementType]]:
    rows = _overlapping(
        EntitlementRate.objects.visible_to(actor).select_related("entitlement_type", "unit"),
        "effective_from",
        "effective_to",
        first,
        last,
    )
    types: dict[str, EntitlementType] = {}
    result = []
    for rate in rows:
        kind = rate.entitlement_type
        types[kind.code] = kind
        result.append(
            calc.RateRow(
                rate.pk,
                kind.code,
                kind.exclusive_group,
                province_id(rate.unit),
                rate.attributes,
                rate.role,
                rate.speciality,
                rate.amount,
                rate.effective_from,
                rate.effective_to,
                kind.proration,
            )
        )
    return result, types


def _specialities(officer_ids) -> dict[int, frozenset[str]]:
    from cax.personnel.models import Speciality

    found: dict[int, set[str]] = defaultdict(set)
    for officer_id, kind in Speciality.objects.filter(officer_id__in=officer_ids).values_list("officer_id", "kind"):
        found[officer_id].add(kind)
    return {k: frozenset(v) for k, v in found.items()}


@dataclass
class MonthRow:
    officer: object
    units: list
    amounts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.amounts.values())


@dataclass
class MonthList:
    unit: object
    year: int
    month: int
    types: list[EntitlementType]
    rows: list[MonthRow]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def grand_total(self) -> int:
        return sum(self.totals.values())


def month_list(*, actor, unit, year: int, month: int) -> MonthList:
    """Every officer posted in ``unit``'s subtree during the month, with what each type owes for the
    days posted there (prorated), their total and the grand total. Seven queries, any size."""
    from cax.deployment.models import Posting

    policy.require_entitlement_reader(actor)
    require_visible(actor, unit)
    first, last = calc.month_bounds(year, month)
    postings = list(
        _overlapping(Posting.objects.visible_to(actor).in_subtree(unit), "start_date", "end_date", first, last)
        .select_related("officer", "unit")
        .order_by("officer__full_name", "officer_id", "start_date")
    )
    areas = _area_spans(actor, {p.unit_id for p in postings}, first, last)
    rates, types = _rate_rows(actor, first, last)
    specialities = _specialities({p.officer_id for p in postings})
    by_officer: dict[int, list] = defaultdict(list)
    for posting in postings:
        by_officer[posting.officer_id].append(posting)
    rows, totals = [], defaultdict(int)
    for officer_postings in by_officer.values():
        items = calc.entitlements(
            postings=[posting_span(p) for p in officer_postings],
            areas=areas,
            rates=rates,
            specialities=specialities.get(officer_postings[0].officer_id, frozenset()),
            first=first,
            last=last,
        )
        amounts = {code: amount for code, amount in calc.month_amounts(items, year, month).items() if amount}
        for code, amount in amounts.items():
            totals[code] += amount
        units = list(dict.fromkeys(p.unit for p in officer_postings))
        rows.append(MonthRow(officer_postings[0].officer, units, amounts))
    used = sorted((types[c] for c in totals), key=lambda t: (t.kind, t.code))
    return MonthList(unit, year, month, used, rows, dict(totals))


@dataclass
class HistoryLine:
    entitlement_type: EntitlementType
    rate: EntitlementRate
    unit: object
    start: dt.date
    end: dt.date | None  # None: still owed today (open-ended)
    amount: int


def officer_history(*, actor, officer_id: int, today: dt.date):
    """(officer, lines): every entitlement the officer had from the first posting to ``today``,
    newest first; a line still running today has no end."""
    from cax.deployment.models import Posting
    from cax.personnel.models import Officer

    policy.require_entitlement_reader(actor)
    officer = Officer.objects.visible_to(actor).filter(pk=officer_id).first()
    if officer is None:
        raise NotVisible(_("Không tìm thấy cán bộ."))
    # The officer is visible: all their postings are read, as their page lists them all.
    postings = list(Posting.objects.filter(officer=officer, start_date__lte=today).select_related("unit"))
    if not postings:
        return officer, []
    first = min(p.start_date for p in postings)
    areas = _area_spans(actor, {p.unit_id for p in postings}, first, today)
    rates, types = _rate_rows(actor, first, today)
    items = calc.entitlements(
        postings=[posting_span(p) for p in postings],
        areas=areas,
        rates=rates,
        specialities=_specialities({officer.pk}).get(officer.pk, frozenset()),
        first=first,
        last=today,
    )
    rate_objects = {r.pk: r for r in EntitlementRate.objects.filter(pk__in={i.rate_id for i in items})}
    units = {p.unit_id: p.unit for p in postings}
    lines = [
        HistoryLine(
            types[i.type_code],
            rate_objects[i.rate_id],
            units[i.unit_id],
            i.start,
            None if i.end == today else i.end,
            i.amount,
        )
        for i in sorted(items, key=lambda i: (i.start, i.type_code), reverse=True)
    ]
    return officer, lines


def rotation_rule(day: dt.date) -> RotationRule | None:
    """The rotation rule in force on ``day`` (reference data, one national row at a time)."""
    return (
        RotationRule.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


@dataclass
class RotationLine:
    officer: object
    unit: object
    since: dt.date
    due: dt.date
    is_due: bool


def rotation_list(*, actor, unit, today: dt.date, due_only: bool = False):
    """(rule, lines): officers posted today in ``unit``'s subtree, with the day they started serving
    in their current commune without a break and the day rotation is due, soonest first."""
    from cax.deployment.models import Posting

    policy.require_entitlement_reader(actor)
    require_visible(actor, unit)
    rule = rotation_rule(today)
    if rule is None:
        return None, []
    current = list(
        Posting.objects.visible_to(actor).in_subtree(unit).active_on(today).select_related("officer", "unit")
    )
    history = defaultdict(list)
    for posting in Posting.objects.filter(officer_id__in={p.officer_id for p in current}, start_date__lte=today):
        history[posting.officer_id].append(posting)
    lines = []
    for posting in current:
        spans = [_unit_span(p) for p in history[posting.officer_id]]
        served = calc.served_since(spans, today)
        if served is None:
            continue
        due = calc.add_years(served.start, rule.years)
        if due_only and due > today:
            continue
        lines.append(RotationLine(posting.officer, posting.unit, served.start, due, due <= today))
    return rule, sorted(lines, key=lambda line: (line.due, line.officer.full_name))


def _unit_span(posting) -> calc.PostingSpan:
    """A span for the time-served count: the province does not matter there, only the unit."""
    return calc.PostingSpan(posting.unit_id, 0, posting.role, posting.start_date, posting.end_date)
