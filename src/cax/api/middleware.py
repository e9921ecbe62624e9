"""Under /api/, every error is the API's one JSON shape (``cax.api.errors``), whoever answered (#16.4).

Ninja's own handlers already answer in it; what reaches a client from outside ninja is Django's:
the 404 of a path no route matches (``/api/v1/reports/-1``), the 405 of a method a route does
not take, the 403 of a failed CSRF check, a 400 of a suspicious request, a 500. This middleware
rewrites each such HTML answer into ``{"message", "extra": {"fields": {}}}`` with the same
status and headers (``Allow`` stays), and makes every 401 carry ``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

PREFIX = "/api/"


def _message(status: int) -> str:
    messages = {
        400: _("Yêu cầu không hợp lệ."),
        401: _("Cần đăng nhập hoặc mã truy cập hợp lệ."),
        403: _("Không có quyền thực hiện việc này."),
        404: _("Không tìm thấy."),
        405: _("Đường dẫn này không nhận phương thức %(method)s."),
        413: _("Nội dung gửi lên quá lớn."),
    }
    return messages.get(status, _("Lỗi máy chủ; việc này đã được ghi lại, hãy thử lại sau."))


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(PREFIX) or response.status_code < 400:
            return response
        if response.status_code == 401:
            response.headers.setdefault("WWW-Authenticate", 'Bearer realm="CAX"')
        if _is_json(response):
            return response
        message = _message(response.status_code) % {"method": request.method}
        response.content = json.dumps({"message": message, "extra": {"fields": {}}}, ensure_ascii=False)
        response["Content-Type"] = "application/json; charset=utf-8"
        return response
