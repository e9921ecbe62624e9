"""GET /api/v1/search: the one search (core.search) as JSON, typed and bounded like every list."""
# No "from __future__ import annotations": django-ninja must resolve Query[...] types at import time.

from ninja import Field, Query, Router, Schema

from cax.core import search as core_search
from cax.core.bounds import MAX_PAGE

router = Router()


class SearchParams(Schema):
    q: str = Field("", max_length=core_search.MAX_QUERY)
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(core_search.PAGE_SIZE, ge=1, le=100)


class HitOut(Schema):
    kind: str
    label: str
    title: str
    line: str
    url: str
    unit: str


class SearchOut(Schema):
    page: int
    more: bool
    sensitive: list[HitOut]
    hits: list[HitOut]


def _out(hit) -> dict:
    return {
        "kind": hit.kind,
        "label": str(hit.label),
        "title": hit.title,
        "line": hit.line,
        "url": hit.url,
        "unit": hit.unit,
    }


@router.get("", response=SearchOut, summary="Tìm kiếm chung trong phạm vi")
def search(request, params: Query[SearchParams]):
    found = core_search.search(request.auth, params.q, page=params.page, page_size=params.page_size, channel="api")
    return {
        "page": params.page,
        "more": found["more"],
        "sensitive": [_out(h) for h in found["sensitive"]],
        "hits": [_out(h) for h in found["hits"]],
    }
