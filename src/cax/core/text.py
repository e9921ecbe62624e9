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
    if not decomposed.isascii():
        # Vietnamese needs eight marks: removed by str.replace, many times faster than testing each
        # character (an import folds a unique name and change-log line per row, issue 20.4).
        for mark in _VIETNAMESE_MARKS:
            decomposed = decomposed.replace(mark, "")
        if not decomposed.isascii():  # other scripts: every combining mark, one character at a time
            decomposed = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(decomposed.casefold().split())


# Grave, acute, tilde, hook above, dot below; circumflex, breve, horn: all combining (class > 0).
_VIETNAMESE_MARKS = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b")


def matching_words(queryset, q: str, field: str = "search_key"):
    """Rows whose ``field`` (a stored search_key) contains every word of ``q``, ignoring case and
    Vietnamese diacritics: the search box of every list page."""
    for word in search_key(q).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


def vn_date(day) -> str:
    """A date as Vietnamese documents and messages write it: 05/03/2025."""
    return day.strftime("%d/%m/%Y")


def vn_datetime(moment) -> str:
    """A moment as messages write it, in Vietnam's time: 05/03/2025 14:30."""
    from django.utils import timezone

    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M")


# A duration is shown, not computed with: a year of 365 days and a month of 30 are close enough to
# read "quá hạn 2 năm 8 tháng", and need no calendar anchor. Legal periods use cases.deadlines.
_DURATION_UNITS = (
    (365 * 24 * 60, "year"),
    (30 * 24 * 60, "month"),
    (24 * 60, "day"),
    (60, "hour"),
    (1, "minute"),
)


def _duration_part(unit: str, n: int) -> str:
    from django.utils.translation import ngettext

    # Literal calls, so makemessages finds each one; Vietnamese has one form, English two.
    if unit == "year":
        return ngettext("%(n)d năm", "%(n)d năm", n) % {"n": n}
    if unit == "month":
        return ngettext("%(n)d tháng", "%(n)d tháng", n) % {"n": n}
    if unit == "day":
        return ngettext("%(n)d ngày", "%(n)d ngày", n) % {"n": n}
    if unit == "hour":
        return ngettext("%(n)d giờ", "%(n)d giờ", n) % {"n": n}
    return ngettext("%(n)d phút", "%(n)d phút", n) % {"n": n}


def vn_duration(delta, *, signed: bool = True) -> str:
    """A time left or overdue as people say it: "còn 22 giờ 52 phút", "quá hạn 2 năm 8 tháng".

    The largest non-zero unit and the one below it (when that is not zero, like Django's
    ``timesince``), whole units, seconds dropped. ``signed``: a negative ``delta`` reads
    "quá hạn …", a positive one "còn …"; unsigned gives the bare length ("3 ngày 4 giờ").
    English when the active language is English.
    """
    from django.utils.translation import gettext as _

    minutes = int(abs(delta).total_seconds() // 60)
    parts: list[str] = []
    for index, (size, unit) in enumerate(_DURATION_UNITS):
        if minutes >= size:
            parts.append(_duration_part(unit, minutes // size))
            if index + 1 < len(_DURATION_UNITS):
                below, below_unit = _DURATION_UNITS[index + 1]
                rest = (minutes % size) // below
                if rest:
                    parts.append(_duration_part(below_unit, rest))
            break
    length = " ".join(parts) if parts else _("dưới 1 phút")
    if not signed:
        return length
    if delta.total_seconds() < 0:
        return _("quá hạn {d}").format(d=length)
    return _("còn {d}").format(d=length)
