"""Periodic reports through the API (#6): the same rules as the pages, in the API's one error shape."""

from __future__ import annotations

import datetime as dt
import decimal

from django.utils import timezone

from cax.accounts.services import token_create
from cax.reports.models import RollupCell, Status, Submission, Value
from cax.reports.tests.factories import DAILY, MONTHLY, at, form, full_entries, submit

FIXED_DAY = dt.date(2026, 11, 10)  # as in test_workflow: services are given an explicit ``now``


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user, name='t')[1]}"}


def recent_day() -> dt.date:
    """A day the API (real clock) can still write: daily reports lock 7 days after the day."""
    return timezone.localdate() - dt.timedelta(days=2)


def draft_url(unit_code: str, day: dt.date, form_code: str = DAILY) -> str:
    return f"/api/v1/reports/{unit_code}/{form_code}/{form(form_code).period_of(day).key}"


def put(client, url, body, headers):
    return client.put(url, body, content_type="application/json", **headers)


def post(client, url, headers, body=None):
    """A JSON body, or none at all (``client.post`` without data would send an empty multipart body)."""
    if body is None:
        return client.generic("POST", url, b"", **headers)
    return client.post(url, body, content_type="application/json", **headers)


def as_payload(entries) -> dict:
    return {
        code: {"value": entry.raw, "confirmed": entry.confirmed, "reason": entry.reason}
        for code, entry in entries.items()
    }


# -- forms ----------------------------------------------------------------------------------------


def test_forms_and_the_definition_in_force(cast, client):
    headers = bearer(cast.commune_officer)
    forms = client.get("/api/v1/report-forms", **headers)
    assert forms.status_code == 200
    assert {DAILY, MONTHLY} <= {f["code"] for f in forms.json()}
    assert next(f for f in forms.json() if f["code"] == DAILY)["periodicity"] == "daily"

    definition = client.get(f"/api/v1/report-forms/{MONTHLY}?period=202611", **headers)
    assert definition.status_code == 200, definition.json()
    body = definition.json()
    assert body["period_key"] == "202611"
    assert body["version"] == 1
    assert body["lock_days"] >= body["due_days"]
    assert body["reporting_unit_types"]
    items = {item["indicator"]: item for section in body["sections"] for item in section["items"]}
    assert items["tngt_vu"]["value_type"] == "integer"
    assert items["to_bao_ve"]["aggregation"] == "last"
    assert items["can_bo"]["prefill_source"] == "officers_posted"
    assert body["sections"][0]["name"].startswith("I.")
    rule = next(r for r in body["rules"] if r["left"] == "thanh_vien_tap_huan")
    assert (rule["operator"], rule["right"], rule["severity"]) == ("<=", "thanh_vien_to", "error")

    today = client.get(f"/api/v1/report-forms/{DAILY}", **headers).json()
    assert today["period_key"] == timezone.localdate().strftime("%Y%m%d")
    bad = client.get(f"/api/v1/report-forms/{DAILY}?period=2026-13-45", **headers)
    assert bad.status_code == 400
    assert set(bad.json()) == {"message", "extra"}
    assert client.get("/api/v1/report-forms/nope", **headers).status_code == 404


# -- drafts and the workflow ----------------------------------------------------------------------


def test_a_draft_reports_bad_values_per_field_and_keeps_the_rest(cast, client):
    headers = bearer(cast.commune_officer)
    response = put(
        client,
        draft_url("23500", recent_day()),
        {"values": {"tngt_vu": {"value": "-1"}, "chay_vu": {"value": "2"}, "vphc_tien_phat": {"value": 1.5}}},
        headers,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body["field_errors"]) == {"tngt_vu"}
    assert body["status"] == "draft"
    values = {v["indicator"]: v for v in body["values"]}
    assert values["chay_vu"]["number"] == "2"
    assert values["vphc_tien_phat"]["number"] == "1.5"
    assert "tngt_vu" not in values
    assert not Value.objects.filter(submission_id=body["id"], indicator__code="tngt_vu").exists()

    unknown = put(client, draft_url("23500", recent_day()), {"values": {"khong_co": {"value": "1"}}}, headers)
    assert unknown.status_code == 400
    future = put(client, draft_url("23500", timezone.localdate() + dt.timedelta(days=3)), {"values": {}}, headers)
    assert future.status_code == 400
    assert put(client, draft_url("NOPE", recent_day()), {"values": {}}, headers).status_code == 404


