"""The clock of persons under local management (quản lý đối tượng), computed from rules given as data.

Every figure (a probation of 1–5 years, 1 day of custody = 3 days of non-custodial reform, a monthly
report, the 24-hour hand-over of Law 120/2025) lives in `Rule` rows, never in this module: the laws of
judgment execution, drugs and residence bans change on 01/07/2026, and a person's file must be judged
by the version in force on the day its period began. Pure Python (no Django, nothing from cax), so
hypothesis can exercise it alone and the services, the overdue list and the reminders share it.

Conventions (docs/supervision.md):
- a term of N months starting on day S ends on the day before S + N months (a probation of 1 year
  from 15/01/2026 ends on 14/01/2027); credited custody shortens the term by custody days × the
  category's factor (CTKGG: 3, BLHS Art. 36);
- the k-th periodic duty falls on S + k × period (counted from S, not chained, so 31/01 + 1 month
  is 28/02 and + 2 months 31/03); duties after the end of the term are not owed;
- a duty counted in hours runs from the moment of the event (the move), to the minute.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal, get_args

Unit = Literal["hours", "calendar_days", "working_days", "months"]
UNITS: frozenset[str] = frozenset(get_args(Unit))

# Rule codes: the keys under which the data is stored. The figures themselves are data.
TERM_MIN = "term_min"  # the shortest term the law allows for the category
TERM_MAX = "term_max"  # the longest
CUSTODY_CREDIT = "custody_credit"  # days of term one day of custody counts for (amount, in calendar days)
COMMITMENT = "commitment"  # appear and file the written commitment after the decision is received
HANDOVER = "handover"  # notify the receiving commune after the person moves
TEMPORARY_ABSENCE = "temporary_absence"  # an absence this long or longer needs a tạm vắng record
# Periodic duties: each falls every `amount` `unit`s from the start of the term.
REPORT = "report"  # the person's own written report (bản tự nhận xét / báo cáo)
ASSESSMENT = "assessment"  # the named supervisor's assessment (nhận xét)
RESIDENCE_CHECK = "residence_check"  # commune police check the person's residence
INCOME_DEDUCTION = "income_deduction"  # CTKGG: the deducted income paid in

PERIODIC: tuple[str, ...] = (REPORT, ASSESSMENT, RESIDENCE_CHECK, INCOME_DEDUCTION)


@dataclass(frozen=True)
class Rule:
    """One version of one rule of one category ("" = every category without a row of its own)."""

    category: str
    code: str
    amount: int
    unit: Unit
    effective_from: date
    effective_to: date | None = None  # inclusive; None while in force
    legal_basis: str = ""
    verified: bool = False  # the figure was read in the text of the law ([V]), not a summary

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Rule {self.code!r}: unknown unit {self.unit!r} (expected one of {sorted(UNITS)}).")
        if self.amount < 0:
            raise ValueError(f"Rule {self.code!r}: amount must not be negative, got {self.amount}.")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"Rule {self.code!r}: effective_to is before effective_from.")

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class Calendar:
    """Which days count as working days; holidays are data (decreed year by year)."""

    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        if len(self.weekend) >= 7:
            raise ValueError("Calendar weekend cannot cover the whole week.")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays


class NoRuleInForce(LookupError):
    """No version of a rule covers the date: no figure is guessed."""

    def __init__(self, category: str, code: str, on: date) -> None:
        self.category, self.code, self.on = category, code, on
        super().__init__(f"No rule {code!r} for category {category!r} in force on {on.isoformat()}.")


class TermOutOfRange(ValueError):
    """A term shorter or longer than the category's rules allow; `rule` is the one it breaks."""

    def __init__(self, rule: Rule, months: int, days: int) -> None:
        self.rule = rule
        super().__init__(f"Term {months} months {days} days breaks {rule.code} = {rule.amount} {rule.unit}.")


def rule_in_force(rules: Iterable[Rule], category: str, code: str, on: date) -> Rule:
    """The version of ``code`` for ``category`` applying on ``on``: the category's own row when it
    has one, else the rows for every category; of overlapping versions the latest to take effect."""
    if isinstance(on, datetime):
        on = on.date()
    rules = list(rules)
    for wanted in (category, ""):
        candidates = [r for r in rules if r.category == wanted and r.code == code and r.in_force_on(on)]
        if candidates:
            return max(candidates, key=lambda r: r.effective_from)
    raise NoRuleInForce(category, code, on)


def optional_rule(rules: Iterable[Rule], category: str, code: str, on: date) -> Rule | None:
    try:
        return rule_in_force(rules, category, code, on)
    except NoRuleInForce:
        return None


