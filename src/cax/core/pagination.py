"""One pagination for every list endpoint: ?page=N&page_size=M → {items, count, page, page_size}.

The registers' lists (``cax.core.records.api``) and the hand-written ones (units, cases, reports,
deployment) all use ``PagePagination``; the web lists share its limits (``cax.core.listing``).
Imports no CAX code above core, so any layer may use it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from cax.core.bounds import MAX_PAGE, page_past_last
from cax.core.listing import MAX_PAGE_SIZE

__all__ = ["MAX_PAGE_SIZE", "PagePagination"]


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Trang, bắt đầu từ 1; quá trang cuối: 422")
        page_size: int = Field(settings.CAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Số dòng mỗi trang")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        """``queryset``: anything that slices and counts (a QuerySet, or rows mapped from one)."""
        count = queryset.count()
        last = max(1, -(-count // pagination.page_size))
        if pagination.page > last:
            raise page_past_last(pagination.page, last)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }
