"""Tabular import engine shared by every ``imports.py`` (#3).

Reading and cell parsing live here; each app adds its cross-row rules (unknown parent, cycles…).
The contract for every import: all errors are collected, each with its row number (as the user
sees it in Excel, header = row 1) and column label, and nothing is written unless there are none.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.exceptions import DomainError
from cax.core.text import search_key

Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Dòng {row}, cột “{column}”: {message}").format(row=self.row, column=self.column, message=self.message)


class ImportRejected(DomainError):
    """The file was refused whole; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: (e.row, e.column))
        super().__init__(
            _("Tệp bị từ chối: {count} lỗi, không có dữ liệu nào được ghi.").format(count=len(self.errors)),
        )


class CellError(ValueError):
    """Raised by a parser with a message meant for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Parser = field(default=lambda value: value)
    example: Any = ""  # a number or a date is written to the template as one, and shown formatted

    def matches(self, header: str) -> bool:
        # Templates mark required headers with "*"; a filled-in template must import as is.
        return search_key(header.rstrip("* ")) in self.header_keys()

    def header_keys(self) -> set[str]:
        """The label in every UI language plus the aliases: a file exported or downloaded in English
        must import while the interface is Vietnamese, and the other way round."""
        return self.name_keys() | {search_key(a) for a in self.aliases}

    def name_keys(self) -> set[str]:
        """The key and the label in every UI language, without the aliases."""
        from django.conf import settings
        from django.utils import translation

        keys = {search_key(self.key)}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                keys.add(search_key(str(self.label)))
        return keys

    def is_named_by(self, header: str) -> bool:
        return search_key(header.rstrip("* ")) in self.name_keys()


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do), for the preview and the command's summary."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    ignored_headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, key, action) for the preview


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


@dataclass
class ParsedTable:
    rows: list[ParsedRow]
    errors: list[RowError]
    ignored_headers: list[str]
    present: set[str] = field(default_factory=set)  # keys of the columns the file has


# -- cell parsers -------------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_text(max_length: int = 255) -> Parser:
    def parse(value: Any) -> str:
        text = _as_text(value)
        if len(text) > max_length:
            raise CellError(_("dài quá {n} ký tự").format(n=max_length))
        return text

    return parse


def parse_int(min_value: int | None = 0, max_value: int | None = None) -> Parser:
    def parse(value: Any) -> int:
        text = _as_text(value).replace(" ", "")
        try:
            number = int(text)
        except ValueError:
            raise CellError(_("“{v}” không phải là số nguyên").format(v=text)) from None
        if min_value is not None and number < min_value:
            raise CellError(_("phải ≥ {n}").format(n=min_value))
        if max_value is not None and number > max_value:
            raise CellError(_("phải ≤ {n}").format(n=max_value))
        return number

    return parse


def parse_decimal(min_value: float, max_value: float, places: int = 6) -> Parser:
    def parse(value: Any) -> decimal.Decimal:
        text = _as_text(value).replace(",", ".")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise CellError(_("“{v}” không phải là số").format(v=text)) from None
        if not number.is_finite() or not (min_value <= number <= max_value):
            raise CellError(_("phải nằm trong khoảng {a} đến {b}").format(a=min_value, b=max_value))
        return round(number, places)

    return parse


_TRUE = {"1", "x", "co", "yes", "true", "dung", "y"}
_FALSE = {"0", "khong", "no", "false", "sai", "n"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = search_key(_as_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("“{v}” không phải là Có/Không").format(v=_as_text(value)))


def parse_choice(choices: list[tuple[str, Any]], aliases: dict[str, str] | None = None) -> Parser:
    """A value of TextChoices given by its code, its label in any UI language, or an alias such as a
    customary abbreviation ("BCH" for Ban Chấp hành), in any case or accents."""
    lookup: dict[str, str] = {}

    def table() -> dict[str, str]:
        # Built on first use, not at import: translations are not ready when modules load.
        if not lookup:
            from django.conf import settings
            from django.utils import translation

            lookup.update({search_key(alias): code for alias, code in (aliases or {}).items()})
            for code, label in choices:
                lookup[search_key(code)] = code
                for language, _name in settings.LANGUAGES:
                    with translation.override(language):
                        lookup.setdefault(search_key(str(label)), code)
        return lookup

    def parse(value: Any) -> str:
        code = table().get(search_key(_as_text(value)))
        if code is None:
            raise CellError(
                _("“{v}” không phải một trong: {options}").format(
                    v=_as_text(value), options=", ".join(str(label) for _code, label in choices)
                )
            )
        return code

    return parse


def parse_code_list(value: Any) -> list[str]:
    """Codes separated by ";" or "," (a cell of successor units, say)."""
    return [code.strip() for code in _as_text(value).replace(",", ";").split(";") if code.strip()]


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _as_text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if _DATE_SHAPE.fullmatch(text):
        # Written as a date but not one the calendar has (31/02, month 13): strptime's own text
        # ("day is out of range for month") would mean nothing to the user.
        raise CellError(_("ngày “{v}” không có thật: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024").format(v=text))
    raise CellError(_("“{v}” không phải là ngày: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024").format(v=text))


def parse_datetime(value: Any) -> dt.datetime:
    """A moment as a cell or an API body gives it: an Excel date-time (Vietnam's wall clock, as
    core.exports writes it), "dd/mm/yyyy hh:mm" or ISO 8601; without a zone it is Vietnam's time."""
    from django.utils import timezone

    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = _as_text(value)
        moment = None
        for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                raise CellError(
                    _("“{v}” không phải là ngày giờ: nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 25/12/2024 14:30").format(
                        v=text
                    )
                ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


_DATE_SHAPE = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{4}|\d{4}-\d{1,2}-\d{1,2}")


# -- reading files -----------------------------------------------------------------------------


def read_table(filename: str, content: bytes) -> list[tuple[int, list[Any]]]:
    """Rows of an XLSX or CSV file as (row number, cells), blank rows dropped."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv"):
        rows = _read_csv(content)
    else:
        raise DomainError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    return [(number, cells) for number, cells in rows if any(_as_text(c) for c in cells)]


def _read_xlsx(content: bytes) -> Iterable[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    if content.startswith(_OLE2_MAGIC):
        raise DomainError(NOT_XLSX_OLD_EXCEL)
    if not content.startswith(_ZIP_MAGIC):
        raise DomainError(NOT_XLSX)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise DomainError(_("Tệp Excel không có trang tính nào: thêm một trang có dòng tiêu đề rồi lưu lại."))
        sheet = workbook.worksheets[0]
        # Read-only sheets parse lazily: a damaged sheet fails here, not at load_workbook.
        return [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except DomainError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError (a missing part), XML and openpyxl errors…
        # The library's text ("File is not a zip file", "There is no item named…") is for developers.
        raise DomainError(BROKEN_XLSX) from exc


def _read_csv(content: bytes) -> Iterable[tuple[int, list[Any]]]:
    if content.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        raise DomainError(
            _(
                "Tệp có đuôi .csv nhưng là tệp Excel: tải lên với đuôi .xlsx, hoặc trong Excel chọn "
                "Lưu thành → CSV UTF-8."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(NOT_UTF8_CSV) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1))
    except csv.Error as exc:  # a NUL byte, a cell over the size limit…
        raise DomainError(BROKEN_CSV) from exc


# The first bytes of a file: every .xlsx is a zip archive; Excel 97-2003 (.xls) is an OLE2 compound file.
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_XLSX = gettext_lazy("Tệp không phải Excel .xlsx: mở tệp bằng Excel và Lưu thành .xlsx (Excel Workbook).")
NOT_XLSX_OLD_EXCEL = gettext_lazy(
    "Tệp là Excel 97-2003 (.xls), không phải .xlsx: mở tệp bằng Excel và Lưu thành .xlsx (Excel Workbook)."
)
BROKEN_XLSX = gettext_lazy(
    "Tệp Excel bị hỏng, không đọc được: mở tệp bằng Excel, Lưu thành .xlsx (Excel Workbook) rồi tải lên lại."
)
NOT_UTF8_CSV = gettext_lazy(
    "Tệp CSV không mã hoá UTF-8 nên chữ có dấu bị sai: trong Excel chọn Lưu thành → CSV UTF-8 (phân cách bằng "
    "dấu phẩy) rồi tải lên lại."
)
BROKEN_CSV = gettext_lazy(
    "Tệp CSV bị hỏng (có ký tự lạ hoặc ô quá dài): mở tệp bằng Excel, Lưu thành CSV UTF-8 rồi tải lên lại."
)


def parse_table(filename: str, content: bytes, columns: list[Column]) -> ParsedTable:
    """Map headers to columns and parse every cell; collects errors instead of stopping."""
    table = read_table(filename, content)
    if not table:
        raise DomainError(_("Tệp không có dữ liệu."))
    header_row, headers = table[0]
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    ignored: list[str] = []
    by_name: dict[str, bool] = {}  # column key → matched by its own name (not an alias)
    for index, header in enumerate(headers):
        text = _as_text(header)
        column = next((c for c in columns if c.matches(text)), None)
        if column is None:
            if text:
                ignored.append(text)
            continue
        named = column.is_named_by(text)
        if column.key not in positions:
            positions[column.key], by_name[column.key] = index, named
        elif named and not by_name[column.key]:
            # A header named after the column wins over one that only matches an alias, so an
            # export with both "Mã đơn vị" and "Đơn vị" (the unit's name) imports back.
            ignored.append(_as_text(headers[positions[column.key]]))
            positions[column.key], by_name[column.key] = index, True
        elif by_name[column.key] and not named:
            ignored.append(text)
        else:
            errors.append(RowError(header_row, column.label, _("cột bị lặp lại")))
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(RowError(header_row, column.label, _("thiếu cột bắt buộc")))
    rows = _parse_rows(table[1:], columns, positions, errors)
    return ParsedTable(rows=rows, errors=errors, ignored_headers=ignored, present=set(positions))


def _parse_rows(table, columns, positions, errors) -> list[ParsedRow]:
    from cax.core import jobs  # a background import shows how far it has read

    rows, total, message = [], len(table), _("Đang kiểm tra các dòng")
    for done, (number, cells) in enumerate(table):
        if done % 500 == 0:
            jobs.progress(done, total, message)
        rows.append(_parse_row(number, cells, columns, positions, errors))
    jobs.progress(total, total, _("Đang ghi"))
    return rows


def _parse_row(number, cells, columns, positions, errors) -> ParsedRow:
    values: dict[str, Any] = {}
    for column in columns:
        index = positions.get(column.key)
        raw = cells[index] if index is not None and index < len(cells) else None
        if _as_text(raw) == "":
            if column.required and index is not None:
                errors.append(RowError(number, column.label, _("thiếu giá trị bắt buộc")))
            values[column.key] = None
            continue
        try:
            values[column.key] = column.parse(raw)
        except CellError as exc:
            errors.append(RowError(number, column.label, str(exc)))
            values[column.key] = None
    return ParsedRow(row=number, values=values)


def template_xlsx(columns: list[Column]) -> bytes:
    """An empty workbook with the expected headers and one example row, for users to fill in."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.label + (" *" if c.required else "") for c in columns])
    sheet.append([c.example for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
