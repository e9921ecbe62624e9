"""Statutory deadlines of the crime-report register (CPC 2015 Art. 145–149), computed from rules given as data.

Every figure (24 hours, 20 days, 2 months...) lives in `Rule` rows, never in this module: the Code and its
guiding circulars change, and a case must keep being judged by the version in force when its period began.
The module is pure Python (no Django, nothing from cax) so hypothesis can exercise it in isolation and the
same arithmetic can back the register, the reminders and the reports.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args

__all__ = [
    "Calendar",
    "Deadline",
    "ExtensionRefused",
    "Extender",
    "NoRuleInForce",
    "AmbiguousRules",
    "Rule",
    "Unit",
    "add_period",
    "notice_cutoff",
    "counted_from_receipt",
    "check_extension",
    "extension_limit",
    "extension_request_latest",
    "resolution_deadline",
    "resumption_deadline",
    "rule_in_force",
    "decision_to_procuracy_deadline",
    "transfer_deadline",
]

Unit = Literal["hours", "calendar_days", "working_days", "months"]
Extender = Literal["investigation", "procuracy"]

UNITS: frozenset[str] = frozenset(get_args(Unit))

# Rule codes: the keys under which the data is stored. The figures themselves are data.
TRANSFER = "transfer"
RESOLVE = "resolve"
EXTEND_INVESTIGATION = "extend_investigation"
EXTEND_PROCURACY = "extend_procuracy"
# CPC Art. 147(2) caps the whole period, counted from receipt, whoever extends: 2 months after the
# investigating body's extension, 4 months after the procuracy's. Extensions are never stacked on the
# current deadline beyond these; a per-extension length (the procuracy's "một lần, không quá 2 tháng")
# is the `extend_*` rule, counted from the current deadline, and the tighter of the two applies.
CAP_INVESTIGATION = "cap_investigation"
CAP_PROCURACY = "cap_procuracy"
EXTENSION_REQUEST_LEAD = "extension_request_lead"
AFTER_RESUMPTION = "after_resumption"
DECISION_TO_PROCURACY = "decision_to_procuracy"

_EXTENSION_CODES: dict[str, str] = {"investigation": EXTEND_INVESTIGATION, "procuracy": EXTEND_PROCURACY}
_CAP_CODES: dict[str, str] = {"investigation": CAP_INVESTIGATION, "procuracy": CAP_PROCURACY}


@dataclass(frozen=True)
class Rule:
    """One version of one statutory period; several versions of a code may coexist over time."""

    code: str
    amount: int
    unit: Unit
    effective_from: date
    effective_to: date | None = None  # inclusive; None while the version is still in force
    remote_amount: int | None = None  # the longer allowance for remote communes, where the law grants one
    legal_basis: str = ""  # shown to users so a deadline can be checked against the text of the law

    def __post_init__(self) -> None:
        # Rules come from an admin screen or a fixture: a typo must fail loudly here, not skew every deadline.
        if self.unit not in UNITS:
            raise ValueError(f"Rule {self.code!r}: unknown unit {self.unit!r} (expected one of {sorted(UNITS)}).")
        if self.amount < 0:
            raise ValueError(f"Rule {self.code!r}: amount must not be negative, got {self.amount}.")
        if isinstance(self.effective_from, datetime) or (
            self.effective_to is not None and isinstance(self.effective_to, datetime)
        ):
            raise TypeError(f"Rule {self.code!r}: effective dates must be dates, not datetimes.")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"Rule {self.code!r}: effective_to {self.effective_to.isoformat()} is before "
                f"effective_from {self.effective_from.isoformat()}."
            )
        if self.remote_amount is not None and self.remote_amount < self.amount:
            # The remote allowance exists to give far-away communes MORE time; a shorter one is a data error.
            raise ValueError(
                f"Rule {self.code!r}: remote_amount {self.remote_amount} is shorter than amount {self.amount}."
            )

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class Calendar:
    """Which days count as working days; holidays are data because they are decreed year by year."""

    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Monday=0 ... Sunday=6

    def __post_init__(self) -> None:
        # Accept any iterable (a set, a queryset's values list) but store a frozenset so the calendar is hashable.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        if any(isinstance(day, datetime) for day in self.holidays):
            # datetime(2025, 1, 1) != date(2025, 1, 1): a datetime holiday would silently never match.
            raise TypeError("Calendar holidays must be dates, not datetimes.")
        if not self.weekend <= set(range(7)):
            raise ValueError(f"Calendar weekend days must be 0 (Monday) to 6 (Sunday), got {sorted(self.weekend)}.")
        if len(self.weekend) == 7:
            # Counting working days would never end.
            raise ValueError("Calendar weekend cannot cover the whole week.")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays


class NoRuleInForce(LookupError):
    """No version of a rule covers the date; raised rather than guessing a figure the law may not give."""

    def __init__(self, code: str, on: date) -> None:
        self.code = code
        self.on = on
        super().__init__(f"No rule {code!r} is in force on {on.isoformat()}.")


class AmbiguousRules(LookupError):
    """Two versions of a rule take effect on the same day: the data is wrong and no choice would be safe."""

    def __init__(self, code: str, on: date, effective_from: date) -> None:
        self.code = code
        self.on = on
        super().__init__(
            f"Several versions of rule {code!r} in force on {on.isoformat()} "
            f"all take effect on {effective_from.isoformat()}."
        )


class ExtensionRefused(ValueError):
    """An extension the law does not allow.

    The message is English, for logs and developers; `reason` and the moments let the caller word the
    refusal in the user's language: the latest date allowed and the rule (with its article) behind it.
    """

    NOT_LATER = "not_later"  # the new deadline is not after the current one
    OVER_LIMIT = "over_limit"  # past the latest allowed: `limit`
    NO_REQUEST = "no_request"  # a procuracy extension without the date of the request
    REQUEST_LATE = "request_late"  # the request was sent after `request_latest`

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        current_due: datetime,
        limit: Deadline | None = None,
        request_latest: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.current_due = current_due
        self.limit = limit
        self.request_latest = request_latest


def rule_in_force(rules: Iterable[Rule], code: str, on: date) -> Rule:
    """The version of `code` applying to a period that starts on `on`.

    When versions overlap (a new one published without closing the old), the latest to take effect wins,
    as a later law supersedes an earlier one.
    """
    if isinstance(on, datetime):
        # The start of a period is a day in the case's own time zone; a datetime would not compare with dates.
        on = on.date()
    candidates = [rule for rule in rules if rule.code == code and rule.in_force_on(on)]
    if not candidates:
        raise NoRuleInForce(code, on)
    latest = max(rule.effective_from for rule in candidates)
    winners = [rule for rule in candidates if rule.effective_from == latest]
    if len(winners) > 1 and len(set(winners)) > 1:
        raise AmbiguousRules(code, on, latest)
    return winners[0]


def _end_of_day(day: date, like: datetime) -> datetime:
    # A period counted in days ends with its last day, not at the hour it started (CPC Art. 134).
    return datetime.combine(day, time.max, tzinfo=like.tzinfo)


def _shift_months(day: date, months: int) -> date:
    # 31 January + 1 month is the last day of February: the period cannot spill into March.
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _shift_hours(moment: datetime, hours: int) -> datetime:
    # Hours are elapsed time: an aware moment is moved on the UTC line so a DST change cannot add or drop an hour.
    if moment.tzinfo is None:
        return moment + timedelta(hours=hours)
    return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(moment.tzinfo)


def _utc(moment: datetime) -> datetime:
    # Naive stays naive, so mixing naive and aware still fails with Python's own TypeError.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def add_period(start: datetime, amount: int, unit: Unit, calendar: Calendar) -> datetime:
    """The last instant of a period of `amount` `unit`s starting at `start`.

    Day-based periods are counted from the day after `start` (the day of receipt does not count) and end at
    the end of their last day, so the deadline is inclusive of that whole day.
    """
    if amount < 0:
        raise ValueError(f"A period cannot be negative, got {amount} {unit}.")
    if unit == "hours":
        return _shift_hours(start, amount)
    if unit == "calendar_days":
        return _end_of_day(start.date() + timedelta(days=amount), start)
    if unit == "months":
        return _end_of_day(_shift_months(start.date(), amount), start)
    if unit == "working_days":
        day = start.date()
        remaining = amount
        while remaining:
            day += timedelta(days=1)
            if calendar.is_working_day(day):
                remaining -= 1
        return _end_of_day(day, start)
    raise ValueError(f"Unknown unit {unit!r} (expected one of {sorted(UNITS)}).")


def notice_cutoff(start: datetime, *, cutoff: time, next_day_by: time) -> datetime:
    """A notice due the same day before ``cutoff``, or the next day before ``next_day_by`` when the
    event itself came at or after the cut-off: the Residence Law's lưu trú notice (Art. 30(4),
    23:00, else 08:00 the next day), reused by any rule of that shape. Both times are data.
    """
    if start.timetz().replace(tzinfo=None) < cutoff:
        return datetime.combine(start.date(), cutoff, tzinfo=start.tzinfo)
    return datetime.combine(start.date() + timedelta(days=1), next_day_by, tzinfo=start.tzinfo)


def _subtract_period(moment: datetime, amount: int, unit: Unit, calendar: Calendar | None) -> datetime:
    # Counting back keeps the time of day: "5 days before 23:59 on the 30th" is 23:59 on the 25th.
    if unit == "hours":
        return _shift_hours(moment, -amount)
    if unit == "calendar_days":
        return moment - timedelta(days=amount)
    if unit == "months":
        return datetime.combine(_shift_months(moment.date(), -amount), moment.timetz())
    if unit == "working_days":
        if calendar is None:
            raise ValueError("A lead time in working days needs a calendar.")
        day = moment.date()
        remaining = amount
        while remaining:
            day -= timedelta(days=1)
            if calendar.is_working_day(day):
                remaining -= 1
        return datetime.combine(day, moment.timetz())
    raise ValueError(f"Unknown unit {unit!r} (expected one of {sorted(UNITS)}).")


@dataclass(frozen=True)
class Deadline:
    """A due moment together with the rule that produced it, so users can see which text of the law applies."""

    code: str
    due: datetime
    rule: Rule

    def time_left(self, now: datetime) -> timedelta:
        """Elapsed time until `due` (negative once overdue), measured on the UTC line for aware moments."""
        return _utc(self.due) - _utc(now)

    def is_overdue(self, now: datetime) -> bool:
        # `due` is the last instant of the period, so reaching it exactly is still on time.
        return _utc(now) > _utc(self.due)


def _deadline(
    code: str, start: datetime, rules: Iterable[Rule], calendar: Calendar, *, remote: bool = False
) -> Deadline:
    rule = rule_in_force(rules, code, start.date())
    amount = rule.remote_amount if remote and rule.remote_amount is not None else rule.amount
    return Deadline(code=code, due=add_period(start, amount, rule.unit, calendar), rule=rule)


def transfer_deadline(received_at: datetime, *, remote: bool, rules: Iterable[Rule], calendar: Calendar) -> Deadline:
    """When the commune police must have handed the report to the investigating body.

    Remote communes get the rule's longer allowance when it has one; otherwise the ordinary one applies.
    """
    return _deadline(TRANSFER, received_at, rules, calendar, remote=remote)


def resolution_deadline(received_at: datetime, *, rules: Iterable[Rule], calendar: Calendar) -> Deadline:
    """The initial deadline to resolve the report, before any extension."""
    return _deadline(RESOLVE, received_at, rules, calendar)


def resumption_deadline(resumed_at: datetime, *, rules: Iterable[Rule], calendar: Calendar) -> Deadline:
    """After a suspension is lifted the clock does not resume where it stopped: a fresh period runs instead."""
    return _deadline(AFTER_RESUMPTION, resumed_at, rules, calendar)


def decision_to_procuracy_deadline(decided_at: datetime, *, rules: Iterable[Rule], calendar: Calendar) -> Deadline:
    """When a decision must reach the procuracy, which supervises every step of the resolution."""
    return _deadline(DECISION_TO_PROCURACY, decided_at, rules, calendar)


def _extension_code(by: str) -> str:
    try:
        return _EXTENSION_CODES[by]
    except KeyError:
        raise ValueError(f"Unknown extender {by!r} (expected 'investigation' or 'procuracy').") from None


def counted_from_receipt(code: str) -> bool:
    """Whether the rule's period runs from the day of receipt (a cap) rather than from the current deadline."""
    return code in _CAP_CODES.values()


