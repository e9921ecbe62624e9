"""A week of the demo commune's desk (idempotent): dossiers of every kind and channel, some resolved
on time, some late (one with an apology slip), one still open past its due time, and the week's lưu
trú notices and foreigners' declarations, one of each late. Everything goes through the services,
so it obeys every rule; ``WEEK`` is the hand count the tests check the figures against.

The week is the one that began three Mondays ago: every dossier's time limit (7 working days at most)
has run out by today, so each "late" resolution lies in the past whatever today is.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cax.procedures import services
from cax.procedures.models import Dossier, ProcedureType
from cax.units.models import Unit

DEMO_NAMES = [
    "Nguyễn Văn An",
    "A Blưm",
    "Y Hlên",
    "Trần Thị Bích",
    "Lê Văn Công",
    "Phạm Thị Dung",
    "Đinh Văn Hùng",
    "Y Nhi",
]


def dossier_data(unit, code: str, channel: str, received: dt.datetime, complete: dt.datetime | None) -> dict:
    return {
        "unit": unit,
        "procedure": ProcedureType.objects.get(code=code),
        "channel": channel,
        "received_at": received,
        "complete_at": complete,
    }


def declaration_data(unit, code: str, arrived: dt.datetime, declared: dt.datetime) -> dict:
    return {
        "unit": unit,
        "procedure": ProcedureType.objects.get(code=code),
        "channel": "vneid",
        "place": "Thôn 3, xã Đăk Hà",
        "host": "Hộ ông Nguyễn Văn Bảy",
        "stay_from": arrived.date(),
        "stay_to": arrived.date() + dt.timedelta(days=3),
        "arrived_at": arrived,
        "declared_at": declared,
    }


# (weekday 0–4, hour, procedure, channel, what happened: "on_time" | "late" | "apology" | "open")
WEEK = [
    (0, 8, "thuong-tru", "in_person", "on_time"),
    (0, 9, "tam-tru", "portal", "on_time"),
    (0, 10, "can-cuoc", "in_person", "on_time"),
    (1, 8, "tam-tru", "vneid", "late"),
    (1, 9, "tach-ho", "in_person", "on_time"),
    (1, 14, "tam-vang", "vneid", "on_time"),
    (2, 8, "thuong-tru", "post", "apology"),
    (2, 10, "can-cuoc", "in_person", "on_time"),
    (3, 8, "gia-han-tam-tru", "portal", "on_time"),
    (3, 15, "dieu-chinh-cu-tru", "in_person", "open"),
    (4, 8, "tam-tru", "portal", "on_time"),
    (4, 9, "can-cuoc", "in_person", "on_time"),
]
# (weekday, arrival hour, minutes after arrival the notice came, kind)
NOTICES = [
    (0, 18, 60, "luu-tru"),
    (1, 20, 90, "luu-tru"),
    (2, 21, 150, "luu-tru"),  # 23:30: after the 23:00 cut-off, late
    (3, 19, 30, "luu-tru"),
    (4, 23, 300, "luu-tru"),  # arrived 23:00, notified 04:00: before 08:00 the next day
    (1, 10, 240, "tam-tru-nuoc-ngoai"),
    (3, 7, 14 * 60, "tam-tru-nuoc-ngoai"),  # 14 hours: past the 12 hours (not a remote commune)
]


def week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday() + 21)


def _moment(day: dt.date, hour: int, minutes: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone()) + dt.timedelta(minutes=minutes)


def _dossier(commune: Unit, monday: dt.date, n: int, spec) -> None:
    weekday, hour, code, channel, fate = spec
    received = _moment(monday + dt.timedelta(days=weekday), hour)
    data = dossier_data(commune, code, channel, received, received + dt.timedelta(minutes=15))
    data |= {"reference": f"DEMO-{monday:%y%m%d}-{n:03d}", "person_name": DEMO_NAMES[n % len(DEMO_NAMES)]}
    dossier = services.dossier_save(actor=None, instance=None, data=data)
    if fate == "open":
        return
    if fate == "apology":
        services.dossier_apologize(
            actor=None,
            dossier=dossier,
            issued_at=dossier.complete_at + dt.timedelta(days=1),
            new_due_at=dossier.due_at + dt.timedelta(days=2),
            reason="Chờ kết quả xác minh nơi cư trú cũ",
        )
    late = fate in ("late", "apology")
    resolved = dossier.due_at + dt.timedelta(hours=9) if late else dossier.complete_at + dt.timedelta(hours=2)
    services.dossier_resolve(actor=None, dossier=dossier, resolved_at=resolved, outcome="approved")


def _notice(commune: Unit, monday: dt.date, n: int, spec) -> None:
    weekday, hour, after, code = spec
    arrived = _moment(monday + dt.timedelta(days=weekday), hour)
    data = declaration_data(commune, code, arrived, arrived + dt.timedelta(minutes=after))
    data["person_name"] = DEMO_NAMES[(n + 5) % len(DEMO_NAMES)]
    if code == "tam-tru-nuoc-ngoai":
        data |= {"person_nationality": "Hàn Quốc", "person_id_number": f"M{n:07d}", "host": "Khách sạn Đăk Hà"}
    services.declaration_save(actor=None, instance=None, data=data)


def load_demo(*, province: Unit) -> None:
    """The week in the demo commune, once."""
    from cax.accounts.demo import DEMO_COMMUNE_CODE

    commune = Unit.objects.current().filter(code=DEMO_COMMUNE_CODE).in_subtree(province).first()
    if commune is None or Dossier.objects.filter(unit=commune).exists():
        return
    monday = week_start(timezone.localdate())
    for n, spec in enumerate(WEEK):
        _dossier(commune, monday, n, spec)
    for n, spec in enumerate(NOTICES):
        _notice(commune, monday, n, spec)
