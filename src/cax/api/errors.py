"""One error shape for the whole API: {"message": str, "extra": {"fields": {...}}}.

A refused import adds every problem to ``extra`` as ``"errors": [{"row", "column", "message"}]``.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from cax.core.exceptions import DomainError
from cax.core.imports import ImportRejected


def _body(message: str, fields: dict | None = None) -> dict:
    return {"message": message, "extra": {"fields": fields or {}}}


def install_error_handlers(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, _body(exc.message, exc.fields), status=exc.status_code)

    @api.exception_handler(ImportRejected)
    def import_rejected(request, exc: ImportRejected):
        body = _body(exc.message, exc.fields)
        body["extra"]["errors"] = [
            {"row": error.row, "column": str(error.column), "message": str(error.message)} for error in exc.errors
        ]
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            location = ".".join(str(part) for part in error.get("loc", [])[1:]) or "body"
            fields.setdefault(location, []).append(error.get("msg", ""))
        return api.create_response(request, _body(_("Dữ liệu gửi lên không hợp lệ."), fields), status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, _body(_("Cần đăng nhập hoặc mã truy cập hợp lệ.")), status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, _body(_("Không tìm thấy.")), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, _body(str(exc)), status=exc.status_code)
