"""The user's notices in the API (issue 19.4): list, unread count, mark read. Always the caller's
own notices: another user's notice answers 404 like one that does not exist."""
# No "from __future__ import annotations": django-ninja resolves the body types at import time.

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cax.core.bounds import Id
from cax.core.exceptions import NotVisible
from cax.core.pagination import PagePagination
from cax.notices import selectors, services

router = Router()
TAG = ["Thông báo"]


class NoticeOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    url: str
    due_on: dt.date | None
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.kind_label)


class NoticeFilters(Schema):
    kind: str = Field("", max_length=60, description="Loại thông báo (khóa, ví dụ reports.returned)")
    read: Literal["", "unread", "read"] = Field("", description="unread: chưa đọc; read: đã đọc")
    q: str = Field("", max_length=100, description="Tìm trong nội dung, không phân biệt dấu")


class CountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class ReadAllIn(Schema):
    kind: str = Field("", max_length=60)


@router.get("/notices", response=list[NoticeOut], tags=TAG, summary="Thông báo của tôi (chưa đọc trước)")
@paginate(PagePagination)
def list_notices(request, filters: Query[NoticeFilters]):
    return selectors.notice_list(actor=request.auth, **filters.dict())


@router.get("/notices/count", response=CountOut, tags=TAG, summary="Số thông báo chưa đọc")
def count_unread(request):
    return {"unread": selectors.unread_count(actor=request.auth)}


@router.post("/notices/{notice_id}/read", response=MarkedOut, tags=TAG, summary="Đánh dấu một thông báo đã đọc")
def mark_read(request, notice_id: Id):
    if not selectors.notice_list(actor=request.auth).filter(pk=notice_id).exists():
        raise NotVisible(_("Không tìm thấy thông báo."))
    return {"marked": services.mark_read(actor=request.auth, notice_id=notice_id)}


@router.post("/notices/read-all", response=MarkedOut, tags=TAG, summary="Đánh dấu tất cả đã đọc")
def mark_all_read(request, payload: ReadAllIn):
    return {"marked": services.mark_all_read(actor=request.auth, kind=payload.kind)}
