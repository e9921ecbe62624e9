"""API of the regimes app (issue 19): /api/v1/regimes/rates, areas (registers), the monthly list
and an officer's entitlement history."""
# No "from __future__ import annotations": django-ninja reads the schemas off the signatures.

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from cax.core.bounds import Id
from cax.core.records.api import add_api_routes
from cax.regimes import selectors
from cax.regimes.registers import AREAS, RATES
from cax.regimes.views import parse_month
from cax.units.selectors import unit_get_by_code

TAG = "Chế độ, chính sách"
router = Router()
add_api_routes(router, RATES, "rates", TAG)
add_api_routes(router, AREAS, "areas", TAG)


class MonthFilters(Schema):
    unit: str = Field("", max_length=32, description="Mã đơn vị (mặc định: đơn vị của người dùng)")
    month: str = Field("", max_length=7, pattern=r"^(\d{4}-\d{2})?$", description="Tháng YYYY-MM (mặc định: tháng này)")


class AmountOut(Schema):
    code: str
    amount: int


class MonthRowOut(Schema):
    officer_id: int
    service_number: str
    full_name: str
    unit_codes: list[str]
    amounts: list[AmountOut]
    total: int


class MonthOut(Schema):
    unit_code: str
    month: str
    rows: list[MonthRowOut]
    totals: list[AmountOut]
    grand_total: int


def _amounts(mapping: dict) -> list[dict]:
    return [{"code": code, "amount": amount} for code, amount in sorted(mapping.items())]


@router.get("/monthly", tags=[TAG], response=MonthOut, operation_id="regimes_monthly", summary="Chế độ tháng")
def monthly(request, filters: Query[MonthFilters]):
    code = filters.unit.strip()
    unit = unit_get_by_code(actor=request.auth, code=code, counts=False) if code else request.auth.unit
    year, month = parse_month(filters.month, timezone.localdate())
    result = selectors.month_list(actor=request.auth, unit=unit, year=year, month=month)
    return {
        "unit_code": unit.code,
        "month": f"{year}-{month:02d}",
        "rows": [
            {
                "officer_id": r.officer.pk,
                "service_number": r.officer.service_number,
                "full_name": r.officer.full_name,
                "unit_codes": [u.code for u in r.units],
                "amounts": _amounts(r.amounts),
                "total": r.total,
            }
            for r in result.rows
        ],
        "totals": _amounts(result.totals),
        "grand_total": result.grand_total,
    }


class HistoryLineOut(Schema):
    type_code: str
    type_name: str
    unit_code: str
    start: dt.date
    end: dt.date | None
    amount: int
    basis: str
    verified: bool


class HistoryOut(Schema):
    officer_id: int
    service_number: str
    items: list[HistoryLineOut]


@router.get(
    "/officers/{officer_id}/entitlements",
    tags=[TAG],
    response=HistoryOut,
    operation_id="regimes_officer_history",
    summary="Quá trình hưởng chế độ của một cán bộ",
)
def officer_history(request, officer_id: Id):
    officer, lines = selectors.officer_history(actor=request.auth, officer_id=officer_id, today=timezone.localdate())
    return {
        "officer_id": officer.pk,
        "service_number": officer.service_number,
        "items": [
            {
                "type_code": line.entitlement_type.code,
                "type_name": line.entitlement_type.name,
                "unit_code": line.unit.code,
                "start": line.start,
                "end": line.end,
                "amount": line.amount,
                "basis": line.rate.basis,
                "verified": line.rate.verified,
            }
            for line in lines
        ],
    }
