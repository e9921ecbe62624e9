"""Who is owed which allowance on which days (issue 19): a pure calculation, no Django.

Inputs are plain rows: an officer's postings, the dated area classification of the units they
were posted to, the rate rows in force and the officer's specialities. The day line is cut at
every date where any of them starts or ends; on each piece the rates whose conditions hold are
kept, one per entitlement type (the highest), and within an exclusive group ("only the highest
applies") only the highest of the group. A month's amount is prorated by the method named on
the type's row (``CALENDAR_DAYS`` or ``FIRST_DAY``), never by a constant here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

DAY = dt.timedelta(days=1)

# Proration methods (EntitlementType.proration holds one of these codes).
CALENDAR_DAYS = "calendar_days"  # amount × days in force ÷ days of the month
FIRST_DAY = "first_day"  # the whole month if in force on its first day, nothing otherwise


@dataclass(frozen=True)
class PostingSpan:
    unit_id: int
    province_id: int
    role: str
    start: dt.date
    end: dt.date | None  # inclusive; None: open


@dataclass(frozen=True)
class AreaSpan:
    unit_id: int
    attribute: str  # "remote", "border", "ethnic_minority"
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class RateRow:
    rate_id: int
    type_code: str
    group: str  # exclusive group; "" = none
    province_id: int | None  # None: national
    attributes: frozenset[str]  # every one must hold for the posting's unit
    role: str  # "" = any role
    speciality: str  # "" = any officer
    amount: int  # VND per month
    start: dt.date
    end: dt.date | None
    proration: str = CALENDAR_DAYS


@dataclass(frozen=True)
class Entitlement:
    """``amount`` per month owed for ``type_code`` from ``start`` to ``end`` (inclusive)."""

    type_code: str
    rate_id: int
    unit_id: int
    amount: int
    proration: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _active(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or day <= end)


def _cuts(first: dt.date, last: dt.date, spans: Iterable) -> list[dt.date]:
    """Every day in (first, last] where something starts or the day after it ends, plus ``first``."""
    days = {first}
    for span in spans:
        for day in (span.start, span.end + DAY if span.end else None):
            if day is not None and first < day <= last:
                days.add(day)
    return sorted(days)


def _posting_on(postings: Sequence[PostingSpan], day: dt.date) -> PostingSpan | None:
    active = [p for p in postings if _active(p.start, p.end, day)]
    return max(active, key=lambda p: p.start) if active else None


def _applies(rate: RateRow, posting: PostingSpan, attributes: set[str], specialities: frozenset[str]) -> bool:
    return (
        (rate.province_id is None or rate.province_id == posting.province_id)
        and rate.attributes <= attributes
        and (not rate.role or rate.role == posting.role)
        and (not rate.speciality or rate.speciality in specialities)
    )


def _highest(rates: Iterable[RateRow]) -> list[RateRow]:
    """One rate per type (the highest), then one per exclusive group (the highest; ties: type code)."""
    by_type: dict[str, RateRow] = {}
    for rate in rates:
        kept = by_type.get(rate.type_code)
        if kept is None or rate.amount > kept.amount:
            by_type[rate.type_code] = rate
    by_group: dict[str, RateRow] = {}
    result = []
    for rate in sorted(by_type.values(), key=lambda r: (-r.amount, r.type_code)):
        if not rate.group:
            result.append(rate)
        elif rate.group not in by_group:
            by_group[rate.group] = rate
            result.append(rate)
    return sorted(result, key=lambda r: r.type_code)


def rates_on(
    day: dt.date,
    posting: PostingSpan,
    areas: Sequence[AreaSpan],
    rates: Sequence[RateRow],
    specialities: frozenset[str],
) -> list[RateRow]:
    """The rates owed on ``day`` for ``posting``, after the highest-of-group rule."""
    attributes = {a.attribute for a in areas if a.unit_id == posting.unit_id and _active(a.start, a.end, day)}
    candidates = [r for r in rates if _active(r.start, r.end, day) and _applies(r, posting, attributes, specialities)]
    return _highest(candidates)


def entitlements(
    *,
    postings: Sequence[PostingSpan],
    areas: Sequence[AreaSpan],
    rates: Sequence[RateRow],
    specialities: frozenset[str] = frozenset(),
    first: dt.date,
    last: dt.date,
) -> list[Entitlement]:
    """One officer's entitlements between ``first`` and ``last``, pieces of equal terms merged."""
    cuts = _cuts(first, last, [*postings, *areas, *rates])
    pieces: list[Entitlement] = []
    for index, start in enumerate(cuts):
        end = cuts[index + 1] - DAY if index + 1 < len(cuts) else last
        posting = _posting_on(postings, start)
        if posting is None:
            continue
        for rate in rates_on(start, posting, areas, rates, specialities):
            pieces.append(
                Entitlement(rate.type_code, rate.rate_id, posting.unit_id, rate.amount, rate.proration, start, end)
            )
    return _merged(pieces)


def _merged(pieces: list[Entitlement]) -> list[Entitlement]:
    """Adjacent pieces of one type at the same rate and unit become one."""
    merged: list[Entitlement] = []
    open_by_key: dict[tuple, int] = {}
    for piece in sorted(pieces, key=lambda p: (p.type_code, p.start)):
        key = (piece.type_code, piece.rate_id, piece.unit_id, piece.amount)
        at = open_by_key.get(key)
        if at is not None and merged[at].end + DAY == piece.start:
            old = merged[at]
            merged[at] = Entitlement(
                old.type_code, old.rate_id, old.unit_id, old.amount, old.proration, old.start, piece.end
            )
            continue
        open_by_key[key] = len(merged)
        merged.append(piece)
    return sorted(merged, key=lambda p: (p.start, p.type_code))


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _round_vnd(value: Fraction) -> int:
    """Half up to the whole đồng."""
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def month_amounts(items: Iterable[Entitlement], year: int, month: int) -> dict[str, int]:
    """What each type owes for the month, prorated by its method and rounded once per type."""
    first, last = month_bounds(year, month)
    days_in_month = (last - first).days + 1
    owed: dict[str, Fraction] = {}
    for item in items:
        start, end = max(item.start, first), min(item.end, last)
        if start > end:
            continue
        if item.proration == FIRST_DAY:
            share = Fraction(item.amount) if start == first else Fraction(0)
        else:
            share = Fraction(item.amount * ((end - start).days + 1), days_in_month)
        owed[item.type_code] = owed.get(item.type_code, Fraction(0)) + share
    return {code: _round_vnd(value) for code, value in sorted(owed.items())}


def served_since(postings: Sequence[PostingSpan], today: dt.date) -> PostingSpan | None:
    """The stretch served without a break in the unit of the posting open on ``today``: the
    earliest of the back-to-back postings to that same unit (a change of role keeps the count)."""
    current = _posting_on(postings, today)
    if current is None:
        return None
    start = current.start
    for posting in sorted(postings, key=lambda p: p.start, reverse=True):
        if posting.unit_id == current.unit_id and posting.end is not None and posting.end + DAY == start:
            start = posting.start
    return PostingSpan(current.unit_id, current.province_id, current.role, start, current.end)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
