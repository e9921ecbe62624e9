"""Demo persons under local management in the demo commune (idempotent), written through the
services so every rule holds: the end dates, the duties, the absence's record, a hand-over the
neighbouring commune accepted and one it has not yet. Names are made up."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cax.supervision import services
from cax.supervision.models import Category, Duty, SupervisionFile
from cax.units.models import Unit

# (category, days ago it started, term months, custody days, name, duties left undone at the end)
PEOPLE = [
    ("an_treo", 320, 24, 0, "Nguyễn Văn Hùng", 0),
    ("an_treo", 150, 12, 0, "Lê Thị Mai", 1),
    ("ctkgg", 130, 12, 10, "Trần Văn Tâm", 0),
    ("tha_tu_dk", 90, 8, 0, "Phạm Văn Long", 1),
    ("hoan_tu", 60, 0, 0, "A Blưm", 0),
    ("tai_hoa_nhap", 200, 0, 0, "Y Nhát", 1),
    ("giao_duc_xa", 40, 4, 0, "Đinh Văn Tuấn", 0),
    ("ma_tuy", 100, 12, 0, "Hoàng Văn Nam", 1),
    ("sau_cai_nghien", 250, 24, 0, "Võ Thị Hạnh", 0),
    ("cam_di_khoi", 20, 2, 0, "Bùi Văn Quý", 0),
]
DUTY_EVENT = {"report": "report", "assessment": "assessment", "residence_check": "residence_check",
              "income_deduction": "income_deduction"}  # fmt: skip


def _catch_up(file, today: dt.date, leave: int) -> None:
    """Record each duty that fell due, a day before its due day, leaving the last ``leave`` undone."""
    for duty in Duty.objects.filter(file=file, code__in=DUTY_EVENT).order_by("code"):
        while True:
            duty.refresh_from_db()
            if duty.due_on is None or duty.due_on > today - dt.timedelta(days=31 * leave + 1):
                break
            services.event_record(
                actor=None, file=file, kind=DUTY_EVENT[duty.code], on=duty.due_on - dt.timedelta(days=1)
            )


def _person(unit, index, row, today):
    code, ago, months, custody, name, leave = row
    category = Category.objects.get(code=code)
    start = today - dt.timedelta(days=ago)
    file = services.file_save(
        actor=None,
        instance=None,
        data={
            "unit": unit,
            "category": category,
            "decision_number": f"{index + 1:02d}/{start.year}/QĐ",
            "decision_date": start - dt.timedelta(days=5),
            "issuer": "Tòa án nhân dân khu vực 1" if code not in ("giao_duc_xa", "ma_tuy", "sau_cai_nghien")
            else "Chủ tịch UBND xã",
            "legal_basis": category.legal_basis[:500],
            "received_on": start - dt.timedelta(days=3),
            "start_date": start,
            "term_months": months,
            "custody_days": custody,
            "supervisor": "Trưởng thôn 1",
            "dossier": category.dossier_items[:2],
            "full_name": name,
            "personal_id": f"0510{index:02d}00{index:04d}",
            "date_of_birth": dt.date(1985 + index, 1 + index, 10),
            "address": f"Thôn {1 + index % 4}, Xã Đăk Hà",
        },
    )  # fmt: skip
    services.event_record(actor=None, file=file, kind="reception", on=file.received_on)
    services.event_record(actor=None, file=file, kind="commitment", on=file.received_on)
    _catch_up(file, today, leave)
    return file


def load_demo(*, province: Unit) -> None:
    from cax.accounts.demo import DEMO_COMMUNE_CODE

    commune = Unit.objects.current().filter(code=DEMO_COMMUNE_CODE).first()
    if commune is None or SupervisionFile.objects.filter(unit=commune).exists():
        return
    today = timezone.localdate()
    files = [_person(commune, i, row, today) for i, row in enumerate(PEOPLE)]
    first = files[0]
    services.event_record(actor=None, file=first, kind="absence", on=today - dt.timedelta(days=3),
                          data={"first_day": today - dt.timedelta(days=2), "last_day": today + dt.timedelta(days=5),
                                "destination": "TP Đà Nẵng", "reason": "Khám bệnh"})  # fmt: skip
    services.event_record(actor=None, file=files[1], kind="violation", on=today - dt.timedelta(days=10),
                          note="Đi khỏi nơi cư trú không xin phép", document_ref="BB 03")  # fmt: skip
    # A person waiting to be received: the decision arrived two days ago.
    services.file_save(
        actor=None,
        instance=None,
        data={"unit": commune, "category": Category.objects.get(code="an_treo"), "decision_number": "40/QĐ",
              "decision_date": today - dt.timedelta(days=4), "issuer": "Tòa án nhân dân khu vực 1",
              "received_on": today - dt.timedelta(days=2), "start_date": today - dt.timedelta(days=2),
              "term_months": 18, "full_name": "Rơ Châm Sơn", "personal_id": "051099000123",
              "address": "Thôn 2, Xã Đăk Hà"},
    )  # fmt: skip
    neighbours = list(
        Unit.objects.current().commune_level().filter(parent=commune.parent).exclude(pk=commune.pk).order_by("code")[:2]
    )
    if len(neighbours) == 2:
        moved = timezone.now() - dt.timedelta(days=2)
        accepted = services.handover_send(actor=None, file=files[3], to_unit=neighbours[0], moved_at=moved,
                                          new_address="Tổ 2")  # fmt: skip
        services.handover_accept(actor=None, handover=accepted)
        services.handover_send(actor=None, file=files[7], to_unit=neighbours[1], moved_at=timezone.now()
                               - dt.timedelta(hours=30), new_address="Tổ 5")  # fmt: skip
