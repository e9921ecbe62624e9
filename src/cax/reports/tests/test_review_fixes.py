"""Regressions from the review of #6: each test failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cax.reports import exchange, selectors, services
from cax.reports.models import FormVersion, IssuedReport, Submission, ValidationRule, Value
from cax.reports.tests.factories import DAILY, MONTHLY, form, submit


def _yesterday_key():
    return form(DAILY).period_of(timezone.localdate() - dt.timedelta(days=1)).key


def test_nil_report_sent_from_the_page_stores_zeros_not_blanks(cast, login):
    report_form = form(DAILY)
    items = services.items_of(report_form.versions.first())
    blanks = {f"v_{i.indicator.code}": "" for i in items}
    url = reverse("reports:entry", args=[cast.commune_a.pk, DAILY, _yesterday_key()])
    login(cast.commune_chief).post(url, {**blanks, "is_nil": "on", "action": "submit"})
    submission = Submission.objects.get(unit=cast.commune_a, form=report_form)
    assert submission.status == "submitted"
    assert Value.objects.get(submission=submission, indicator__code="tngt_vu").number == 0


def test_a_page_that_saw_no_report_does_not_overwrite_a_colleagues_draft(cast, login):
    from cax.core.testing.cast import make_user

    url = reverse("reports:entry", args=[cast.commune_a.pk, DAILY, _yesterday_key()])
    login(cast.commune_officer).post(url, {"v_tngt_vu": "5", "autosave": "1", "row_version": ""})
    colleague = make_user("officer_a2", "commune_officer", cast.commune_a)
    response = login(colleague).post(url, {"v_tngt_vu": "", "autosave": "1", "row_version": ""})
    assert "vừa được người khác lưu" in response.content.decode()
    assert Value.objects.get(indicator__code="tngt_vu", submission__unit=cast.commune_a).number == 5


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), ("3.0", 3), ("1.234", 1234), ("1,234", 1234), ("3,00", 3)])
def test_integers_accept_grouping_and_integral_decimals(raw, expected, cast):
    indicator = form(DAILY).indicators.get(code="tngt_vu")
    assert services.parse_value(indicator, raw)[0] == expected


@pytest.mark.parametrize("raw", ["1,5", "1.2.3", "2.5", "-1", "1e3"])
def test_integers_refuse_fractions_and_garbage(raw, cast):
    indicator = form(DAILY).indicators.get(code="tngt_vu")
    with pytest.raises(ValueError, match="số nguyên"):
        services.parse_value(indicator, raw)


def test_a_rollup_is_issued_by_the_signers_own_unit(cast, login):
    day = dt.date(2026, 11, 10)
    submit(cast, cast.commune_a, day)
    key = day.isoformat()
    login(cast.province_leader).post(
        reverse("reports:rollup", args=[cast.commune_a.pk]) + f"?form={DAILY}&first={key}&last={key}",
        {"action": "issue"},
    )
    issued = IssuedReport.objects.get()
    assert issued.unit == cast.province_a
    assert issued.content["subject"] == cast.commune_a.name


@pytest.mark.parametrize("key", ["202613", "20261345", "99991231", "20171231"])
def test_bad_or_unversioned_periods_are_404_not_500(cast, login, key):
    code = MONTHLY if len(key) == 6 else DAILY
    response = login(cast.commune_officer).get(reverse("reports:entry", args=[cast.commune_a.pk, code, key]))
    assert response.status_code == 404


def test_imported_reports_are_neither_on_time_nor_late(cast):
    month = "202609"
    content = f"dataset,dataelement,period,orgunit,value\n{MONTHLY},tngt_vu,{month},23500,3\n".encode()
    exchange.import_values(actor=cast.province_staff, filename="v.csv", content=content)
    report_form = form(MONTHLY)
    report = selectors.completeness(
        actor=cast.province_staff,
        unit=cast.commune_a,
        form=report_form,
        period_list=selectors.period_range(report_form, month, month),
    )
    assert (report.total.submitted, report.total.on_time, report.total.late) == (1, 0, 0)
    assert not report.late_units


def test_rule_on_a_new_unsaved_version_is_checked_against_the_form(cast):
    version = FormVersion(form=form(DAILY), number=9, valid_from=dt.date(2030, 1, 1))
    rule = ValidationRule(version=version, left="khong_co", operator="<=", right="1", message="x")
    with pytest.raises(ValidationError, match="khong_co"):
        rule.clean()
