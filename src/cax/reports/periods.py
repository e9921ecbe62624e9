"""Reporting periods: pure date arithmetic, no ORM (#6).

A period has a start day, an end day (inclusive) and a key in DHIS2's period format, so exchanged
data values name periods the way DHIS2 does: daily ``20261123``, weekly ``2026W48`` (ISO weeks,
Monday to Sunday), monthly ``202611``, quarterly ``2026Q4``, yearly ``2026``.

Two calendars:

* ``calendar``: calendar months, quarters and years (statistical reports, Decree 60/2018);
* ``administrative``: the data cut-off of Decree 09/2019 Art. 12, a month runs from the 15th of
  the previous month to the 14th (November 2026 = 15/10/2026 – 14/11/2026), a quarter from the
  15th of the month before it to the 14th of its last month, a year from 15/12 to 14/12.

Days and weeks are the same in both calendars.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

DAILY, WEEKLY, MONTHLY, QUARTERLY, YEARLY = "daily", "weekly", "monthly", "quarterly", "yearly"
CALENDAR, ADMINISTRATIVE = "calendar", "administrative"
PERIODICITIES = (DAILY, WEEKLY, MONTHLY, QUARTERLY, YEARLY)
CALENDARS = (CALENDAR, ADMINISTRATIVE)
CUT_OFF_DAY = 14  # Decree 09/2019: data counted up to the 14th


class PeriodError(ValueError):
    """A key or a date that names no period of this kind; the message is for the user."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    key: str
    periodicity: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """A short label in the active language: "23/11/2026", "Tuần 48/2026", "Tháng 11/2026",
        "Quý IV/2026" ("Week 48/2026"… in English)."""
        from django.utils.translation import gettext as _

        year = self.key[:4]
        if self.periodicity == DAILY:
            return self.start.strftime("%d/%m/%Y")
        if self.periodicity == WEEKLY:
            return _("Tuần {n}/{y}").format(n=f"{int(self.key[5:]):02d}", y=year)
        if self.periodicity == MONTHLY:
            return _("Tháng {n}/{y}").format(n=f"{int(self.key[4:]):02d}", y=year)
        if self.periodicity == QUARTERLY:
            return _("Quý {q}/{y}").format(q=("I", "II", "III", "IV")[int(self.key[5]) - 1], y=year)
        return _("Năm {y}").format(y=year)


def _month_bounds(year: int, month: int, calendar: str) -> tuple[dt.date, dt.date]:
    """First and last day of the reporting month ``year-month``."""
    if calendar == ADMINISTRATIVE:
        prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
        return dt.date(prev_year, prev_month, CUT_OFF_DAY + 1), dt.date(year, month, CUT_OFF_DAY)
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return dt.date(year, month, 1), nxt - dt.timedelta(days=1)


def _month_of(day: dt.date, calendar: str) -> tuple[int, int]:
    """The reporting month a day falls in."""
    if calendar == ADMINISTRATIVE and day.day > CUT_OFF_DAY:
        return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.year, day.month


def _build(periodicity: str, calendar: str, year: int, number: int) -> Period:
    """The ``number``-th period of ``year`` (week, month, quarter; 1 for a year)."""
    if periodicity == WEEKLY:
        start = dt.date.fromisocalendar(year, number, 1)
        return Period(start, start + dt.timedelta(days=6), f"{year}W{number}", WEEKLY)
    if periodicity == MONTHLY:
        start, end = _month_bounds(year, number, calendar)
        return Period(start, end, f"{year}{number:02d}", MONTHLY)
    if periodicity == QUARTERLY:
        start, _ = _month_bounds(year, 3 * number - 2, calendar)
        _, end = _month_bounds(year, 3 * number, calendar)
        return Period(start, end, f"{year}Q{number}", QUARTERLY)
    if periodicity == YEARLY:
        start, _ = _month_bounds(year, 1, calendar)
        _, end = _month_bounds(year, 12, calendar)
        return Period(start, end, f"{year}", YEARLY)
    raise PeriodError(f"Kỳ báo cáo không hợp lệ: {periodicity}")


def _check(periodicity: str, calendar: str) -> None:
    if periodicity not in PERIODICITIES:
        raise PeriodError(f"Tần suất không hợp lệ: {periodicity}")
    if calendar not in CALENDARS:
        raise PeriodError(f"Lịch không hợp lệ: {calendar}")


def period_of(periodicity: str, calendar: str, day: dt.date) -> Period:
    """The period that contains ``day``."""
    _check(periodicity, calendar)
    if periodicity == DAILY:
        return Period(day, day, day.strftime("%Y%m%d"), DAILY)
    if periodicity == WEEKLY:
        iso = day.isocalendar()
        return _build(WEEKLY, calendar, iso.year, iso.week)
    year, month = _month_of(day, calendar)
    if periodicity == MONTHLY:
        return _build(MONTHLY, calendar, year, month)
    if periodicity == QUARTERLY:
        return _build(QUARTERLY, calendar, year, (month - 1) // 3 + 1)
    return _build(YEARLY, calendar, year, 1)


_KEY_PATTERNS = {
    DAILY: re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$"),
    WEEKLY: re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE),
    MONTHLY: re.compile(r"^(\d{4})-?(\d{2})$"),
    QUARTERLY: re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE),
    YEARLY: re.compile(r"^(\d{4})$"),
}
_KEY_EXAMPLES = {DAILY: "20261123", WEEKLY: "2026W48", MONTHLY: "202611", QUARTERLY: "2026Q4", YEARLY: "2026"}


def parse_key(periodicity: str, calendar: str, key: str) -> Period:
    """The period a DHIS2-style key names; ``2026-11-23`` and ``2026-11`` are accepted too."""
    from django.utils.translation import gettext as _

    _check(periodicity, calendar)
    text = str(key).strip()
    match = _KEY_PATTERNS[periodicity].match(text)
    if not match:
        raise PeriodError(_("Kỳ “{t}” không đúng định dạng (ví dụ {e}).").format(t=text, e=_KEY_EXAMPLES[periodicity]))
    numbers = [int(g) for g in match.groups()]
    if not 1900 <= numbers[0] <= 2999:
        raise PeriodError(_("Kỳ “{t}” không tồn tại.").format(t=text))
    try:
        if periodicity == DAILY:
            day = dt.date(*numbers)
            return period_of(DAILY, calendar, day)
        if periodicity == YEARLY:
            return _build(YEARLY, calendar, numbers[0], 1)
        year, number = numbers
        if periodicity == MONTHLY and not 1 <= number <= 12:
            raise ValueError
        return _build(periodicity, calendar, year, number)
    except ValueError as exc:
        raise PeriodError(_("Kỳ “{t}” không tồn tại.").format(t=text)) from exc


def following(period: Period, calendar: str) -> Period:
    return period_of(period.periodicity, calendar, period.end + dt.timedelta(days=1))


def preceding(period: Period, calendar: str) -> Period:
    return period_of(period.periodicity, calendar, period.start - dt.timedelta(days=1))


def periods_between(first: Period, last: Period, calendar: str) -> Iterator[Period]:
    """``first``, the periods after it, up to and including ``last`` (nothing if last < first)."""
    current = first
    while current.start <= last.start:
        yield current
        current = following(current, calendar)


def recent(periodicity: str, calendar: str, today: dt.date, count: int) -> list[Period]:
    """The ``count`` periods ending with the one containing ``today``, newest first."""
    period = period_of(periodicity, calendar, today)
    result = [period]
    while len(result) < count:
        period = preceding(period, calendar)
        result.append(period)
    return result
