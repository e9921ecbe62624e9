"""API endpoints of the honours app (#8), mounted at /api/v1/honours."""

from ninja import Router

from cax.core.records import add_api_routes
from cax.honours.registers import CAMPAIGNS, CASUALTIES, COMMENDATIONS
from cax.honours.views import summary_for

TAG = "Thương vong, khen thưởng"
router = Router()


# Declared before the generic routes so "summary" is never read as a record id.
@router.get(
    "/casualties/summary",
    tags=[TAG],
    response=dict,
    operation_id="honours_casualty_summary",
    summary="Thống kê cán bộ hy sinh, bị thương",
    description="`unit` (mã đơn vị, mặc định đơn vị của người dùng), `first`, `last` (YYYY-MM-DD, tính cả hai đầu; "
    "không có `first`: từ bản ghi đầu tiên). Trả về số hy sinh, bị thương theo năm và theo nhóm nguyên nhân.",
)
def casualty_summary(request):
    summary = summary_for(request.auth, request.GET)

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
