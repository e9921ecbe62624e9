"""Demo departments of the demo province and the communes each supports (idempotent)."""

from __future__ import annotations

import datetime as dt

from cax.pairing.models import Pairing
from cax.pairing.registers import PAIRINGS
from cax.units.demo import ensure_departments
from cax.units.models import Unit


def load_demo(*, province: Unit) -> None:
    """Each department supports a share of the province's communes, round robin, from 01/07/2025;
    a few communes are left unpaired so the tile shows a gap."""
    departments = ensure_departments(province)
    if Pairing.objects.filter(department__in=departments).exists():
        return
    communes = list(Unit.objects.current().commune_level().in_subtree(province).order_by("name"))
    for index, commune in enumerate(communes[: len(communes) - 5]):
        PAIRINGS.save(
            actor=None,
            instance=None,
            data={
                "department": departments[index % len(departments)],
                "commune": commune,
                "since": dt.date(2025, 7, 1),
                "note": "Phân công theo Kế hoạch phụ trách, giúp đỡ Công an xã",
            },
        )
