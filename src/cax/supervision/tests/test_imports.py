"""The Excel import of files: all or nothing, every bad row named by its number and column label."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from cax.core.imports import ImportRejected
from cax.core.records.importing import import_records
from cax.supervision.models import Identity, SupervisionFile
from cax.supervision.registers import FILES

pytestmark = pytest.mark.django_db

HEADERS = ["Mã Công an xã", "Họ và tên", "Loại đối tượng", "Số quyết định, bản án", "Ngày quyết định",
           "Cơ quan ra quyết định", "Ngày nhận quyết định", "Ngày bắt đầu", "Thời hạn (tháng)"]  # fmt: skip
GOOD = ["23500", "Nguyễn Văn Nhập", "Người được hưởng án treo", "1/QĐ", "10/01/2026", "Tòa án", "12/01/2026",
        "15/01/2026", 12]  # fmt: skip


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in [HEADERS, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_good_file_creates_files_with_their_identities_and_end_dates(cast):
    result = import_records(FILES, actor=cast.commune_officer, filename="f.xlsx", content=xlsx([GOOD]), dry_run=False)
    assert result.created == 1
    file = SupervisionFile.objects.get()
    assert str(file.end_date) == "2027-01-14"
    assert Identity.objects.get(file=file).full_name == "Nguyễn Văn Nhập"


def test_every_bad_row_is_reported_and_nothing_is_written(cast):
    too_long = [*GOOD[:3], "2/QĐ", *GOOD[4:8], 61]
    unknown = [GOOD[0], "Lê Văn B", "Loại không có", "3/QĐ", *GOOD[4:]]
    outside = ["00070", "Trần C", *GOOD[2:]]
    with pytest.raises(ImportRejected) as refused:
        import_records(FILES, actor=cast.commune_officer, filename="f.xlsx",
                       content=xlsx([GOOD, too_long, unknown, outside]), dry_run=False)  # fmt: skip
    where = {(e.row, str(e.column)) for e in refused.value.errors}
    assert (3, "Thời hạn (tháng)") in where
    assert (4, "Loại đối tượng") in where
    assert (5, "Mã Công an xã") in where
    assert SupervisionFile.objects.count() == 0
    assert "BLHS" in next(e.message for e in refused.value.errors if e.row == 3)
