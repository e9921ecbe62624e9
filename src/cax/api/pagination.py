"""One pagination style for every list endpoint: ?page=N&page_size=M → {items, count, page, page_size}."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE_SIZE = 500


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Trang, bắt đầu từ 1")
        page_size: int = Field(settings.CAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Số dòng mỗi trang")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": queryset.count(),
            "page": pagination.page,
            "page_size": pagination.page_size,
        }
