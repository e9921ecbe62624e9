"""What every list page shares: pagination that keeps the filters, and the Excel switch."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

MAX_PAGE_SIZE = 500


def page_size(request: HttpRequest) -> int:
    """``?page_size=`` within 1…500; the default otherwise (a bad value is not an error)."""
    try:
        size = int(request.GET.get("page_size", settings.CAX_PAGE_SIZE))
    except ValueError:
        return settings.CAX_PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)


def paginate(request: HttpRequest, queryset) -> Page:
    return Paginator(queryset, page_size(request)).get_page(request.GET.get("page"))


def wants_excel(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()
