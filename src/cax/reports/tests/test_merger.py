"""Reports across the 2025 merger (issue 14): versions before July 2025, closed units' reports,
roll-ups that add predecessors into their successors without counting a stock twice."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cax.core.exceptions import DomainError
from cax.core.imports import ImportRejected
from cax.core.testing.units import make_merged_commune
from cax.reports import exchange, selectors, services
from cax.reports.models import FormVersion, Submission
from cax.reports.standard import VERSIONS_BEFORE_2025, load_form_versions, load_standard_forms, read_versions_file
from cax.reports.tests.factories import DAILY, MONTHLY, WEEKLY, at, form, full_entries, staff_of, submit
from cax.units.imports import units_import
from cax.units.models import Unit
from cax.units.tests.test_imports import CLOSE_HEADERS, xlsx

# A pre-2025 district of Kon Tum (now in Quảng Ngãi, 51), imported then closed by re-import. The
# township was split: its first successor is Phường Kon Tum (23293), the second Xã Đăk Hà (23500).
OPEN_TREE = [
    ["H9500", "Huyện Đăk Hà (cũ)", "district", "51", "01/01/2019", "", ""],
    ["H9500-01", "Xã Hà Mòn", "xa", "H9500", "01/01/2019", "", ""],
    ["H9500-02", "Xã Đăk Mar", "xa", "H9500", "01/01/2019", "", ""],
    ["H9500-03", "Thị trấn Đăk Hà", "thi_tran", "H9500", "01/01/2019", "", ""],
]
CLOSED_TREE = [
    ["H9500", "Huyện Đăk Hà (cũ)", "district", "51", "01/01/2019", "30/06/2025", "23500"],
    ["H9500-01", "Xã Hà Mòn", "xa", "H9500", "01/01/2019", "30/06/2025", "23500"],
    ["H9500-02", "Xã Đăk Mar", "xa", "H9500", "01/01/2019", "30/06/2025", "23500"],
    ["H9500-03", "Thị trấn Đăk Hà", "thi_tran", "H9500", "01/01/2019", "30/06/2025", "23293; 23500"],
]
ENDED = "Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà"


@pytest.fixture
def old_tree(cast) -> dict[str, Unit]:
    for rows in (OPEN_TREE, CLOSED_TREE):
        units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(rows, CLOSE_HEADERS), dry_run=False)
    return {u.code: u for u in Unit.objects.filter(code__startswith="H9500").select_related("unit_type")}


def _values(*rows: str) -> bytes:
    return ("dataset,dataelement,period,orgunit,value\n" + "\n".join(rows) + "\n").encode()


def _monthly(unit_code: str, period: str, accidents: int, members: int) -> list[str]:
    return [
        f"{MONTHLY},tngt_vu,{period},{unit_code},{accidents}",
        f"{MONTHLY},thanh_vien_to,{period},{unit_code},{members}",
    ]


@pytest.fixture
def series(cast, old_tree):
    """Monthly legacy data from 2019, the last month before the merger, and 2026 after it."""
    rows = [
        *_monthly("H9500-01", "201903", 2, 10),
        *_monthly("H9500-02", "201903", 1, 6),
        *_monthly("H9500-03", "201903", 4, 8),
        *_monthly("H9500-01", "202506", 3, 12),
        *_monthly("H9500-02", "202506", 0, 7),
        *_monthly("23500", "202603", 5, 25),
        *_monthly("23293", "202603", 1, 9),
    ]
    exchange.import_values(actor=cast.province_staff, filename="cu.csv", content=_values(*rows))
    return old_tree


def _pivot(actor, unit, first, last, **options):
    report_form = form(MONTHLY)
    period_list = selectors.period_range(report_form, first, last)
    return selectors.rollup(actor=actor, unit=unit, form=report_form, period_list=period_list, **options)


def _figures(pivot) -> dict[str, tuple]:
    """Per row code: (accidents, team members), None when the row has no value."""
    report_form = pivot.form
    accidents = report_form.indicators.get(code="tngt_vu").pk
    members = report_form.indicators.get(code="thanh_vien_to").pk

    def value(row, indicator):
        return int(row.cells[indicator].value) if indicator in row.cells else None

    rows = {row.code: (value(row, accidents), value(row, members)) for row in pivot.rows}
    rows["total"] = (value(pivot.total, accidents), value(pivot.total, members))
    return rows


# -- versions before July 2025 -------------------------------------------------------------------


def test_every_standard_form_has_a_version_before_the_merger_for_xa_phuong_and_thi_tran(db):
    for code in (DAILY, WEEKLY, MONTHLY):
        old = FormVersion.objects.get(form=form(code), valid_from=dt.date(2018, 1, 1))
        assert {t.code for t in old.reporting_unit_types.all()} == {"xa", "phuong", "thi_tran"}
        current = FormVersion.objects.get(form=form(code), valid_from=dt.date(2025, 7, 1))
        assert [i.indicator.code for i in services.items_of(old)] == [
            i.indicator.code for i in services.items_of(current)
        ]
        assert not any(i.prefill_source for i in services.items_of(old)), "legacy figures are typed, not computed"


def test_a_monthly_series_from_2019_to_2026_has_a_version_for_every_period(db):
    report_form = form(MONTHLY)
    period_list = selectors.period_range(report_form, "201901", "202612")
    versions = selectors.versions_of(report_form)
    numbers = [selectors._version_at(versions, p.start).valid_from.year for p in period_list]
    assert len(period_list) == 96
    assert numbers[0] == 2018
    assert numbers[-1] == 2025
    assert form(WEEKLY).parse_period("2019W01").start == dt.date(2018, 12, 31)
    assert selectors._version_at(selectors.versions_of(form(WEEKLY)), dt.date(2018, 12, 31)) is not None


def test_loading_the_reference_data_twice_changes_nothing(db):
    before = FormVersion.objects.count()
    assert load_standard_forms() == 0
    assert load_form_versions(read_versions_file(VERSIONS_BEFORE_2025)) == 0
    assert FormVersion.objects.count() == before


def test_a_versions_file_is_loaded_whole_or_refused_naming_each_bad_entry(cast, tmp_path):
    entry = {
        "form": MONTHLY,
        "valid_from": "2016-01-01",
        "due_days": 3,
        "due_time": "17:00",
        "lock_days": 20,
        "reporting_unit_types": ["xa", "thi_tran"],
        "items": ["tngt_vu", "thanh_vien_to", "de_xuat?"],
        "rules": [["tngt_vu", ">=", "0", "error", "Không âm."]],
        "note": "Biểu của tỉnh trước 2018",
    }
    bad = [{**entry, "form": "khong-co"}, {**entry, "items": ["tngt_vu", "khong_co"]}, {**entry, "due_days": 30}]
    path = tmp_path / "phien-ban.json"
    path.write_text(json.dumps({"versions": [entry, *bad]}), encoding="utf-8")
    before = FormVersion.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("load_report_forms", "--versions", str(path), stdout=io.StringIO())
    assert FormVersion.objects.count() == before
    message = str(refused.value)
    assert "Phiên bản thứ 2: không có biểu mẫu “khong-co”" in message
    assert "Phiên bản thứ 3" in message
    assert "khong_co" in message
    assert "Phiên bản thứ 4: ngày khóa sổ không được trước hạn gửi." in message

    path.write_text(json.dumps({"versions": [entry]}), encoding="utf-8")
    out = io.StringIO()
    call_command("load_report_forms", "--versions", str(path), stdout=out)
    assert "Phiên bản biểu mẫu: 1 tạo mới." in out.getvalue()
    added = FormVersion.objects.get(form=form(MONTHLY), valid_from=dt.date(2016, 1, 1))
    assert [(i.indicator.code, i.required) for i in services.items_of(added)] == [
        ("tngt_vu", True),
        ("thanh_vien_to", True),
        ("de_xuat", False),
    ]
    assert added.number == max(v.number for v in FormVersion.objects.filter(form=form(MONTHLY)))
    assert services.version_for(form(MONTHLY), form(MONTHLY).parse_period("201701")) == added


def test_a_version_is_refused_where_periods_were_already_reported_on_another(cast):
    submit(cast, cast.commune_a, dt.date(2026, 9, 10), form_code=MONTHLY)
    entry = {"form": MONTHLY, "valid_from": "2026-01-01", "reporting_unit_types": ["xa"], "items": ["tngt_vu"]}
    with pytest.raises(DomainError, match="đã có báo cáo từ 01/01/2026 theo phiên bản khác"):
        load_form_versions({"versions": [entry]})


# -- a closed unit's reports: inside its validity by form, import and API; outside refused ----------


def test_a_closed_commune_reports_its_2019_period_by_form_and_not_a_period_after_its_end(cast):
    ha_mon = make_merged_commune(cast.commune_a)
    submission = submit(cast, ha_mon, dt.date(2019, 3, 10), form_code=MONTHLY, values={"tngt_vu": "2"})
    assert (submission.status, submission.version.valid_from) == ("submitted", dt.date(2018, 1, 1))

    report_form = form(MONTHLY)
    officer, _chief = staff_of(cast, ha_mon)
    with pytest.raises(DomainError) as refused:
        services.submission_open(
            actor=officer,
            form=report_form,
            unit=ha_mon,
            period=report_form.parse_period("202608"),
            now=at(dt.date(2026, 8, 14)),
        )
    assert refused.value.message == ENDED
    assert refused.value.fields == {"unit": [ENDED]}


def test_the_page_of_a_closed_commune_takes_a_2019_report_once_the_period_is_unlocked(cast, login):
    ha_mon = make_merged_commune(cast.commune_a)
    report_form = form(MONTHLY)
    period = report_form.parse_period("201903")
    services.lock_exception_grant(
        actor=cast.province_staff,
        form=report_form,
        unit=ha_mon,
        period=period,
        until=timezone.now() + dt.timedelta(days=2),
        reason="Nhập lại số liệu năm 2019",
    )
    officer, _chief = staff_of(cast, ha_mon)
    url = reverse("reports:entry", args=[ha_mon.pk, MONTHLY, "201903"])
    response = login(officer).post(url, {"v_tngt_vu": "2", "v_thanh_vien_to": "10"})
    assert response.status_code == 302
    submission = Submission.objects.get(unit=ha_mon, period_start=period.start)
    assert {v.indicator.code: int(v.number) for v in submission.values.all()} == {"tngt_vu": 2, "thanh_vien_to": 10}


def test_the_api_saves_a_closed_communes_2019_report_and_refuses_one_after_its_end(cast, client):
    from cax.reports.tests.test_api import bearer, put

    # An old commune with the code a commune of today reuses: the 2019 report goes to the old one.
    ha_mon = make_merged_commune(cast.commune_a, code="23500-CU")
    Unit.objects.filter(pk=ha_mon.pk).update(code="23293")
    ha_mon.refresh_from_db()
    report_form = form(MONTHLY)
    services.lock_exception_grant(
        actor=cast.province_staff,
        form=report_form,
        unit=ha_mon,
        period=report_form.parse_period("201903"),
        until=timezone.now() + dt.timedelta(days=2),
        reason="Nhập lại số liệu năm 2019",
    )
    officer, _chief = staff_of(cast, ha_mon)
    headers = bearer(officer)
    saved = put(client, f"/api/v1/reports/23293/{MONTHLY}/201903", {"values": {"tngt_vu": {"value": "2"}}}, headers)
    assert saved.status_code == 200, saved.json()
    assert saved.json()["unit_name"] == "Xã Hà Mòn"
    refused = put(client, f"/api/v1/reports/23293/{MONTHLY}/202608", {"values": {}}, headers)
    assert refused.status_code == 400
    assert refused.json()["message"] == "Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà"
    assert refused.json()["extra"]["fields"] == {"unit": [refused.json()["message"]]}
    assert not Submission.objects.filter(period_key="202608").exists()


def test_the_data_value_import_takes_a_closed_communes_history_and_names_its_successor_after(cast):
    ha_mon = make_merged_commune(cast.commune_a)
    result = exchange.import_values(
        actor=cast.province_staff, filename="cu.csv", content=_values(f"{MONTHLY},tngt_vu,201903,23501,2")
    )
    assert result.created == 1
    assert Submission.objects.get(unit=ha_mon).period_key == "201903"
    with pytest.raises(ImportRejected) as refused:
        exchange.import_values(
            actor=cast.province_staff, filename="cu.csv", content=_values(f"{MONTHLY},tngt_vu,202608,23501,2")
        )
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [(2, "Mã đơn vị", ENDED)]


def test_a_historical_unit_sharing_a_code_with_todays_gets_its_own_history_on_import(cast):
    old = make_merged_commune(cast.commune_b)
    Unit.objects.filter(pk=old.pk).update(code="23500")  # closed 30/06/2025, today's 23500 opened 01/07/2025
    exchange.import_values(
        actor=cast.province_staff,
        filename="cu.csv",
        content=_values(f"{MONTHLY},tngt_vu,201903,23500,2", f"{MONTHLY},tngt_vu,202603,23500,5"),
    )
    assert dict(Submission.objects.values_list("period_key", "unit_id")) == {
        "201903": old.pk,
        "202603": cast.commune_a.pk,
    }


# -- roll-ups across the merger ---------------------------------------------------------------------


def test_a_province_series_spanning_the_merger_adds_predecessors_into_their_successors(cast, series):
    pivot = _pivot(cast.province_staff, cast.province_a, "201901", "202603")
    figures = _figures(pivot)
    # Flows: every month of every unit once. Stocks: the successor's later value replaces the
    # merged communes' last ones (12 + 7), the township's (8) is replaced by its successors'.
    assert figures["23500"] == (2 + 1 + 3 + 0 + 5, 25)
    assert figures["23293"] == (4 + 1, 9)
    assert figures["total"] == (16, 34)
    assert not {"H9500", "H9500-01", "H9500-02", "H9500-03"} & set(figures), "no closed row of its own"
    by_code = {row.code: row for row in pivot.rows}
    assert by_code["23500"].merged == ["Huyện Đăk Hà (cũ)", "Xã Hà Mòn", "Xã Đăk Mar"]
    assert by_code["23293"].merged == ["Thị trấn Đăk Hà"]


def test_before_the_merger_the_successors_rows_hold_the_old_communes_last_values(cast, series):
    figures = _figures(_pivot(cast.province_staff, cast.province_a, "201901", "202506"))
    assert figures["23500"] == (2 + 1 + 3 + 0, 12 + 7)
    assert figures["23293"] == (4, 8)
    assert figures["total"] == (10, 27)
    after = _figures(_pivot(cast.province_staff, cast.province_a, "202603", "202603"))
    assert (after["23500"], after["total"]) == ((5, 25), (6, 34))


def test_the_national_total_equals_the_province_total_and_cells_agree_with_raw_values(cast, series):
    province = _pivot(cast.province_staff, cast.province_a, "201901", "202603")
    national = _pivot(cast.admin, cast.root, "201901", "202603")
    assert _figures(national)["total"] == _figures(province)["total"]
    slow = _pivot(cast.province_staff, cast.province_a, "201901", "202603", use_cells=False)
    assert _figures(slow) == _figures(province)
    split = _pivot(cast.province_staff, cast.province_a, "201901", "202603", split=True)
    by_bucket = [row for row in split.rows if row.code == "23500"]
    assert [row.bucket.isoformat() for row in by_bucket] == ["2019-02-15", "2025-05-15", "2026-02-15"]


def test_the_old_district_reads_its_own_communes_whose_successors_lie_outside_it(cast, series):
    figures = _figures(_pivot(cast.province_staff, series["H9500"], "201901", "202603"))
    assert figures["H9500-01"] == (5, 12)
    assert figures["H9500-02"] == (1, 7)
    assert figures["H9500-03"] == (4, 8)
    assert figures["total"] == (10, 27)


def test_a_commune_merged_into_its_sibling_folds_into_the_siblings_row_on_a_daily_range(cast):
    ha_mon = make_merged_commune(cast.commune_a)  # a direct child of the province, like Xã Đăk Hà
    rows = [f"{DAILY},tngt_vu,{day},23501,1" for day in ("20250629", "20250630")]
    rows += [f"{DAILY},tngt_vu,20250701,23500,4"]
    exchange.import_values(actor=cast.province_staff, filename="ngay.csv", content=_values(*rows))
    report_form = form(DAILY)
    for first, last in (("20250620", "20250710"), ("20250601", "20250731")):
        period_list = selectors.period_range(report_form, first, last)
        for use_cells in (True, False):
            pivot = selectors.rollup(
                actor=cast.province_staff,
                unit=cast.province_a,
                form=report_form,
                period_list=period_list,
                use_cells=use_cells,
            )
            accidents = report_form.indicators.get(code="tngt_vu").pk
            rows_with_data = {row.code: row.cells[accidents].value for row in pivot.rows if accidents in row.cells}
            assert rows_with_data == {"23500": 6}
            assert ha_mon.pk not in {row.unit_id for row in pivot.rows}


def test_a_full_report_of_a_closed_commune_counts_under_its_successor(cast):
    ha_mon = make_merged_commune(cast.commune_a)
    submission = submit(cast, ha_mon, dt.date(2025, 6, 10), form_code=MONTHLY, values={"thanh_vien_to": "9"})
    assert full_entries(submission)  # the old version's items, no CAX values to confirm
    figures = _figures(_pivot(cast.province_staff, cast.province_a, "202506", "202506"))
    assert figures["23500"][1] == 9


def test_the_rollup_page_and_its_excel_say_which_merged_units_a_row_holds(cast, series, login):
    client = login(cast.province_staff)
    url = reverse("reports:rollup", args=[cast.province_a.pk])
    response = client.get(url, {"form": MONTHLY, "first": "201901", "last": "202603"})
    names = [row[0] for row in response.context["table"][1]]
    assert "Xã Đăk Hà (gồm số liệu của: Huyện Đăk Hà (cũ), Xã Hà Mòn, Xã Đăk Mar)" in names
    assert "Phường Kon Tum (gồm số liệu của: Thị trấn Đăk Hà)" in names
    assert response.context["table"][2][0] == "Tổng cộng"


def test_the_rollup_api_names_the_merged_units_of_each_row(cast, series, client):
    from cax.reports.tests.test_api import bearer

    response = client.get(
        "/api/v1/reports/rollup",
        {"unit": "51", "form": MONTHLY, "first": "201901", "last": "202603"},
        **bearer(cast.province_staff),
    )
    assert response.status_code == 200, response.json()
    rows = {row["unit_code"]: row for row in response.json()["rows"]}
    assert rows["23500"]["merged"] == ["Huyện Đăk Hà (cũ)", "Xã Hà Mòn", "Xã Đăk Mar"]
    assert rows["23500"]["values"]["thanh_vien_to"]["value"] == "25"
    assert response.json()["total"]["values"]["thanh_vien_to"]["value"] == "34"
