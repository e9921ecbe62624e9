"""The home page's to-do lines, "Việc cần làm" (issue 17): what each app asks of the signed-in user
today. Each app names a provider in ``core.registry`` (``registry.add_todo``); a provider
``todo(*, actor, now) -> list[TodoLine]`` decides from the actor's unit (commune, province, ministry:
``cax.units.kinds.home_level``) and rights which lines apply, reads them from its own selectors
(scoped by ``visible_to(actor)``) and gives each one the URL of the filtered list that shows exactly
the rows it counts. Core knows no app: it only orders and draws the lines.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

from cax.core.registry import registry

# Severities, most urgent first: past a deadline, close to one or waiting, news to read, a figure.
LATE, WARN, NEWS, FIGURE, OK = "late", "warn", "news", "figure", "ok"
_RANK = {LATE: 0, WARN: 1, NEWS: 2, FIGURE: 3, OK: 4}


@dataclass(frozen=True)
class TodoLine:
    """One line: ``count`` (drawn with the ``num`` filter) or ``figure`` (already formatted by
    core.formatting: "96/96", "84,2%"); ``url`` opens the list behind it, filtered; ``trend`` is
    ((when, figure), …) for the ministry's figures; a line with nothing to do is ``OK``."""

    group: Any
    label: Any
    count: int | None = None
    figure: str = ""
    severity: str = OK
    url: str = ""
    detail: str = ""
    trend: tuple[tuple[Any, str], ...] = ()

    @property
    def calm(self) -> bool:
        return self.severity == OK


def counted(count: int, severity: str) -> str:
    """The severity of a count that needs doing: ``severity`` when there is any, else calm."""
    return severity if count else OK


def collect(*, actor, now: dt.datetime) -> list[TodoLine]:
    """Every app's lines for ``actor``: the urgent first, then news and figures; within a severity
    in the apps' order."""
    lines: list[TodoLine] = []
    for contribution in registry.todo:
        provider = import_string(contribution.dotted)
        lines.extend(provider(actor=actor, now=now))
    return sorted(lines, key=lambda line: _RANK.get(line.severity, len(_RANK)))


def trend_days(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days the ministry's figures are compared with: a month and a year before ``today`` (the
    month's last day when it is shorter), the same for every app so the columns line up."""
    month_ago = _shifted(today, months=1)
    return month_ago, _shifted(today, months=12)


def _shifted(day: dt.date, *, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
