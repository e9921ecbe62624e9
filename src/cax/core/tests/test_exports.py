"""Excel exports carry no formulas (issue 16): text a user typed stays text, and reads back the same."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from cax.core.exports import xlsx_bytes


def test_text_that_looks_like_a_formula_is_written_as_text():
    typed = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'
    content = xlsx_bytes(
        "Kiến nghị",
        ["Nội dung", "Số"],
        [[typed, 3], ["=1+1", 4], ["Bình thường", 5], ["+84 90 123", 6], ["@SUM(A1)", 7]],
    )

    sheet = load_workbook(io.BytesIO(content)).active
    cells = [(sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=1).data_type) for r in (2, 3, 4, 5, 6)]

    assert cells == [(typed, "s"), ("=1+1", "s"), ("Bình thường", "s"), ("+84 90 123", "s"), ("@SUM(A1)", "s")]
    assert sheet.cell(row=2, column=2).value == 3
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