def _optional_rule(rules: Iterable[Rule], code: str, on: date) -> Rule | None:
    try:
        return rule_in_force(rules, code, on)
    except NoRuleInForce:
        return None


def extension_limit(
    current_due: datetime,
    *,
    by: Extender,
    received_at: datetime,
    rules: Iterable[Rule],
    calendar: Calendar,
) -> Deadline:
    """The latest new deadline the extender may set: the tighter of the total cap counted from receipt
    (`cap_*`) and the length of one extension counted from the current deadline (`extend_*`), whichever of
    the two are in force; on a tie the cap is named, as it is the one the law states.

    The rules are looked up on the day of receipt, not today: the whole resolution is governed by the
    version in force when the report came in, even if the extension is granted after a change in the law.
    """
    rules = tuple(rules)  # looked up twice below
    day = received_at.date()
    step_code = _extension_code(by)  # refuses an unknown extender
    cap_code = _CAP_CODES[by]
    limits = []
    if (cap := _optional_rule(rules, cap_code, day)) is not None:
        limits.append(Deadline(cap_code, add_period(received_at, cap.amount, cap.unit, calendar), cap))
    if (step := _optional_rule(rules, step_code, day)) is not None:
        limits.append(Deadline(step_code, add_period(current_due, step.amount, step.unit, calendar), step))
    if not limits:
        raise NoRuleInForce(cap_code, day)
    return min(limits, key=lambda limit: _utc(limit.due))


