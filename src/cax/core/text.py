"""Vietnamese-aware text helpers shared by every search box."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def search_key(text: str | None) -> str:
    """Fold case and strip Vietnamese diacritics so "dak ha" matches "Đắk Hà".

    NFD splits "ắ" into "a" + combining marks; "đ/Đ" has no decomposition, so it is mapped by hand.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
