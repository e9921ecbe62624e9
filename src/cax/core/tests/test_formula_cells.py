"""Exports carry data, not code (issue 16 part 3): text that starts like a spreadsheet formula, planted
in a free-text field of every exportable list, is a text cell of the same characters in the Excel file
(never a formula) and imports back unchanged; in the one CSV the app writes (the DHIS2 exchange) it
gets a leading quote that the import takes off again.

Each value is planted straight in the database: a tab or a carriage return at the start cannot come in
through CAX's own inputs (every form, import and API body trims the text), yet the export must still
not pass it on as a formula. Those two are checked as cells; the import trims them like any input, so
their round trip is the four printable starts'. (A carriage return reads back as a line feed: XML
normalises line ends in a cell's text, in Excel as in openpyxl.)
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cax.core.exports import FORMULA_STARTS, csv_text, csv_untext
from cax.core.records.importing import import_records
from cax.core.records.registry import all_registers
from cax.core.registry import registry
from cax.core.tests.test_roundtrip import SAMPLES, _edit_field, _kind, _officers

pytestmark = pytest.mark.django_db

# One value per start of the OWASP list, short enough for any text column.
PLANTED = ['=HYPERLINK("x")', "+84 90 123", "-5 ngày", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def test_the_planted_values_cover_every_start():
    assert {value[0] for value in PLANTED} == set(FORMULA_STARTS)


def _cells_holding(content: bytes, value: str) -> list:
    """Every cell of the workbook whose text is ``value``; no cell of it may be a formula."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "a formula cell was exported"
    return [cell for cell in cells if cell.value == value]


def _exported_as_text(client, url: str, value: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    # XML reads a carriage return in a cell's text as a line feed (XML 1.0 §2.11), as Excel does.
    cells = _cells_holding(response.content, value.replace("\r", "\n"))
    assert cells, f"{value!r} is not in the export of {url}"
    assert {cell.data_type for cell in cells} == {"s"}
    return response.content


def _imports_back_unchanged(importer, actor, content: bytes, value: str) -> None:
    if value != value.strip():
        return  # trimmed by every input of CAX (see the module's docstring)
    result = importer(actor=actor, filename="xuat-ra.xlsx", content=content, dry_run=True)
    assert (result.created, result.updated) == (0, 0), value


@pytest.mark.parametrize("register", all_registers(), ids=_kind)
def test_every_register_exports_formula_like_text_as_text_that_imports_back(register, cast, client):
    actor = SAMPLES[_kind(register)](cast)
    client.force_login(actor)
    field = _edit_field(register)
    record = register.model.objects.visible_to(actor, "change").order_by("pk").first()
    assert record is not None

    def importer(**kwargs):
        return import_records(register, **kwargs)

    for value in PLANTED:
        register.model._base_manager.filter(pk=record.pk).update(**{field.key: value})
        # A reason: exports of names ask one (supervision); the other lists ignore it.
        url = register.url("list") + "?format=xlsx&reason=Kiểm tra ô công thức"
        content = _exported_as_text(client, url, value)
        _imports_back_unchanged(importer, actor, content, value)


def _importer(kind: str):
    from django.utils.module_loading import import_string

    return import_string(next(k.importer for k in registry.imports_of("officers") if k.kind == kind))


def test_officers_and_postings_export_formula_like_text_as_text_that_imports_back(cast, client):
    from cax.deployment.models import Posting
    from cax.personnel.models import Officer

    officer = _officers(cast)[0]
    posting = Posting.objects.filter(officer=officer).get()
    actor = cast.province_staff
    client.force_login(actor)
    postings_url = reverse("deployment:staffing", args=[cast.province_a.pk]) + "?table=postings&format=xlsx"
    for value in PLANTED:
        Officer.objects.filter(pk=officer.pk).update(ethnicity=value)
        content = _exported_as_text(client, reverse("personnel:list") + "?format=xlsx", value)
        _imports_back_unchanged(_importer("officers"), actor, content, value)
        Posting.objects.filter(pk=posting.pk).update(reason=value)
        content = _exported_as_text(client, postings_url, value)
        _imports_back_unchanged(_importer("postings"), actor, content, value)


def test_the_case_register_exports_a_formula_like_summary_as_text(cast, client):
    """The crime-report register is exported but has no import."""
    from cax.cases.models import Case
    from cax.cases.tests.test_register import register

    case = register(cast.commune_officer, cast.commune_a)
    client.force_login(cast.commune_chief)
    for value in PLANTED:
        Case.objects.filter(pk=case.pk).update(summary=value)
        _exported_as_text(client, reverse("cases:list", args=[cast.commune_a.pk]) + "?format=xlsx", value)


def test_the_report_list_exports_a_formula_like_form_name_as_text(cast, client):
    from cax.reports.models import ReportForm
    from cax.reports.tests.factories import MONTHLY, submit

    submission = submit(cast, cast.commune_a, dt.date(2026, 9, 10), form_code=MONTHLY)
    client.force_login(cast.province_staff)
    for value in PLANTED:
        ReportForm.objects.filter(pk=submission.form_id).update(name=value)
        url = reverse("reports:submissions", args=[cast.province_a.pk]) + "?format=xlsx"
        _exported_as_text(client, url, value)


# -- the CSV of the DHIS2 exchange -------------------------------------------------------------------


def test_csv_text_quotes_what_a_spreadsheet_would_run_and_gives_it_back():
    for value in [*PLANTED, "'=1", "'", "'tên"]:
        assert csv_text(value) == "'" + value
        assert csv_untext(csv_text(value)) == value
    for value in ["Bình thường", "3", "x=1", ""]:
        assert csv_text(value) == value
        assert csv_untext(value) == value
    assert csv_untext("'tên") == "'tên"  # a quote the export did not add (a hand-made file) is kept


def test_the_exchange_csv_protects_text_values_keeps_numbers_and_imports_them_back(cast):
    import csv

    from cax.reports import exchange, selectors
    from cax.reports.models import Value
    from cax.reports.tests.factories import MONTHLY, form, submit

    typed = '=HYPERLINK("http://example.invalid","Bấm")'
    submit(
        cast,
        cast.commune_a,
        dt.date(2026, 9, 10),
        form_code=MONTHLY,
        values={"tngt_vu": "7", "danh_gia": typed, "de_xuat": "@SUM(A1)"},
    )
    report_form = form(MONTHLY)
    body, _type, _ext = exchange.export_values(
        actor=cast.province_staff,
        unit=cast.province_a,
        form=report_form,
        period_list=selectors.period_range(report_form, "202609", "202609"),
        fmt="csv",
    )
    rows = {row[1]: row[4] for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["danh_gia"] == "'" + typed
    assert rows["de_xuat"] == "'@SUM(A1)"
    assert rows["tngt_vu"] == "7"

    # Read back into another commune: the same texts, without the quotes.
    moved = body.decode("utf-8-sig").replace(",23500,", ",23293,").encode()
    exchange.import_values(actor=cast.province_staff, filename="v.csv", content=moved)
    imported = {v.indicator.code: v for v in Value.objects.filter(submission__unit=cast.commune_b)}
    assert imported["danh_gia"].text == typed
    assert imported["de_xuat"].text == "@SUM(A1)"
    assert imported["tngt_vu"].number == 7