def extension_request_latest(
    current_due: datetime,
    *,
    received_at: datetime,
    rules: Iterable[Rule],
    calendar: Calendar | None = None,
) -> datetime:
    """The last moment the investigating body may ask the procuracy to extend.

    The procuracy needs time to decide before the current deadline runs out, hence a lead time counted back
    from that deadline. `calendar` is only needed if the lead is expressed in working days.
    """
    rule = rule_in_force(rules, EXTENSION_REQUEST_LEAD, received_at.date())
    return _subtract_period(current_due, rule.amount, rule.unit, calendar)


def _show(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M}"


def _check_request(
    current_due: datetime,
    *,
    requested_at: datetime | None,
    received_at: datetime,
    rules: tuple[Rule, ...],
    calendar: Calendar,
) -> None:
    """The procuracy extends only on the investigating body's request, sent in time before the
    current deadline."""
    latest = extension_request_latest(current_due, received_at=received_at, rules=rules, calendar=calendar)
    if requested_at is None:
        raise ExtensionRefused(
            "An extension by the procuracy needs the date the investigating body sent its request.",
            reason=ExtensionRefused.NO_REQUEST,
            current_due=current_due,
            request_latest=latest,
        )
    if _utc(requested_at) > _utc(latest):
        raise ExtensionRefused(
            f"The extension request of {_show(requested_at)} came too late: it had to be sent by "
            f"{_show(latest)}, before the current deadline {_show(current_due)}.",
            reason=ExtensionRefused.REQUEST_LATE,
            current_due=current_due,
            request_latest=latest,
        )


