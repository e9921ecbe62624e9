"""Excel export shared by every list page and API export (#3)."""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        from django.utils.translation import gettext as _

        return _("Có") if value else _("Không")
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal | dt.date):
        return value
    return str(value)


# Excel shows numbers and dates in the reader's own locale from these formats: 1.234,5 and
# 05/03/2025 on a Vietnamese Windows. The cell keeps the value, so sums and filters work.
NUMBER_FORMATS = (
    (bool, None),
    (int, "#,##0"),
    (float, "#,##0.##"),
    (decimal.Decimal, "#,##0.##"),
    (dt.datetime, "dd/mm/yyyy hh:mm"),
    (dt.date, "dd/mm/yyyy"),
)


def _number_format(value: Any) -> str | None:
    for kind, number_format in NUMBER_FORMATS:
        if isinstance(value, kind):
            return number_format
    return None


# What a spreadsheet may take for the start of a formula (the OWASP list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(sheet, value: Any) -> Any:
    """Text is written as text: openpyxl would store "=HYPERLINK(…)" typed by a user (a request, a
    case summary) as a live formula that Excel runs on opening (issue 16). The cell keeps the same
    characters, so the file imports back unchanged. Numbers and dates get a display format."""
    from openpyxl.cell import WriteOnlyCell

    number_format = _number_format(value)
    if number_format is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    if not (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
        return value

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


# CSV has no cell types, so a text value that a spreadsheet would run is prefixed with a single
# quote (OWASP's CSV injection advice); a text that already starts with a quote gets one more, so
# the prefix is unambiguous and ``csv_untext`` gives back exactly what was written. Only free text
# goes through it: a number ("-5") a machine reads stays a number.
CSV_ESCAPED_STARTS = (*FORMULA_STARTS, "'")


def csv_text(value: str) -> str:
    """A free-text value as a CSV cell carries it: "'=HYPERLINK(…)" for "=HYPERLINK(…)"."""
    return "'" + value if value.startswith(CSV_ESCAPED_STARTS) else value


def csv_untext(value: str) -> str:
    """The text a ``csv_text`` cell holds: the one quote it added is dropped, any other kept."""
    return value[1:] if value.startswith("'") and value[1:].startswith(CSV_ESCAPED_STARTS) else value


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet1")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in map(_cell, row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
