"""API endpoints of the honours app (#8), mounted at /api/v1/honours."""
# No "from __future__ import annotations": django-ninja reads the schemas off the signatures.

import datetime as dt

from ninja import Field, Query, Router, Schema

from cax.core.records.api import add_api_routes
from cax.honours.registers import CAMPAIGNS, CASUALTIES, COMMENDATIONS
from cax.honours.views import summary_for

TAG = "Thương vong, khen thưởng"
router = Router()


class CasualtySummaryFilters(Schema):
    unit: str = Field("", description="Mã đơn vị; mặc định: đơn vị của người dùng")
    first: str = Field("", description="Từ ngày (YYYY-MM-DD); để trống: từ bản ghi đầu tiên")
    last: str = Field("", description="Đến ngày (YYYY-MM-DD); mặc định: hôm nay")


class CasualtySummaryLineOut(Schema):
    key: str
    label: str
    killed: int
    injured: int


class CasualtySummaryOut(Schema):
    unit_code: str
    first: dt.date | None
    last: dt.date
    killed: int
    injured: int
    headline: str
    by_year: list[CasualtySummaryLineOut]
    by_cause: list[CasualtySummaryLineOut]


# Declared before the generic routes so "summary" is never read as a record id.
@router.get(
    "/casualties/summary",
    tags=[TAG],
    response=CasualtySummaryOut,
    operation_id="honours_casualty_summary",
    summary="Thống kê cán bộ hy sinh, bị thương",
    description="`unit` (mã đơn vị, mặc định đơn vị của người dùng), `first`, `last` (YYYY-MM-DD, tính cả hai đầu; "
    "không có `first`: từ bản ghi đầu tiên). Trả về số hy sinh, bị thương theo năm và theo nhóm nguyên nhân.",
)
def casualty_summary(request, filters: Query[CasualtySummaryFilters]):
    summary = summary_for(request.auth, filters.model_dump())

    def lines(items):
        return [{"key": x.code or x.label, "label": x.label, "killed": x.killed, "injured": x.injured} for x in items]

    return {
        "unit_code": summary.unit.code,
        "first": summary.first.isoformat() if summary.first else None,
        "last": summary.last.isoformat(),
        "killed": summary.total.killed,
        "injured": summary.total.injured,
        "headline": summary.headline(),
        "by_year": lines(summary.by_year),
        "by_cause": lines(summary.by_cause),
    }


add_api_routes(router, CASUALTIES, "casualties", TAG)
add_api_routes(router, COMMENDATIONS, "commendations", TAG)
add_api_routes(router, CAMPAIGNS, "campaigns", TAG)
