"""Sane ranges for every input, in one place (#16.4): a date or an integer outside them is refused
with 422 and a Vietnamese message instead of overflowing a date calculation or the database.

- ``Day`` / ``Moment``: annotated pydantic types for ninja schemas and query parameters, dates
  from ``MIN_DAY`` to ``MAX_DAY``;
- ``Page``, ``Days``, ``Id``: bounded integers (a page, a number of days, a row id);
- ``check_day``: the same rule for hand-parsed query strings (the HTML pages' ``as_of`` etc.).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from cax.core.exceptions import DomainError

MIN_DAY = dt.date(1900, 1, 1)
MAX_DAY = dt.date(2199, 12, 31)
MAX_PAGE = 10**6
MAX_DAYS = 36_500
MAX_ID = 2**63 - 1  # a bigint: SQLite and PostgreSQL both overflow past it


class OutOfRange(DomainError):
    status_code = 422


def range_message() -> str:
    return _("Ngày phải trong khoảng {first} – {last}.").format(
        first=MIN_DAY.strftime("%d/%m/%Y"), last=MAX_DAY.strftime("%d/%m/%Y")
    )


def day_ok(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return MIN_DAY <= day <= MAX_DAY


def check_day(day: dt.date, field: str = "") -> dt.date:
    """``day`` itself, or OutOfRange (422) naming ``field``."""
    if not day_ok(day):
        raise OutOfRange(range_message(), fields={field: [range_message()]} if field else None)
    return day


def _bounded(value):
    if not day_ok(value):
        raise PydanticCustomError("date_range", range_message())
    return value


Day = Annotated[dt.date, AfterValidator(_bounded)]
Moment = Annotated[dt.datetime, AfterValidator(_bounded)]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def id_in_query(text: str | None) -> int | None:
    """A row id typed in a query string (``?unit=12``): None when absent; a value that is not a
    row id at all answers like an unknown row (the caller's 404), never a ValueError."""
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 19 or not 1 <= int(text) <= MAX_ID:
        raise OutOfRange(_("Mã số không hợp lệ: {value}.").format(value=text[:40]))
    return int(text)


def page_past_last(page: int, last: int) -> OutOfRange:
    message = _("Trang {page} không có: trang cuối là {last}.").format(page=page, last=last)
    return OutOfRange(message, fields={"page": [message]})


class DayInput(forms.DateInput):
    """Every date box of CAX: a text box that shows and takes ``dd/mm/yyyy`` whatever the browser's
    language. A native ``type="date"`` box follows the browser's locale (``mm/dd/yyyy`` on an
    English-language office PC, where 03/12 then means 12 March): one date format on screen wins
    over a calendar pop-up. ISO dates (links, the API's style) are still accepted on input."""

    input_type = "text"
    # Accepted on input (DATE_INPUT_FORMATS): dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd.
    PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}"

    def __init__(self, attrs=None, format="%d/%m/%Y"):  # noqa: A002 — Django's own argument name
        base = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": self.PATTERN,
            "size": "10",
            "class": "day",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format=format)


class MomentInput(forms.DateTimeInput):
    """Every date-and-time box: ``dd/mm/yyyy hh:mm`` as text, for the reason of ``DayInput``."""

    input_type = "text"

    def __init__(self, attrs=None, format="%d/%m/%Y %H:%M"):  # noqa: A002 — Django's own argument name
        base = {"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off", "size": "16", "class": "moment"}
        super().__init__(attrs={**base, **(attrs or {})}, format=format)


def day_from_text(text: str | None, field: str) -> dt.date | None:
    """A date typed in a query string or a plain box (``25/12/2024`` or ``2024-12-25``), within the
    range: None when blank, a DomainError that says how to write one otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not day_ok(day):
            raise OutOfRange(range_message(), fields={field: [range_message()]})
        return day
    message = _("“{v}” không phải là ngày: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024.").format(v=text[:40])
    raise DomainError(message, fields={field: [message]})


class DayField(forms.DateField):
    """A form's date within ``MIN_DAY``…``MAX_DAY`` in a ``DayInput``: out of range is the field's
    own error. A text that is no date says how to write one (Django's own "Nhập một ngày hợp lệ."
    does not)."""

    widget = DayInput
    default_error_messages = {
        "invalid": gettext_lazy("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024.")
    }

    def validate(self, value):
        super().validate(value)
        if value and not day_ok(value):
            raise forms.ValidationError(range_message(), code="date_range")