def shift_months(day: date, months: int) -> date:
    """``day`` + ``months``; 31 January + 1 month is the last day of February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


def add_days(day: date, amount: int, unit: Unit, calendar: Calendar) -> date:
    """The day ``amount`` ``unit``s after ``day`` (hours are refused: a day has no hour)."""
    if amount < 0:
        raise ValueError(f"A period cannot be negative, got {amount} {unit}.")
    if unit == "months":
        return shift_months(day, amount)
    if unit == "calendar_days":
        return day + timedelta(days=amount)
    if unit == "working_days":
        current, left = day, amount
        while left:
            current += timedelta(days=1)
            if calendar.is_working_day(current):
                left -= 1
        return current
    raise ValueError(f"A period in {unit} has no due day; use add_hours.")


def add_hours(moment: datetime, hours: int) -> datetime:
    """Elapsed hours, on the UTC line so a clock change cannot add or drop one."""
    if moment.tzinfo is None:
        return moment + timedelta(hours=hours)
    return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(moment.tzinfo)


def custody_credit_days(custody_days: int, *, category: str, start: date, rules: Iterable[Rule]) -> int:
    """The days of term that ``custody_days`` of custody or detention count for (0 for a category
    whose law credits none)."""
    if custody_days < 0:
        raise ValueError("Custody days cannot be negative.")
    rule = optional_rule(rules, category, CUSTODY_CREDIT, start)
    return custody_days * rule.amount if rule is not None else 0


def check_term(months: int, days: int, *, category: str, start: date, rules: Iterable[Rule]) -> None:
    """Refuse (TermOutOfRange) a term outside the category's minimum and maximum, where it has them."""
    rules = list(rules)
    raw_end = shift_months(start, months) + timedelta(days=days)
    low = optional_rule(rules, category, TERM_MIN, start)
    if low is not None and raw_end < add_days(start, low.amount, low.unit, Calendar()):
        raise TermOutOfRange(low, months, days)
    high = optional_rule(rules, category, TERM_MAX, start)
    if high is not None and raw_end > add_days(start, high.amount, high.unit, Calendar()):
        raise TermOutOfRange(high, months, days)


def term_end(
    start: date, months: int, days: int = 0, *, custody_days: int = 0, category: str = "", rules: Iterable[Rule] = ()
) -> date:
    """The last day of a term of ``months`` months and ``days`` days from ``start``, less the days
    credited for custody (never before the start: a term fully served in custody ends on its first day)."""
    if months < 0 or days < 0:
        raise ValueError("A term cannot be negative.")
    credit = custody_credit_days(custody_days, category=category, start=start, rules=rules)
    end = shift_months(start, months) + timedelta(days=days - credit - 1)
    return max(end, start)


def due_dates(start: date, end: date | None, amount: int, unit: Unit, calendar: Calendar, *, limit: int) -> list[date]:
    """The first ``limit`` due days of a duty every ``amount`` ``unit``s from ``start``, up to ``end``."""
    if amount <= 0:
        return []
    found: list[date] = []
    k = 1
    while len(found) < limit:
        day = add_days(start, amount * k, unit, calendar) if unit != "months" else shift_months(start, amount * k)
        if end is not None and day > end:
            break
        found.append(day)
        k += 1
    return found


def next_due(start: date, end: date | None, rule: Rule, done: int, calendar: Calendar) -> date | None:
    """When the duty after the ``done`` already performed falls, or None once every duty of the
    term is done (the (done+1)-th due day is after the end)."""
    if done < 0:
        raise ValueError("A count of duties done cannot be negative.")
    if rule.amount <= 0 or rule.unit == "hours":
        return None
    k = done + 1
    day = (
        shift_months(start, rule.amount * k)
        if rule.unit == "months"
        else add_days(start, rule.amount * k, rule.unit, calendar)
    )
    if end is not None and day > end:
        return None
    return day


def handover_due(moved_at: datetime, *, category: str, rules: Iterable[Rule], calendar: Calendar) -> datetime | None:
    """When the receiving commune must have been notified of a move, or None where no rule sets a
    time (before 01/07/2026, or a category whose law names none)."""
    rule = optional_rule(rules, category, HANDOVER, moved_at.date())
    if rule is None:
        return None
    if rule.unit == "hours":
        return add_hours(moved_at, rule.amount)
    day = add_days(moved_at.date(), rule.amount, rule.unit, calendar)
    return datetime.combine(day, datetime.max.time(), tzinfo=moved_at.tzinfo)


def commitment_due(received_on: date, *, category: str, rules: Iterable[Rule], calendar: Calendar) -> date | None:
    rule = optional_rule(rules, category, COMMITMENT, received_on)
    return add_days(received_on, rule.amount, rule.unit, calendar) if rule is not None else None


def needs_temporary_absence(first: date, last: date, *, category: str, rules: Iterable[Rule]) -> bool:
    """Whether an absence from ``first`` to ``last`` (both days away) must be declared as tạm vắng
    (Residence Law Art. 31(1)(a)(b): leaving the commune for 1 day or more, for these categories)."""
    rule = optional_rule(rules, category, TEMPORARY_ABSENCE, first)
    if rule is None:
        return False
    return (last - first).days + 1 >= rule.amount