def test_a_refused_save_leaves_no_empty_draft(cast, client):
    response = put(client, draft_url("23500", recent_day()), {"values": {}}, bearer(cast.province_leader))
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_put_submit_return_fix_submit_approve_lock(cast, client):
    officer, chief, staff = bearer(cast.commune_officer), bearer(cast.commune_chief), bearer(cast.province_staff)
    url = draft_url("23500", recent_day())
    opened = put(client, url, {"values": {}}, officer).json()
    submission = Submission.objects.get(pk=opened["id"])
    entries = full_entries(submission, {"tngt_vu": "3"})
    saved = put(client, url, {"values": as_payload(entries), "row_version": opened["row_version"]}, officer)
    assert saved.status_code == 200, saved.json()
    assert saved.json()["field_errors"] == {}
    report = f"/api/v1/reports/{opened['id']}"

    assert post(client, f"{report}/submit", officer).status_code == 403, "only the chief sends"
    sent = post(client, f"{report}/submit", chief, {"row_version": saved.json()["row_version"]})
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "submitted"
    assert sent.json()["document_reference"] == "01/BC"
    assert sent.json()["is_late"], "a daily report is due 16:00 the same day"
    assert RollupCell.objects.get(unit=cast.commune_a, indicator__code="tngt_vu", indicator__form=form()).total == 3

    refused = post(client, f"{report}/approve", chief)
    assert refused.status_code == 403
    assert set(refused.json()) == {"message", "extra"}

    no_note = post(client, f"{report}/return", staff, {})
    assert no_note.status_code == 400
    assert "note" in no_note.json()["extra"]["fields"]
    returned = post(client, f"{report}/return", staff, {"note": "Kiểm tra lại số vụ TNGT"})
    assert returned.status_code == 200, returned.json()
    assert (returned.json()["status"], returned.json()["return_note"]) == ("returned", "Kiểm tra lại số vụ TNGT")
    assert not RollupCell.objects.filter(unit=cast.commune_a, indicator__code="tngt_vu").exists()

    fixed = put(
        client, url, {"values": {"tngt_vu": {"value": "2"}}, "row_version": returned.json()["row_version"]}, officer
    )
    assert fixed.status_code == 200, fixed.json()
    resent = post(client, f"{report}/submit", chief)
    assert resent.status_code == 200, resent.json()
    assert resent.json()["status"] == "submitted"
    assert resent.json()["document_reference"] == "01/BC", "the document keeps its number"

    approved = post(client, f"{report}/approve", staff)
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert RollupCell.objects.get(unit=cast.commune_a, indicator__code="tngt_vu", indicator__form=form()).total == 2
    locked = post(client, f"{report}/lock", staff)
    assert locked.json()["status"] == "locked"
    assert put(client, url, {"values": {"tngt_vu": {"value": "5"}}}, chief).status_code == 400
    detail = client.get(report, **officer).json()
    assert {v["indicator"]: v["number"] for v in detail["values"]}["tngt_vu"] == "2"


def test_a_stale_row_version_is_409_and_saves_nothing(cast, client):
    headers = bearer(cast.commune_officer)
    url = draft_url("23500", recent_day())
    opened = put(client, url, {"values": {"tngt_vu": {"value": "1"}}}, headers).json()
    loaded = opened["row_version"]
    first = put(client, url, {"values": {"tngt_vu": {"value": "2"}}, "row_version": loaded}, headers)
    assert first.status_code == 200
    stale = put(client, url, {"values": {"tngt_vu": {"value": "5"}}, "row_version": loaded}, bearer(cast.commune_chief))
    assert stale.status_code == 409
    assert set(stale.json()) == {"message", "extra"}
    assert Value.objects.get(submission_id=opened["id"], indicator__code="tngt_vu").number == 2
    submit_stale = post(
        client, f"/api/v1/reports/{opened['id']}/submit", bearer(cast.commune_chief), {"row_version": 1}
    )
    assert submit_stale.status_code == 409


# -- lists and scope ------------------------------------------------------------------------------


