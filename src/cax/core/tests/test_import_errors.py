"""A bad upload is refused with a Vietnamese sentence that says what to do, never the library's own
English text (issue 17.2): each case is a real bad file, read by the engine every import uses."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from cax.core.exceptions import DomainError
from cax.core.imports import CellError, Column, parse_date, parse_table, read_table

# What the libraries say; none of it may reach a user.
LIBRARY_WORDS = ("zip", "File is", "There is no item", "codec", "decode", "Error", "field limit", "line ")


def _xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refusal(filename: str, content: bytes) -> str:
    with pytest.raises(DomainError) as caught:
        read_table(filename, content)
    message = caught.value.message
    assert not any(word in message for word in LIBRARY_WORDS), message
    return message


def test_a_text_file_named_xlsx_says_to_save_it_as_xlsx():
    message = _refusal("don-vi.xlsx", b"ma,ten\n23500,Xa Dak Ha\n")
    assert message.startswith("Tệp không phải Excel .xlsx: mở tệp bằng Excel và Lưu thành .xlsx")


def test_an_excel_97_file_named_xlsx_is_named_as_such():
    # The first sector of a real .xls: the OLE2 signature, then the compound file header.
    old_excel = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    assert "Excel 97-2003 (.xls)" in _refusal("can-bo.xlsx", old_excel)


def test_a_truncated_xlsx_is_called_damaged():
    whole = _xlsx(["Mã", "Tên"], ["23500", "Xã Đăk Hà"])
    assert _refusal("cut.xlsx", whole[: len(whole) // 2]).startswith("Tệp Excel bị hỏng")


def test_a_zip_that_is_not_a_workbook_is_called_damaged():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")  # openpyxl: KeyError on [Content_Types].xml
    assert _refusal("tai-lieu.xlsx", buffer.getvalue()).startswith("Tệp Excel bị hỏng")


def test_an_xlsx_with_a_broken_sheet_is_called_damaged():
    source = zipfile.ZipFile(io.BytesIO(_xlsx(["Mã"], ["1"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item, b"<worksheet><sheetData><row" if item.filename.endswith("sheet1.xml") else data)
    assert _refusal("hong.xlsx", buffer.getvalue()).startswith("Tệp Excel bị hỏng")


def test_a_csv_saved_in_a_legacy_encoding_says_to_save_as_csv_utf8():
    # What Excel's plain "CSV" writes on a Western Windows: cp1252, "ã" as the single byte 0xE3.
    message = _refusal("don-vi.csv", "Mã,Tên\n23500,Nguyễn Văn An\n".encode("cp1252", errors="replace"))
    assert message.startswith("Tệp CSV không mã hoá UTF-8")
    assert "CSV UTF-8" in message


def test_a_csv_with_a_cell_over_the_parser_limit_is_called_damaged():
    content = ("Mã,Tên\n23500," + '"' + "x" * 200_000 + '"\n').encode()
    assert _refusal("dai.csv", content).startswith("Tệp CSV bị hỏng")


def test_a_workbook_named_csv_says_which_extension_it_needs():
    assert ".xlsx" in _refusal("don-vi.csv", _xlsx(["Mã"], ["1"]))


def test_a_date_the_calendar_does_not_have_says_so_and_how_to_write_one():
    with pytest.raises(CellError) as caught:
        parse_date("31/02/2024")
    assert str(caught.value) == "ngày “31/02/2024” không có thật: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024"
    with pytest.raises(CellError) as caught:
        parse_date("hôm qua")
    assert str(caught.value) == "“hôm qua” không phải là ngày: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024"
    assert parse_date("29/02/2024").isoformat() == "2024-02-29"


def test_a_bad_date_cell_is_reported_under_the_column_label_the_file_shows():
    columns = [Column("start", "Ngày bắt đầu", parse=parse_date)]
    parsed = parse_table("lich.csv", "Ngày bắt đầu\n31/02/2024\n".encode(), columns)
    assert [str(e) for e in parsed.errors] == [
        "Dòng 2, cột “Ngày bắt đầu”: ngày “31/02/2024” không có thật: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024"
    ]


def test_the_messages_are_english_in_english(settings):
    from django.utils import translation

    with translation.override("en"):
        message = _refusal("don-vi.xlsx", b"plain text")
    assert message.startswith("The file is not an Excel .xlsx file")
