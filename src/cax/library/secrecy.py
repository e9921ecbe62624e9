"""The secrecy rules of the library, as pure functions over rule rows (no Django import).

Two kinds of rule rows live in the database (``library.SecrecyRule``, ``library.ProtectionPeriod``),
each with effective dates and its legal basis, because the law changes on 01/03/2026 (Law
117/2025/QH15 replaces Law 29/2018/QH14). The services read the rows and hand them here as
``RuleRow``; this module picks the one in force on a day and computes protection periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

NONE, MAT, TOI_MAT, TUYET_MAT = "none", "mat", "toi_mat", "tuyet_mat"
LEVELS = (NONE, MAT, TOI_MAT, TUYET_MAT)  # in increasing order of secrecy


@dataclass(frozen=True)
class RuleRow:
    """One version of a rule: in force from ``effective_from`` to ``effective_to`` (inclusive,
    None: open-ended). ``years`` is a protection period; ``law`` and ``article`` the basis."""

    effective_from: dt.date
    effective_to: dt.date | None
    law: str
    article: str = ""
    years: int | None = None
    level: str = ""
    verified: bool = True


def is_secret(level: str) -> bool:
    """Mật, Tối mật and Tuyệt mật: whatever is above "không mật"."""
    if level not in LEVELS:
        raise ValueError(f"unknown secrecy level {level!r}")
    return level != NONE


def in_force(rows: Iterable[RuleRow], day: dt.date, *, level: str = "") -> RuleRow | None:
    """The row in force on ``day`` (for ``level`` when given); the latest start wins an overlap."""
    matching = [
        r
        for r in rows
        if (not level or r.level == level)
        and r.effective_from <= day
        and (r.effective_to is None or day <= r.effective_to)
    ]
    return max(matching, key=lambda r: r.effective_from) if matching else None


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole calendar years; 29/02 becomes 28/02 in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def protection_end(classified_on: dt.date, rows: Iterable[RuleRow], level: str) -> tuple[dt.date, RuleRow] | None:
    """The last day of protection of a document of ``level`` classified on ``classified_on`` (the
    period counts from the classification date, Law 29/2018 Art. 19), with the row that gave it;
    None when no row is in force that day (the user then types the date).

    Civil Code 2015 Art. 147–148: the first day is not counted and a period of years ends on the
    corresponding day of its last year (the last day of February for 29/02)."""
    row = in_force(rows, classified_on, level=level)
    if row is None or row.years is None:
        return None
    return add_years(classified_on, row.years), row
