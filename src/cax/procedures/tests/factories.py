"""Dossiers and notices made through the services, as a user would (no row written around them)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from cax.procedures.models import ProcedureType
from cax.procedures.registers import DECLARATIONS, DOSSIERS

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


def procedure(code: str) -> ProcedureType:
    return ProcedureType.objects.get(code=code)


def receive(actor, unit, code="tam-tru", *, received_at=None, complete_at="same", channel="in_person", **extra):
    received_at = received_at or at(2026, 11, 2)
    data = {
        "unit": unit,
        "procedure": procedure(code),
        "channel": channel,
        "received_at": received_at,
        "complete_at": received_at if complete_at == "same" else complete_at,
        **extra,
    }
    return DOSSIERS.save(actor=actor, instance=None, data=data)


def declare(actor, unit, code="luu-tru", *, arrived_at=None, declared_at=None, **extra):
    arrived_at = arrived_at or at(2026, 11, 2, 19)
    data = {
        "unit": unit,
        "procedure": procedure(code),
        "channel": "vneid",
        "place": "Thôn 1",
        "host": "Nhà nghỉ Hoa Mai",
        "stay_from": arrived_at.date(),
        "arrived_at": arrived_at,
        "declared_at": declared_at or arrived_at,
        **extra,
    }
    return DECLARATIONS.save(actor=actor, instance=None, data=data)
