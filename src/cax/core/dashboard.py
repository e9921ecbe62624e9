"""What an app adds to the leaders' dashboard (issue 17) without the dashboard's app importing it:
a trend, a column of the table by child unit, and the communes a map figure marks. Each app names
its provider in ``core.registry`` (``registry.add_dashboard_figures``); reports' completeness comes
this way, since reports already imports deployment, whose page shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from cax.core.registry import registry


@dataclass
class Column:
    """A column of the table: ``values`` by child unit id, ``total`` for the whole unit; ``kind`` is
    "pct" or "num" (how the template writes it); None reads "—"."""

    title: Any
    kind: str
    values: dict[int, float | None]
    total: float | None
    note: Any = ""


@dataclass
class Figures:
    """``trends``: (title, kind, one value per month end, None for nothing to measure);
    ``flags``: map figure key → commune ids it marks."""

    trends: list[tuple[Any, str, list[float | None]]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    flags: dict[str, set[int]] = field(default_factory=dict)


def collect(*, actor: Any, unit: Any, ends: list[dt.date], now: dt.datetime) -> list[Figures]:
    found = []
    for contribution in registry.dashboard_figures:
        provider: Callable[..., Figures | None] = import_string(contribution.dotted)
        figures = provider(actor=actor, unit=unit, ends=ends, now=now)
        if figures is not None:
            found.append(figures)
    return found
