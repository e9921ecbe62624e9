"""``Idempotency-Key`` on every POST of /api/v1 (#14): a retried call runs once.

A client that sends ``Idempotency-Key: <its own unique value>`` with a POST gets, for every retry
with the same key and the same request, the status and JSON body of the first answer, without the
operation running again (the replay carries ``Idempotent-Replayed: true``). The same key with
another method, path or body is refused with 422. Keys are per user and expire after
``CAX_SUBMIT_EXPIRY_HOURS``. Without the header a POST runs as before: API clients are not forms.

Two decorators installed on the whole API (``install``), because the key needs the caller and the
stored answer needs the final response:

- around ``Operation.run`` ("view" mode, before authentication): one transaction for the whole
  call; afterwards the response is stored in the key's row (a 5xx is rolled back instead, so the
  key can be retried);
- around the operation's function ("operation" mode, after authentication): the key's row is
  inserted first. A retry arriving while the first call runs waits on the unique (user, key) until
  that call commits, then finds the row with its answer; so two calls never both execute, on any
  number of app processes.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError
from cax.core.idempotency import expiry, purge_expired
from cax.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

DESCRIPTION = (
    "Tuỳ chọn. Một giá trị duy nhất do ứng dụng gọi tự sinh (ví dụ UUID), tối đa 255 ký tự. Gửi lại "
    "cùng khoá với cùng nội dung (mất mạng, hết thời gian chờ) nhận lại đúng mã trạng thái và nội dung "
    "của lần đầu, kèm `Idempotent-Replayed: true`, mà không tạo thêm bản ghi. Cùng khoá với nội dung "
    "khác: 422. Khoá được giữ CAX_SUBMIT_EXPIRY_HOURS giờ (mặc định 24)."
)


class KeyMismatch(DomainError):
    status_code = 422


def _wants_key(request) -> bool:
    return request.method == "POST" and HEADER in request.headers


def _fingerprint(request) -> str:
    """Method, path with query and body; a multipart body by its fields and files' contents."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, value in sorted(request.POST.lists()):
            digest.update(repr((name, value)).encode())
        for name, uploads in sorted(request.FILES.lists()):
            for upload in uploads:
                digest.update(repr((name, upload.name, upload.size)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _claim(request, key: str) -> tuple[IdempotencyKey | None, HttpResponse | None]:
    """(the new row, None) for a first call; (None, the stored answer) for a retry."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise KeyMismatch(
            _("Idempotency-Key phải gồm 1–255 ký tự ASCII in được."),
            fields={HEADER: [_("Giá trị không hợp lệ.")]},
        )
    fingerprint = _fingerprint(request)  # the body was parsed (and validated) by the operation already
    # An expired key is free again (its answer is no longer kept), as after the purge.
    IdempotencyKey.objects.filter(user=request.auth, key=key, created_at__lt=timezone.now() - expiry()).delete()
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(user=request.auth, key=key, fingerprint=fingerprint)
        return row, None
    except IntegrityError:
        pass
    first = IdempotencyKey.objects.get(user=request.auth, key=key)
    if first.fingerprint != fingerprint:
        raise KeyMismatch(
            _("Idempotency-Key “{key}” đã được dùng cho một yêu cầu khác; mỗi yêu cầu cần một khoá riêng.").format(
                key=key
            ),
            fields={HEADER: [_("Đã dùng cho yêu cầu khác (đường dẫn hoặc nội dung khác).")]},
        )
    replay = HttpResponse(bytes(first.body), status=first.status_code, content_type=first.content_type)
    replay[REPLAYED] = "true"
    return None, replay


def _on_operation(view_func):
    @wraps(view_func)
    def keyed(request, *args, **kwargs):
        if not getattr(request, "cax_idempotency_open", False):
            return view_func(request, *args, **kwargs)
        row, replay = _claim(request, request.headers[HEADER].strip())
        if replay is not None:
            return replay
        request.cax_idempotency_key = row
        # A savepoint: a refused operation leaves nothing written but its stored answer.
        with transaction.atomic():
            return view_func(request, *args, **kwargs)

    return keyed


def _on_run(run):
    @wraps(run)
    def keyed_run(request, *args, **kwargs):
        if not _wants_key(request):
            return run(request, *args, **kwargs)
        with transaction.atomic():
            request.cax_idempotency_open = True  # the transaction the operation's key row needs
            response = run(request, *args, **kwargs)
            row = getattr(request, "cax_idempotency_key", None)
            if row is not None:
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # a server error is not an answer to replay
                else:
                    row.status_code = response.status_code
                    row.content_type = response.get("Content-Type", "")
                    row.body = response.content
                    row.save(update_fields=["status_code", "content_type", "body"])
        transaction.on_commit(purge_expired)
        return response

    return keyed_run


def install(api) -> None:
    api.add_decorator(_on_run, mode="view")
    api.add_decorator(_on_operation, mode="operation")


def document(schema: dict) -> dict:
    """Add the optional header and its 422 to every POST operation of the OpenAPI document."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
        "description": DESCRIPTION,
    }
    for operations in schema.get("paths", {}).values():
        operation = operations.get("post")
        if operation is None:
            continue
        operation.setdefault("parameters", []).append(parameter)
        operation.setdefault("responses", {}).setdefault(
            "422", {"description": "Idempotency-Key đã dùng cho một yêu cầu khác, hoặc dữ liệu không hợp lệ."}
        )
    return schema
