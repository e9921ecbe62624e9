"""Posting rules that a check of existing data asks too (core.audit), kept in one place."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.units.kinds import validity_problem


def posting_unit_problem(unit, start: dt.date, end: dt.date | None) -> str | None:
    """Why a posting from ``start`` to ``end`` cannot be in ``unit``: outside the unit's validity, or
    left open in a unit that has closed (it must end by the unit's last day)."""
    problem = validity_problem(unit, start) or (validity_problem(unit, end) if end else None)
    if problem is None and end is None and unit.valid_to is not None:
        problem = validity_problem(unit, max(timezone.localdate(), unit.valid_to + dt.timedelta(days=1)))
        problem = _("{p}: nhập ngày kết thúc của quyết định.").format(p=problem)
    return problem
