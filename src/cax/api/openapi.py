"""The error answers of every operation, written into the OpenAPI document (#16.4).

Ninja documents only the answers a view declares; every operation can also answer with the one
error shape (``cax.api.errors``): refused input (400, and 422 for what fails the schema or a
bound), no or a bad token (401, with ``WWW-Authenticate: Bearer``), a rule of the role (403), a
record outside the caller's scope or absent (404), a method the path does not take (405), a
conflicting change (409) and, where a body is read, one over the upload limit (413).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ERROR_SCHEMA_NAME = "Error"

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["message", "extra"],
    "properties": {
        "message": {
            "type": "string",
            "description": "Thông báo cho người dùng (tiếng Việt, hoặc theo ngôn ngữ đã chọn)",
        },
        "extra": {
            "type": "object",
            "required": ["fields"],
            "properties": {
                "fields": {
                    "type": "object",
                    "description": "Lỗi theo từng trường: tên trường → các thông báo",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "errors": {
                    "type": "array",
                    "description": "Tệp nhập bị từ chối: mọi lỗi theo dòng và cột",
                    "items": {
                        "type": "object",
                        "properties": {
                            "row": {"type": ["integer", "null"]},
                            "column": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}

ERRORS = {
    "400": _("Dữ liệu gửi lên không hợp lệ (ví dụ có ký tự NUL, hoặc vi phạm quy tắc nghiệp vụ)."),
    "401": _("Thiếu mã truy cập hoặc mã không hợp lệ (kèm WWW-Authenticate: Bearer)."),
    "403": _("Vai trò của người gọi không được làm việc này."),
    "404": _("Không tìm thấy, hoặc nằm ngoài phạm vi đơn vị của người gọi."),
    "405": _("Đường dẫn không nhận phương thức này."),
    "409": _("Xung đột: bản ghi đã bị người khác sửa, hoặc trạng thái không cho phép."),
    "422": _("Tham số hoặc nội dung không đúng lược đồ hay vượt giới hạn (ví dụ trang quá trang cuối)."),
}
BODY_ERRORS = {"413": _("Nội dung gửi lên vượt giới hạn dung lượng.")}
WITH_BODY = ("post", "put", "patch")


def _error_answer(description) -> dict:
    return {
        "description": str(description),
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}},
    }


def document_errors(schema: dict) -> dict:
    """Every operation gets the error answers it can give, with the error schema; declared ones keep
    their own description."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            errors = {**ERRORS, **(BODY_ERRORS if method in WITH_BODY else {})}
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                declared = responses.get(code) or responses.get(int(code)) or {}
                responses.pop(int(code), None)
                answer = _error_answer(declared.get("description") or description)
                responses[code] = answer
    return schema