def check_extension(
    new_due: datetime,
    *,
    current_due: datetime,
    by: Extender,
    received_at: datetime,
    requested_at: datetime | None,
    rules: Iterable[Rule],
    calendar: Calendar,
) -> None:
    """Refuse an extension the law does not allow, before it is recorded.

    Whether this extender has already used its single extension depends on the case history, which this
    pure module does not see: the caller checks that.
    """
    rules = tuple(rules)  # looked up several times below: a one-shot iterator would be empty the second time
    if _utc(new_due) <= _utc(current_due):
        raise ExtensionRefused(
            f"The new deadline {_show(new_due)} must be later than the current deadline {_show(current_due)}.",
            reason=ExtensionRefused.NOT_LATER,
            current_due=current_due,
        )
    limit = extension_limit(current_due, by=by, received_at=received_at, rules=rules, calendar=calendar)
    if _utc(new_due) > _utc(limit.due):
        start = "from receipt" if counted_from_receipt(limit.code) else "after the current deadline"
        raise ExtensionRefused(
            f"The new deadline {_show(new_due)} is later than the latest allowed, {_show(limit.due)} "
            f"({limit.rule.amount} {limit.rule.unit.replace('_', ' ')} {start}"
            + (f", {limit.rule.legal_basis}" if limit.rule.legal_basis else "")
            + ").",
            reason=ExtensionRefused.OVER_LIMIT,
            current_due=current_due,
            limit=limit,
        )
    if by == "procuracy":
        _check_request(current_due, requested_at=requested_at, received_at=received_at, rules=rules, calendar=calendar)
