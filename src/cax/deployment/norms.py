"""Which staffing norm applies to a unit on a date: pure Python over the norms in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cax.deployment.models import StaffingNorm


@dataclass(frozen=True)
class Norm:
    minimum: int
    target: int
    requires_chief: bool
    min_investigators: int
    source: str


NO_NORM = Norm(0, 0, False, 0, "")


def norms_in_force(day: dt.date) -> list[StaffingNorm]:
    from django.db.models import Q

    return list(
        StaffingNorm.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .select_related("unit", "province", "unit_type")
    )


class NormResolver:
    """Picks the most specific norm for (unit, its province, its type); later start wins a tie."""

    def __init__(self, norms: list[StaffingNorm]):
        self._by_key: dict[tuple, Norm] = {}
        for norm in sorted(norms, key=lambda n: n.effective_from):
            self._by_key[(norm.unit_id, norm.province_id, norm.unit_type_id)] = Norm(
                norm.minimum, norm.target, norm.requires_chief, norm.min_investigators, str(norm)
            )
        self._own = {key[0] for key in self._by_key if key[0] is not None and key[1:] == (None, None)}
        self._shared: dict[tuple, Norm] = {}  # (province, type) → norm, for the units without their own

    def for_path(self, unit_id: int, path: str, unit_type_id: int) -> Norm:
        """The norm of a unit known by its materialized path (its province is the second segment)."""
        segments = path.strip("/").split("/")
        return self.for_unit(unit_id, int(segments[1]) if len(segments) > 1 else None, unit_type_id)

    def for_unit(self, unit_id: int, province_id: int | None, unit_type_id: int) -> Norm:
        if unit_id in self._own:
            return self._by_key[(unit_id, None, None)]
        shared = self._shared.get((province_id, unit_type_id))
        if shared is None:
            shared = self._shared[(province_id, unit_type_id)] = self._shared_norm(province_id, unit_type_id)
        return shared

    def _shared_norm(self, province_id: int | None, unit_type_id: int) -> Norm:
        for key in (
            (None, province_id, unit_type_id),
            (None, province_id, None),
            (None, None, unit_type_id),
            (None, None, None),
        ):
            norm = self._by_key.get(key)
            if norm is not None:
                return norm
        return NO_NORM
