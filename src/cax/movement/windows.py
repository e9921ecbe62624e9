"""The movement's calendar arithmetic, pure (no Django, no CAX import): the assessment windows of
TT 124/2021 and HD 01/HD-BCA-V05, the registration period, the submission deadline, how long a team
has run and the cap on "excellent". Every number comes from a rule row handed in; none is here."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """A yearly window: ``start`` (in the previous year when ``starts_previous_year``) → ``end``."""

    start_month: int
    start_day: int
    end_month: int
    end_day: int
    starts_previous_year: bool = True

    def of(self, year: int) -> tuple[dt.date, dt.date]:
        """The window of assessment year ``year``: 16/11/2024 → 15/11/2025 for a commune's 2025."""
        first_year = year - 1 if self.starts_previous_year else year
        return day_of(first_year, self.start_month, self.start_day), day_of(year, self.end_month, self.end_day)

    def year_ending_on_or_before(self, day: dt.date) -> int:
        """The latest year whose window ended on or before ``day``."""
        _start, end = self.of(day.year)
        return day.year if end <= day else day.year - 1

    def year_containing(self, day: dt.date) -> int:
        """The year whose window holds ``day`` (the window of year Y+1 starts the day after Y's ends)."""
        _start, end = self.of(day.year)
        return day.year if day <= end else day.year + 1


def day_of(year: int, month: int, day: int) -> dt.date:
    """``day``/``month``/``year``, the last day of the month when it has fewer days (29/02)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def full_months(first: dt.date, last: dt.date) -> int:
    """Whole months from ``first`` to ``last`` (15/02 → 14/11 is 8, → 15/11 is 9)."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if add_months(first, months) > last:
        months -= 1
    return max(months, 0)


def has_run(since: dt.date, until: dt.date, months: int) -> bool:
    """Running for at least ``months`` whole months from ``since`` by ``until``."""
    return add_months(since, months) <= until


def excellent_cap(percent: int, base: int) -> int:
    """How many "excellent" ratings ``percent`` % of ``base`` allows, rounded down."""
    return (percent * base) // 100
