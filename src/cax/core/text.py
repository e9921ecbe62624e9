"""Vietnamese-aware text helpers shared by every search box."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def search_key(text: str | None) -> str:
    """Fold case and strip Vietnamese diacritics so "dak ha" matches "Đắk Hà"."""
    # str() first: a lazy translation must be keyed by its text in the active language.
    return _fold(str(text)) if text else ""


# Cached: imports look up the same few values (sexes, ranks, "Có"/"Không") hundreds of thousands of times.
@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    # NFD splits "ắ" into "a" + combining marks; "đ/Đ" has no decomposition, so it is mapped by hand.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def matching_words(queryset, q: str, field: str = "search_key"):
    """Rows whose ``field`` (a stored search_key) contains every word of ``q``, ignoring case and
    Vietnamese diacritics: the search box of every list page."""
    for word in search_key(q).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


def vn_date(day) -> str:
    """A date as Vietnamese documents and messages write it: 05/03/2025."""
    return day.strftime("%d/%m/%Y")
