"""What every list page shares: pagination that keeps the filters, and the Excel switch."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.CAX_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def wants_excel(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()
