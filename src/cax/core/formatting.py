"""The one place numbers, money, percentages, dates and durations become text for people (issue 17).

Vietnamese first: ``1.234,5``, ``54,5%``, ``5.600.000.000 đ``, ``05/03/2025``, "còn 3 ngày 4 giờ";
English when the active language is English (``1,234.5``). Every page, message and printout goes
through these functions or the template filters built on them (``cax.core.templatetags.format_tags``);
``machine`` is the opposite: the form a program reads (SVG attributes, data attributes, JSON, CSV),
never localized. A test renders every page and fails on a number that reached a template untouched
(``cax.core.testing.pagewalk``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.utils import formats

from cax.core.text import vn_date, vn_datetime, vn_duration

Number = int | float | decimal.Decimal

__all__ = ["date", "datetime", "display", "duration", "machine", "money", "number", "percent"]


def _as_decimal(value: Number, places: int | None) -> decimal.Decimal:
    if isinstance(value, float):
        # repr() gives the shortest exact form of the float, so 0.1 stays 0.1 (not 0.1000000000000000055…)
        value = decimal.Decimal(repr(value))
    value = decimal.Decimal(value)
    if places is None:
        # Exact, without trailing zeros or an exponent: a stored 1.50 reads "1,5", 300 reads "300".
        normalized = value.normalize()
        return normalized.quantize(decimal.Decimal(1)) if normalized == normalized.to_integral() else normalized
    return value.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)


def number(value: Number | str | None, places: int | None = None, *, empty: str = "") -> str:
    """``1.234`` / ``1.234,5`` (``1,234.5`` in English); ``places`` fixes the decimals, else exact.

    A string is a number in its machine form ("335.75", as frozen documents and JSON keep it)."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        raise TypeError("a yes/no is not a number: say it with a word")
    if isinstance(value, str):
        value = decimal.Decimal(value)
    shown = _as_decimal(value, places)
    exponent = shown.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(shown, decimals, use_l10n=True, force_grouping=True)


def percent(value: Number | None, places: int = 1, *, empty: str = "—") -> str:
    """``54,5%``: a value already in percent (0–100), rounded to ``places``, a zero fraction dropped
    ("100%", not "100,0%"), no space before the sign, as Vietnamese writes it."""
    if value is None:
        return empty
    return f"{number(_as_decimal(value, places))}%"


def money(value: Number | None, *, empty: str = "—") -> str:
    """Đồng, whole: ``5.600.000.000 đ`` (the đồng has no subunit in use)."""
    if value is None:
        return empty
    from django.utils.translation import gettext as _

    return _("{amount} đ").format(amount=number(value, 0))


def date(value: dt.date | None, *, empty: str = "") -> str:
    """``05/03/2025`` in both languages (Vietnamese documents' order, kept in English too)."""
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        return vn_datetime(value)
    return vn_date(value)


def datetime(value: dt.datetime | None, *, empty: str = "") -> str:
    """``05/03/2025 14:30`` in Vietnam's time."""
    return empty if value is None else vn_datetime(value)


def duration(delta: dt.timedelta | None, *, signed: bool = True, empty: str = "") -> str:
    """ "còn 22 giờ 52 phút", "quá hạn 2 năm 8 tháng"; unsigned: "3 ngày 4 giờ"."""
    return empty if delta is None else vn_duration(delta, signed=signed)


def machine(value: Any, places: int | None = None) -> str:
    """The form programs read: ``520.5``, no grouping, never localized (SVG, data-*, JSON, CSV)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal):
        shown = _as_decimal(value, places)
        return format(shown, "f")
    return str(value)


def display(value: Any) -> str:
    """Any stored value as a cell of a list or a detail page shows it: numbers, dates and yes/no in
    words of the active language, the rest as text ("" for none)."""
    from django.utils.translation import gettext as _

    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int | float | decimal.Decimal):
        return number(value)
    if isinstance(value, dt.date):
        return date(value)
    return str(value)
