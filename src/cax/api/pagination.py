"""The one pagination lives in core (``cax.core.pagination``) so core's register API needs nothing
above it; this name stays for the API modules that import it from here."""

from cax.core.pagination import MAX_PAGE_SIZE, PagePagination

__all__ = ["MAX_PAGE_SIZE", "PagePagination"]
