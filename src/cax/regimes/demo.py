"""Demo rates and the area classification's history (``./cax manage demo_programme``), once.

The Hà Nội rates are the notes' verified figures (27/11/2025: 4,960,000 VND; NQ 38/2024 from
01/01/2025: 1,800,000 VND for criminal police, only the highest applies); the difficult-area
rate is [U] and stays unverified."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cax.regimes.models import EntitlementRate, EntitlementType
from cax.regimes.registers import RATES
from cax.regimes.services import areas_seed_from_flags
from cax.units.models import Unit
from cax.units.official import ROOT_CODE

HISTORY_STARTS = dt.date(2025, 7, 1)  # the two-level tree: the communes the flags describe
FLAGS_BASIS = "Đặc điểm địa bàn ghi trên đơn vị khi bắt đầu theo dõi lịch sử"

DEMO_RATES = [
    # type code, scope code, amount, from, verified, conditions, basis
    (
        "HN-NQ38-2024",
        "01",
        1_800_000,
        dt.date(2025, 1, 1),
        True,
        {"speciality": "criminal_police"},
        "NQ 38/2024/NQ-HĐND",
    ),
    ("HN-HOTRO-2025", "01", 4_960_000, dt.date(2025, 11, 27), True, {}, "Nghị quyết HĐND TP Hà Nội 27/11/2025"),
    (
        "VUNG-DBKK",
        ROOT_CODE,
        1_638_000,
        dt.date(2024, 7, 1),
        False,
        {"requires_remote": True},
        "70% lương cơ sở (NĐ 76/2019/NĐ-CP, chưa đối chiếu)",
    ),
]


@transaction.atomic
def load_demo(*, province) -> None:
    communes = Unit.objects.current().commune_level().in_subtree(province)
    areas_seed_from_flags(actor=None, units=communes, since=HISTORY_STARTS, basis=FLAGS_BASIS)
    if EntitlementRate.objects.exists():
        return
    types = {t.code: t for t in EntitlementType.objects.all()}
    for code, scope, amount, start, verified, conditions, basis in DEMO_RATES:
        unit = Unit.objects.current().filter(code=scope).first()
        if unit is None or code not in types:
            continue
        RATES.save(
            actor=None,
            instance=None,
            data={
                "entitlement_type": types[code],
                "unit": unit,
                "amount": amount,
                "effective_from": start,
                "basis": basis,
                "verified": verified,
                **conditions,
            },
        )
