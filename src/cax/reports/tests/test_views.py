"""The report pages as users click through them (#6)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.reports.models import IssuedReport, Status, Submission, Value
from cax.reports.tests.factories import DAILY, MONTHLY, form, full_entries, submit


def _yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


def _entry_url(unit, code, key):
    return reverse("reports:entry", args=[unit.pk, code, key])


def _post_values(submission_or_entries, **extra):
    data = {}
    for code, entry in submission_or_entries.items():
        data[f"v_{code}"] = entry.raw
        if entry.confirmed:
            data[f"c_{code}"] = "on"
        if entry.reason:
            data[f"r_{code}"] = entry.reason
    data.update(extra)
    return data


def test_commune_fills_in_autosaves_and_sends(cast, login):
    client = login(cast.commune_officer)
    report_form = form(DAILY)
    period = report_form.period_of(timezone.localdate())
    url = _entry_url(cast.commune_a, DAILY, period.key)
    page = client.get(url)
    assert page.status_code == 200
    assert "Ký, gửi báo cáo" not in page.content.decode(), "an officer does not sign"
    assert not Submission.objects.filter(unit=cast.commune_a).exists(), "a GET writes nothing"
    autosave = client.post(url, {"v_tngt_vu": "2", "autosave": "1"}, HTTP_HX_REQUEST="true")
    assert autosave.status_code == 200
    assert "Đã tự lưu nháp" in autosave.content.decode()
    submission = Submission.objects.get(unit=cast.commune_a, period_start=period.start)
    assert Value.objects.get(submission=submission, indicator__code="tngt_vu").number == 2
    entries = full_entries(submission, {"tngt_vu": "2"})
    client = login(cast.commune_chief)
    response = client.post(url, _post_values(entries, action="submit", row_version=submission.row_version + 0))
    assert response.status_code == 302, response.content.decode()[:2000]
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


def test_bad_value_shows_next_to_its_field_and_keeps_input(cast, login):
    client = login(cast.commune_officer)
    period = form(DAILY).period_of(timezone.localdate())
    response = client.post(_entry_url(cast.commune_a, DAILY, period.key), {"v_tngt_vu": "abc", "action": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Phải là số nguyên không âm." in html
    assert 'value="abc"' in html


def test_stale_page_gets_a_clear_conflict_message(cast, login):
    submission = submit(cast, cast.commune_a, _yesterday(), form_code=DAILY, now=timezone.now())
    from cax.reports import services

    services.submission_return(actor=cast.province_staff, submission=submission, note="Sửa số vụ")
    client = login(cast.commune_officer)
    url = _entry_url(cast.commune_a, DAILY, submission.period_key)
    response = client.post(url, {"v_tngt_vu": "5", "action": "save", "row_version": "1"}, follow=True)
    assert "vừa được người khác lưu" in response.content.decode()


def test_province_returns_then_approves(cast, login):
    submission = submit(cast, cast.commune_a, _yesterday(), now=timezone.now())
    client = login(cast.province_leader)
    page = client.get(reverse("reports:detail", args=[submission.pk]), follow=True)
    assert "Cấp trên xem xét" in page.content.decode()
    client.post(reverse("reports:review", args=[submission.pk]), {"action": "return", "note": "Thiếu số liệu cháy"})
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED
    chief = login(cast.commune_chief)
    page = chief.get(_entry_url(cast.commune_a, DAILY, submission.period_key)).content.decode()
    assert "Thiếu số liệu cháy" in page
    entries = full_entries(submission)
    chief.post(
        _entry_url(cast.commune_a, DAILY, submission.period_key),
        _post_values(entries, action="submit", row_version=submission.row_version),
    )
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    leader = login(cast.province_leader)
    leader.post(reverse("reports:review", args=[submission.pk]), {"action": "approve"})
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED


def test_commune_cannot_review_itself(cast, login):
    submission = submit(cast, cast.commune_a, _yesterday(), now=timezone.now())
    client = login(cast.commune_chief)
    response = client.post(reverse("reports:review", args=[submission.pk]), {"action": "approve"}, follow=True)
    assert "không tự duyệt" in response.content.decode() or "không có quyền" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


def test_other_province_cannot_see_the_report(cast, login):
    submission = submit(cast, cast.commune_a, _yesterday(), now=timezone.now())
    client = login(cast.commune_c_officer)
    assert client.get(reverse("reports:detail", args=[submission.pk])).status_code == 404
    assert client.get(_entry_url(cast.commune_a, DAILY, submission.period_key)).status_code == 404


@pytest.mark.parametrize(
    ("name", "most"),
    [("reports:unit", 33), ("reports:submissions", 25), ("reports:completeness", 25), ("reports:rollup", 25)],
)
def test_pages_cost_a_constant_number_of_queries(cast, login, django_assert_max_num_queries, name, most):
    for days in range(1, 4):
        submit(cast, cast.commune_a, timezone.localdate() - dt.timedelta(days=days))
    client = login(cast.province_staff)
    url = reverse(name, args=[cast.province_a.pk])
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
    for days in range(4, 12):
        submit(cast, cast.commune_b, timezone.localdate() - dt.timedelta(days=days))
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_lists_and_dashboards_export_excel(cast, login):
    submit(cast, cast.commune_a, _yesterday(), now=timezone.now())
    client = login(cast.province_staff)
    for name in ("reports:submissions", "reports:completeness", "reports:rollup"):
        response = client.get(reverse(name, args=[cast.province_a.pk]), {"format": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_submission_search_ignores_diacritics(cast, login):
    submit(cast, cast.commune_a, _yesterday(), now=timezone.now())
    submit(cast, cast.commune_b, _yesterday(), now=timezone.now())
    client = login(cast.province_staff)
    html = client.get(reverse("reports:submissions", args=[cast.province_a.pk]), {"q": "dak ha"}).content.decode()
    assert "Xã Đăk Hà" in html
    assert "Phường Kon Tum" not in html


def test_late_unit_listed_on_the_completeness_page(cast, login):
    day = timezone.localdate() - dt.timedelta(days=2)
    report_form = form(DAILY)
    late = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9)))
    submit(cast, cast.commune_a, day, now=late)
    client = login(cast.province_staff)
    key = report_form.period_of(day).start.isoformat()
    html = client.get(
        reverse("reports:completeness", args=[cast.province_a.pk]), {"form": DAILY, "first": key, "last": key}
    ).content.decode()
    assert "Đơn vị chưa gửi (đã quá hạn) hoặc gửi muộn" in html
    assert "Xã Đăk Hà" in html


def test_issue_rollup_numbers_the_document_and_renders_pdf(cast, login):
    submit(cast, cast.commune_a, _yesterday(), now=timezone.now(), values={"tngt_vu": "3"})
    client = login(cast.province_leader)
    key = _yesterday().isoformat()
    response = client.post(
        reverse("reports:rollup", args=[cast.province_a.pk]) + f"?form={DAILY}&first={key}&last={key}",
        {"action": "issue"},
    )
    assert response.status_code == 302
    issued = IssuedReport.objects.get(unit=cast.province_a)
    assert issued.number == 1
    pdf = client.get(response["Location"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_exchange_import_dry_run_then_confirm(cast, login):
    client = login(cast.province_staff)
    month = form(MONTHLY).period_of(timezone.localdate() - dt.timedelta(days=40))
    document = {
        "dataSet": MONTHLY,
        "dataValues": [
            {"dataElement": "tngt_vu", "period": month.key, "orgUnit": cast.commune_a.code, "value": "4"},
            {"dataElement": "tngt_chet", "period": month.key, "orgUnit": cast.commune_a.code, "value": 1},
        ],
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("values.json", json.dumps(document).encode(), content_type="application/json")
    preview = client.post(reverse("reports:exchange"), {"file": upload})
    assert preview.status_code == 302
    page = client.get(preview["Location"])
    assert "Xem trước (chưa ghi)" in page.content.decode()
    assert not Submission.objects.filter(unit=cast.commune_a).exists()
    client.post(preview["Location"])
    submission = Submission.objects.get(unit=cast.commune_a, period_start=month.start)
    assert submission.imported
    assert submission.status == Status.SUBMITTED
    assert Value.objects.get(submission=submission, indicator__code="tngt_vu").number == 4


def test_commune_officer_cannot_import(cast, login):
    client = login(cast.commune_officer)
    assert client.get(reverse("reports:exchange")).status_code == 403


def test_entry_page_costs_a_constant_number_of_queries(cast, login, django_assert_max_num_queries):
    report_form = form(MONTHLY)
    day = timezone.localdate() - dt.timedelta(days=40)
    submission = submit(cast, cast.commune_a, day, form_code=MONTHLY)
    client = login(cast.province_staff)
    url = _entry_url(cast.commune_a, MONTHLY, submission.period_key)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200
    assert report_form.indicators.count() > 20


def test_the_autosave_line_names_a_refused_cell_by_its_label_not_its_code(cast, login):
    client = login(cast.commune_officer)
    period = form(DAILY).period_of(timezone.localdate())
    url = _entry_url(cast.commune_a, DAILY, period.key)
    response = client.post(url, {"v_tngt_vu": "abc", "autosave": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "“Số vụ tai nạn giao thông” (Phải là số nguyên không âm.)" in body
    assert "tngt_vu" not in body