def test_list_and_detail_stay_in_scope(cast, client):
    on_time = submit(cast, cast.commune_a, FIXED_DAY, now=at(FIXED_DAY, 15))
    late = submit(cast, cast.commune_b, FIXED_DAY, now=at(FIXED_DAY, 17))
    leader = bearer(cast.province_leader)
    listed = client.get(f"/api/v1/reports?form={DAILY}", **leader)
    assert listed.status_code == 200
    body = listed.json()
    assert (body["count"], body["page"]) == (2, 1)
    item = next(i for i in body["items"] if i["id"] == on_time.pk)
    assert item["unit_code"] == "23500"
    assert item["unit_name"] == cast.commune_a.name
    assert item["form_code"] == DAILY
    assert (item["period_key"], item["period_label"]) == ("20261110", "10/11/2026")
    assert item["period_start"] == item["period_end"] == "2026-11-10"
    assert (item["status"], item["is_late"], item["imported"]) == ("submitted", False, False)
    assert item["document_reference"] == "01/BC"

    late_only = client.get("/api/v1/reports?late=true", **leader).json()
    assert [i["id"] for i in late_only["items"]] == [late.pk]
    commune = client.get("/api/v1/reports?unit=23500&status=submitted", **leader).json()
    assert [i["id"] for i in commune["items"]] == [on_time.pk]
    outside = client.get("/api/v1/reports?period_from=2026-11-11", **leader).json()
    assert outside["count"] == 0
    assert client.get("/api/v1/reports?status=nope", **leader).status_code == 422

    own = client.get("/api/v1/reports", **bearer(cast.commune_officer)).json()
    assert [i["id"] for i in own["items"]] == [on_time.pk], "the default unit is the caller's own"

    other = bearer(cast.commune_c_officer)
    assert client.get("/api/v1/reports", **other).json()["count"] == 0
    assert client.get("/api/v1/reports?unit=23500", **other).status_code == 404
    assert client.get(f"/api/v1/reports/{on_time.pk}", **other).status_code == 404
    assert post(client, f"/api/v1/reports/{on_time.pk}/approve", other).status_code == 404
    detail = client.get(f"/api/v1/reports/{on_time.pk}", **leader)
    assert detail.status_code == 200
    assert {v["indicator"] for v in detail.json()["values"]} >= {"tngt_vu", "chay_vu"}


# -- completeness and roll-up ---------------------------------------------------------------------


