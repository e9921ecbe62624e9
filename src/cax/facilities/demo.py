"""Demo headquarters and equipment for the demo province's communes (idempotent).

Deterministic (a seeded generator), so two demo databases show the same figures: most units built,
some under construction, temporary, borrowed or without premises; equipment close to the national
standard with gaps; a few repairs, a loss and a write-off in the event log.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cax.facilities import services
from cax.facilities.models import (
    Condition,
    Equipment,
    EquipmentStandard,
    EquipmentStatus,
    EventKind,
    FundingSource,
    Headquarters,
    HeadquartersStatus,
)
from cax.units.models import Unit

# Shares of the province's communes by headquarters status (the rest is "built").
STATUS_SHARES = [
    (HeadquartersStatus.UNDER_CONSTRUCTION, 0.12),
    (HeadquartersStatus.TEMPORARY, 0.06),
    (HeadquartersStatus.BORROWED, 0.04),
    (HeadquartersStatus.NONE, 0.03),
]
FUNDING = [
    FundingSource.LOCAL,
    FundingSource.LOCAL,
    FundingSource.CENTRAL,
    FundingSource.MIXED,
    FundingSource.SOCIALIZATION,
]


def _plate(province_code: str, n: int, motorbike: bool) -> str:
    series = "B1" if motorbike else "A"
    return f"{province_code}{series}-{n // 100:03d}.{n % 100:02d}"


def load_demo(*, province) -> None:
    """Headquarters, equipment and a few equipment events for every commune of the province, once."""
    communes = list(Unit.objects.current().commune_level().in_subtree(province).order_by("code"))
    if not communes or Headquarters.objects.filter(unit__in=communes).exists():
        return
    rng = random.Random(f"facilities-{province.code}")
    _load_headquarters(rng, communes)
    _load_equipment(rng, communes, province.code)
    _load_events(rng, communes)


def _load_headquarters(rng: random.Random, communes: list[Unit]) -> None:
    """One headquarters per commune, its status drawn to the shares of ``STATUS_SHARES``."""
    statuses: list[str] = []
    for status, share in STATUS_SHARES:
        statuses += [status] * max(1, round(share * len(communes)))
    statuses += [HeadquartersStatus.BUILT] * max(0, len(communes) - len(statuses))
    rng.shuffle(statuses)
    this_year = timezone.localdate().year
    for unit, status in zip(communes, statuses, strict=False):
        data = {"unit": unit, "status": status, "address": f"Trung tâm {unit.name}"}
        if status == HeadquartersStatus.BUILT:
            data |= {
                "year": rng.randint(2021, this_year),
                "funding_source": rng.choice(FUNDING),
                "amount": rng.randint(25, 60) * 100_000_000,
                "area": rng.randint(250, 600),
            }
        elif status == HeadquartersStatus.UNDER_CONSTRUCTION:
            data |= {
                "year": this_year,
                "funding_source": FundingSource.LOCAL,
                "amount": rng.randint(30, 55) * 100_000_000,
            }
        elif status in (HeadquartersStatus.TEMPORARY, HeadquartersStatus.BORROWED):
            data["note"] = "Mượn nhà văn hoá thôn" if status == HeadquartersStatus.BORROWED else "Nhà tạm cấp 4"
        services.headquarters_save(actor=None, instance=None, data=data)


def _load_equipment(rng: random.Random, communes: list[Unit], province_code: str) -> None:
    """The national standard list in every commune, about one item in six short; vehicles by plate."""
    standard = list(EquipmentStandard.objects.filter(unit__isnull=True).order_by("code"))
    plate = 0
    for unit in communes:
        for item in standard:
            # Most units hold the full standard; about one pair in six falls short.
            quantity = item.quantity if rng.random() > 0.17 else rng.randint(0, max(0, item.quantity - 1))
            if not quantity:
                continue
            acquired = dt.date(rng.randint(2021, 2025), rng.randint(1, 6), rng.randint(1, 28))
            common = {"unit": unit, "standard": item, "acquired_on": acquired, "funding_source": FundingSource.CENTRAL}
            if item.category == "vehicle":
                for _n in range(quantity):  # vehicles are registered one by one, by plate
                    plate += 1
                    services.equipment_save(
                        actor=None,
                        instance=None,
                        data=common | {"quantity": 1, "identifier": _plate(province_code, plate, item.code == "XMT")},
                    )
            else:
                services.equipment_save(actor=None, instance=None, data=common | {"quantity": quantity})


def _load_events(rng: random.Random, communes: list[Unit]) -> None:
    """Twelve events on equipment in service: repairs, a loss, write-offs."""
    held = list(
        Equipment.objects.filter(unit__in=communes, status=EquipmentStatus.IN_SERVICE)
        .select_related("unit", "standard")
        .order_by("pk")
    )
    today = timezone.localdate()
    for item in rng.sample(held, min(len(held), 12)):
        day = max(item.acquired_on or today, today - dt.timedelta(days=rng.randint(5, 120)))
        kind = rng.choice([EventKind.SENT_FOR_REPAIR, EventKind.SENT_FOR_REPAIR, EventKind.LOST, EventKind.WRITTEN_OFF])
        quantity = 1 if item.quantity > 1 else None
        if kind == EventKind.SENT_FOR_REPAIR:
            item = services.equipment_save(actor=None, instance=item, data={"condition": Condition.NEEDS_REPAIR})
        services.event_record(
            actor=None,
            equipment=item,
            data={"kind": kind, "date": day, "quantity": quantity, "document": f"Biên bản số {rng.randint(1, 99)}/BB"},
        )
