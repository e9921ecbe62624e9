"""A managed person's file for tests, through the services (so every rule applies)."""

from __future__ import annotations

import datetime as dt

from cax.supervision import services
from cax.supervision.models import Category

NAME = "Nguyễn Văn Thử"
PERSONAL_ID = "051090007777"


def file_data(unit, **overrides) -> dict:
    data = {
        "unit": unit,
        "category": Category.objects.get(code=overrides.pop("category", "an_treo")),
        "decision_number": "12/2026/QĐ-CA",
        "decision_date": dt.date(2026, 1, 10),
        "issuer": "Tòa án nhân dân khu vực 1 – Quảng Ngãi",
        "legal_basis": "BLHS 2015 Điều 65",
        "received_on": dt.date(2026, 1, 12),
        "start_date": dt.date(2026, 1, 15),
        "term_months": 12,
        "term_days": 0,
        "custody_days": 0,
        "supervisor": "Trần Thị Giám",
        "dossier": ["Bản án"],
        "full_name": NAME,
        "personal_id": PERSONAL_ID,
        "date_of_birth": dt.date(1990, 5, 1),
        "address": "Thôn 1, Xã Đăk Hà",
    }
    data.update(overrides)
    return data


def make_file(actor, unit, **overrides):
    return services.file_save(actor=actor, instance=None, data=file_data(unit, **overrides))


def received(actor, unit, **overrides):
    file = make_file(actor, unit, **overrides)
    services.event_record(actor=actor, file=file, kind="reception", on=file.received_on)
    file.refresh_from_db()
    return file