def test_completeness_counts_expected_sent_and_late(cast, client):
    submit(cast, cast.commune_a, FIXED_DAY, now=at(FIXED_DAY, 15))
    submit(cast, cast.commune_b, FIXED_DAY, now=at(FIXED_DAY, 17))
    response = client.get(
        f"/api/v1/reports/completeness?unit=51&form={DAILY}&first=20261110&last=20261111",
        **bearer(cast.province_leader),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    total = body["total"]
    assert (total["submitted"], total["on_time"], total["late"]) == (2, 1, 1)
    assert total["expected"] == sum(row["expected"] for row in body["rows"])
    assert total["missing"] == total["expected"] - 2
    rows = {row["unit_code"]: row for row in body["rows"]}
    assert (rows["23500"]["expected"], rows["23500"]["submitted"], rows["23500"]["percent"]) == (2, 1, 50.0)
    assert (rows["23293"]["on_time"], rows["23293"]["late"]) == (0, 1)
    series = {p["period_key"]: p for p in body["series"]}
    assert (series["20261110"]["submitted"], series["20261110"]["on_time"]) == (2, 1)
    assert series["20261111"]["submitted"] == 0
    late = {u["unit_code"]: u for u in body["late_units"]}
    assert (late["23293"]["late"], late["23293"]["overdue_missing"]) == (1, 1)
    assert late["23500"]["overdue_missing"] == 1
    bad = client.get(f"/api/v1/reports/completeness?form={DAILY}&first=20261111&last=20261110", **bearer(cast.admin))
    assert bad.status_code == 400


def test_province_rollup_total_is_the_sum_of_its_communes(cast, client):
    submit(cast, cast.commune_a, FIXED_DAY, values={"tngt_vu": "2", "vphc_tien_phat": "1,5"})
    submit(cast, cast.commune_a, FIXED_DAY + dt.timedelta(days=1), values={"tngt_vu": "1"})
    submit(cast, cast.commune_b, FIXED_DAY, values={"tngt_vu": "4"})
    submit(cast, cast.commune_c, FIXED_DAY, values={"tngt_vu": "8"})  # another province
    response = client.get(
        f"/api/v1/reports/rollup?unit=51&form={DAILY}&first=20261110&last=20261111",
        **bearer(cast.province_leader),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert {i["code"] for i in body["indicators"]} >= {"tngt_vu", "vphc_tien_phat"}
    rows = {row["unit_code"]: row for row in body["rows"]}
    assert rows["23500"]["values"]["tngt_vu"] == {"value": "3", "reports": 2}
    assert rows["23293"]["values"]["tngt_vu"] == {"value": "4", "reports": 1}
    assert rows["23500"]["values"]["vphc_tien_phat"]["value"] == "2.5"  # 1.5 + 1, exact
    silent = next(row for code, row in rows.items() if code not in ("23500", "23293"))
    assert "tngt_vu" not in silent["values"], "no report is missing, not zero"
    for code in ("tngt_vu", "vphc_tien_phat"):
        summed = sum(decimal.Decimal(row["values"][code]["value"]) for row in body["rows"] if code in row["values"])
        assert decimal.Decimal(body["total"]["values"][code]["value"]) == summed
    assert body["total"]["values"]["tngt_vu"] == {"value": "7", "reports": 3}

    only = client.get(
        f"/api/v1/reports/rollup?unit=51&form={DAILY}&first=20261110&last=20261111&split=true&indicators=tngt_vu",
        **bearer(cast.province_leader),
    ).json()
    assert [i["code"] for i in only["indicators"]] == ["tngt_vu"]
    assert {row["bucket"] for row in only["rows"]} == {"2026-11-01"}
    assert only["total"]["values"] == {"tngt_vu": {"value": "7", "reports": 3}}
    national = client.get(f"/api/v1/reports/rollup?unit=BCA&form={DAILY}&first=20261110", **bearer(cast.admin))
    assert national.json()["total"]["values"]["tngt_vu"]["value"] == "14"


# -- data value sets ------------------------------------------------------------------------------


def _value_set(*values) -> dict:
    return {
        "dataSet": MONTHLY,
        "dataValues": [{"dataElement": c, "period": "202610", "orgUnit": "23500", "value": v} for c, v in values],
    }


def test_data_value_sets_dry_run_writes_nothing_then_a_real_run_writes(cast, client):
    headers = bearer(cast.province_staff)
    document = _value_set(("tngt_vu", "3"), ("vphc_tien_phat", "2.25"), ("danh_gia", "Ổn định"))
    dry = client.post("/api/v1/dataValueSets?dryRun=true", document, content_type="application/json", **headers)
    assert dry.status_code == 200, dry.json()
    assert dry.json() == {"dry_run": True, "created": 3, "updated": 0, "unchanged": 0}
    assert not Submission.objects.exists()
    assert not Value.objects.exists()

    real = client.post("/api/v1/dataValueSets?dryRun=false", document, content_type="application/json", **headers)
    assert real.json() == {"dry_run": False, "created": 3, "updated": 0, "unchanged": 0}
    submission = Submission.objects.get(unit=cast.commune_a)
    assert (submission.status, submission.imported, submission.period_key) == (Status.SUBMITTED, True, "202610")
    assert Value.objects.get(submission=submission, indicator__code="vphc_tien_phat").number == decimal.Decimal("2.25")
    again = client.post(
        "/api/v1/dataValueSets", _value_set(("tngt_vu", "4")), content_type="application/json", **headers
    )
    assert again.json() == {"dry_run": False, "created": 0, "updated": 1, "unchanged": 0}

    exported = client.get(f"/api/v1/dataValueSets?unit=51&form={MONTHLY}&first=202610", **headers)
    assert exported.status_code == 200
    assert exported.json()["dataSet"] == MONTHLY
    got = {v["dataElement"]: v for v in exported.json()["dataValues"]}
    assert got["tngt_vu"] == {"dataElement": "tngt_vu", "period": "202610", "orgUnit": "23500", "value": "4"}
    assert got["danh_gia"]["value"] == "Ổn định"
    listed = client.get(f"/api/v1/reports?unit=23500&form={MONTHLY}", **headers).json()["items"]
    assert [(i["id"], i["imported"], i["status"]) for i in listed] == [(submission.pk, True, "submitted")]
    other = client.get(f"/api/v1/dataValueSets?unit=01&form={MONTHLY}&first=202610", **bearer(cast.admin))
    assert other.json()["dataValues"] == []


def test_a_bad_data_value_set_is_refused_whole_with_row_and_column(cast, client):
    headers = bearer(cast.province_staff)
    document = _value_set(("khong_co", "1"), ("tngt_vu", "-1"), ("chay_vu", "2"))
    response = client.post("/api/v1/dataValueSets", document, content_type="application/json", **headers)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "extra"}
    errors = body["extra"]["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(1, "Chỉ tiêu"), (2, "Giá trị")]
    assert "khong_co" in errors[0]["message"]
    assert all(e["message"] for e in errors)
    assert not Submission.objects.exists()

    garbled = client.post("/api/v1/dataValueSets", "{nope", content_type="application/json", **headers)
    assert garbled.status_code == 400
    refused = client.post(
        "/api/v1/dataValueSets",
        _value_set(("tngt_vu", "1")),
        content_type="application/json",
        **bearer(cast.commune_chief),
    )
    assert refused.status_code == 403
