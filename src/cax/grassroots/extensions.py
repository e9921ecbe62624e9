"""What apps built on grassroots add to it: training keeps the courses, so it answers whether a
member has completed one and lists a member's courses. Filled from TrainingConfig.ready(), so
grassroots imports no training module (training imports grassroots, not the other way round)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import BooleanField, Value

_trained: Callable[[dt.date | None], Any] | None = None
_trainings: Callable[..., list] | None = None


def provide(*, trained: Callable[[dt.date | None], Any], trainings: Callable[..., list]) -> None:
    global _trained, _trainings
    _trained, _trainings = trained, trainings


def trained(day: dt.date | None = None):
    """A condition on a query of members: completed a course (by ``day``); false without training."""
    return _trained(day) if _trained is not None else Value(False, output_field=BooleanField())


def trainings(*, actor, member) -> list:
    return _trainings(actor=actor, member=member) if _trainings is not None else []
