"""The NinjaAPI instance mounted at /api/v1; each domain app contributes a router."""

from __future__ import annotations

from ninja import NinjaAPI

from cax.api import idempotency
from cax.api.auth import ActiveSession, BearerToken
from cax.api.errors import install_error_handlers
from cax.api.openapi import document_errors


class CaxAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_errors(idempotency.document(super().get_openapi_schema(**kwargs)))


api = CaxAPI(
    title="CAX API",
    version="1",
    description="API của hệ thống CAX (Công an xã). Xác thực: `Authorization: Bearer <token>`. "
    "Mọi yêu cầu POST nhận header `Idempotency-Key` để gửi lại an toàn (không tạo trùng).",
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
)
install_error_handlers(api)
idempotency.install(api)  # Idempotency-Key on every POST (#14)

from cax.units.api import router as units_router  # noqa: E402

api.add_router("/units", units_router, tags=["Đơn vị"])
from cax.deployment.api import router as deployment_router  # noqa: E402

api.add_router("", deployment_router)
from cax.cases.api import router as cases_router  # noqa: E402

api.add_router("", cases_router)
from cax.reports.api import router as reports_router  # noqa: E402

api.add_router("", reports_router)
from cax.notices.api import router as notices_router  # noqa: E402

api.add_router("", notices_router)

from cax.core.search_api import router as search_router  # noqa: E402

api.add_router("/search", search_router, tags=["Tìm kiếm"])

# The rest of the programme (#8): each app's registers add list/detail/create/update endpoints.
for _app, _tag in [
    ("grassroots", "Tổ bảo vệ ANTT"),
    ("facilities", "Trụ sở, trang thiết bị"),
    ("petitions", "Kiến nghị"),
    ("honours", "Thương vong, khen thưởng"),
    ("movement", "Phong trào toàn dân bảo vệ ANTQ"),
    ("training", "Đào tạo"),
    ("pairing", "Phòng phụ trách xã"),
    ("procedures", "Thủ tục hành chính"),
    ("supervision", "Quản lý đối tượng"),
    ("regimes", "Chế độ, chính sách"),
    ("library", "Tài liệu nghiệp vụ"),
]:
    api.add_router(f"/{_app}", __import__(f"cax.{_app}.api", fromlist=["router"]).router, tags=[_tag])
