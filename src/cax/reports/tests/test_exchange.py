"""Data value sets in and out (#6): every bad row reported by row and column, nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cax.core.exceptions import DomainError
from cax.core.imports import ImportRejected
from cax.reports import exchange, selectors
from cax.reports.models import Submission, Value
from cax.reports.tests.factories import MONTHLY, form, submit

MONTH = "202609"  # administrative month 15/08–14/09/2026


def _csv(*rows: str) -> bytes:
    return ("dataset,dataelement,period,orgunit,value\n" + "\n".join(rows) + "\n").encode()


def test_csv_import_is_all_or_nothing_with_every_error_by_row_and_column(cast):
    content = _csv(
        f"{MONTHLY},tngt_vu,{MONTH},23500,3",
        f"{MONTHLY},khong_co,{MONTH},23500,1",
        f"{MONTHLY},tngt_chet,{MONTH},23500,-1",
        f"{MONTHLY},tngt_chet,2026M9,23500,1",
        f"{MONTHLY},tngt_vu,{MONTH},00070,1",
        f"{MONTHLY},tngt_vu,{MONTH},23500,4",
    )
    with pytest.raises(ImportRejected) as caught:
        exchange.import_values(actor=cast.province_staff, filename="values.csv", content=content)
    errors = {(e.row, e.column) for e in caught.value.errors}
    assert errors == {(3, "Chỉ tiêu"), (4, "Giá trị"), (5, "Kỳ"), (6, "Mã đơn vị"), (7, "Chỉ tiêu")}
    assert not Submission.objects.filter(unit=cast.commune_a).exists()


def test_dry_run_writes_nothing_and_the_real_run_rolls_up(cast):
    content = _csv(f"{MONTHLY},tngt_vu,{MONTH},23500,3", f"{MONTHLY},thanh_vien_to,{MONTH},23500,12")
    preview = exchange.import_values(actor=cast.province_staff, filename="v.csv", content=content, dry_run=True)
    assert (preview.created, preview.dry_run) == (2, True)
    assert not Value.objects.exists()
    done = exchange.import_values(actor=cast.province_staff, filename="v.csv", content=content)
    assert done.created == 2
    again = exchange.import_values(actor=cast.province_staff, filename="v.csv", content=content)
    assert (again.created, again.unchanged) == (0, 2)
    report_form = form(MONTHLY)
    pivot = selectors.rollup(
        actor=cast.province_staff,
        unit=cast.province_a,
        form=report_form,
        period_list=selectors.period_range(report_form, MONTH, MONTH),
    )
    tngt = report_form.indicators.get(code="tngt_vu").pk
    assert pivot.total.cells[tngt].value == 3


def test_a_report_the_unit_sent_is_never_overwritten(cast):
    submit(cast, cast.commune_a, dt.date(2026, 9, 10), form_code=MONTHLY)
    with pytest.raises(ImportRejected, match="1 lỗi"):
        exchange.import_values(
            actor=cast.province_staff, filename="v.csv", content=_csv(f"{MONTHLY},tngt_vu,{MONTH},23500,9")
        )


def test_export_round_trips_through_import(cast):
    submit(cast, cast.commune_a, dt.date(2026, 9, 10), form_code=MONTHLY, values={"tngt_vu": "7"})
    report_form = form(MONTHLY)
    body, _type, _ext = exchange.export_values(
        actor=cast.province_staff,
        unit=cast.province_a,
        form=report_form,
        period_list=selectors.period_range(report_form, MONTH, MONTH),
    )
    document = json.loads(body)
    assert document["dataSet"] == MONTHLY
    assert {"dataElement": "tngt_vu", "period": MONTH, "orgUnit": "23500", "value": "7"} in document["dataValues"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"dataValues": [{"dataSet": "x",}]}', "Tệp JSON sai cú pháp ở dòng 1, cột 33: sửa chỗ đó"),
        ('{"dataValues": [], "note": "Đăk Hà"}'.encode("utf-16"), "Tệp JSON không mã hoá UTF-8"),
    ],
)
def test_a_broken_json_file_says_where_and_what_to_do_in_vietnamese(cast, content, expected):
    with pytest.raises(DomainError) as caught:
        exchange.import_values(actor=cast.province_staff, filename="values.json", content=content)
    assert caught.value.message.startswith(expected)
    assert "Expecting" not in caught.value.message
    assert "codec" not in caught.value.message
