"""Dashboard tiles (#8): each domain app's ``selectors.tiles()`` returns a few figures for a unit's
subtree and a period; the overview page shows them, each linking to the list that explains it. The
apps name their provider in ``core.registry`` (``registry.add_tiles``), in the order the page shows them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

from cax.core.registry import registry


@dataclass(frozen=True)
class Tile:
    """One figure: ``value`` is what the eye reads first ("42/50", "84%"), ``detail`` explains it,
    ``url`` drills down to the filtered list. ``percent`` (0–100) draws a bar; ``state`` colours it:
    "ok" (target met), "warn", "bad" or "" (no target)."""

    group: Any
    title: Any
    value: str
    detail: str = ""
    url: str = ""
    percent: float | None = None
    state: str = ""


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def collect(*, actor, unit, first: dt.date, last: dt.date) -> list[Tile]:
    tiles: list[Tile] = []
    for contribution in registry.tiles:
        provider = import_string(contribution.dotted)
        tiles.extend(provider(actor=actor, unit=unit, first=first, last=last))
    return tiles
