"""API endpoints of the library (#19.3): /api/v1/library/documents (list, detail, create, update),
a document's acknowledgement and the list of who has not read it."""
# No "from __future__ import annotations": django-ninja reads the schemas off the signatures.

import datetime as dt

from ninja import Router, Schema

from cax.core.records.api import add_api_routes
from cax.library import selectors, services
from cax.library.registers import DOCUMENTS

TAG = "Tài liệu nghiệp vụ"
router = Router()
add_api_routes(router, DOCUMENTS, "documents", TAG)


class AcknowledgementOut(Schema):
    document_id: int
    username: str
    unit_code: str
    acknowledged_at: dt.datetime


class ReaderOut(Schema):
    username: str
    full_name: str
    unit_code: str
    acknowledged: bool


class ReadersOut(Schema):
    document_id: int
    total: int
    acknowledged: int
    items: list[ReaderOut]


@router.post(
    "/documents/{document_id}/acknowledgement",
    tags=[TAG],
    response={201: AcknowledgementOut},
    operation_id="library_document_acknowledge",
    summary="Xác nhận đã đọc tài liệu (gửi lại không tạo thêm)",
)
def acknowledge(request, document_id: int):
    doc = selectors.document_get(actor=request.auth, pk=document_id)
    ack = services.document_acknowledge(actor=request.auth, document=doc)
    return 201, {
        "document_id": doc.pk,
        "username": request.auth.username,
        "unit_code": ack.unit.code,
        "acknowledged_at": ack.acknowledged_at,
    }


@router.get(
    "/documents/{document_id}/readers",
    tags=[TAG],
    response=ReadersOut,
    operation_id="library_document_readers",
    summary="Những người tài liệu áp dụng trong phạm vi của bạn, đã hay chưa xác nhận đã đọc",
)
def readers(request, document_id: int):
    doc = selectors.document_get(actor=request.auth, pk=document_id)
    rows = list(selectors.readers(actor=request.auth, document=doc)[:5000])
    return {
        "document_id": doc.pk,
        "total": len(rows),
        "acknowledged": sum(1 for u in rows if u.acknowledged),
        "items": [
            {"username": u.username, "full_name": u.full_name, "unit_code": u.unit.code, "acknowledged": u.acknowledged}
            for u in rows
        ],
    }
