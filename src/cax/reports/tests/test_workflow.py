"""The report workflow as a commune and its province live it (#6)."""

from __future__ import annotations

import datetime as dt

import pytest

from cax.core.exceptions import DomainError, PermissionDenied
from cax.core.models import ChangeLog
from cax.reports import services
from cax.reports.models import RollupCell, Status, Value
from cax.reports.tests.factories import DAILY, MONTHLY, at, form, full_entries, number, submit

DAY = dt.date(2026, 11, 10)


def test_submit_on_time_then_province_approves(cast):
    submission = submit(cast, cast.commune_a, DAY, now=at(DAY, 15, 30))
    assert submission.status == Status.SUBMITTED
    assert not submission.is_late
    assert submission.document_number == 1
    assert submission.document_reference == "01/BC"
    services.submission_approve(actor=cast.province_staff, submission=submission, now=at(DAY, 17))
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED
    messages = list(
        ChangeLog.objects.filter(object_type="reports.submission", object_id=str(submission.pk)).values_list(
            "message", flat=True
        )
    )
    assert "Gửi báo cáo" in messages
    assert "Duyệt báo cáo" in messages


def test_late_submission_is_late(cast):
    # Daily form: due 16:00 the same day.
    submission = submit(cast, cast.commune_a, DAY, now=at(DAY, 16, 1))
    assert submission.is_late
    assert ChangeLog.objects.filter(object_id=str(submission.pk), message="Gửi báo cáo (muộn hạn)").exists()


def test_returned_report_is_fixed_and_resubmitted(cast):
    submission = submit(cast, cast.commune_a, DAY, values={"tngt_vu": "3"})
    cell = RollupCell.objects.get(unit=cast.commune_a, indicator__code="tngt_vu", indicator__form=form())
    assert cell.total == 3
    services.submission_return(
        actor=cast.province_leader, submission=submission, note="Kiểm tra lại số vụ TNGT", now=at(DAY, 18)
    )
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED
    assert submission.return_note == "Kiểm tra lại số vụ TNGT"
    # A returned report is out of the roll-up until it is sent again.
    assert not RollupCell.objects.filter(unit=cast.commune_a, indicator__code="tngt_vu").exists()
    services.submission_save(
        actor=cast.commune_officer,
        submission=submission,
        entries={"tngt_vu": services.Entry("2")},
        now=at(DAY + dt.timedelta(days=1), 8),
    )
    resent = services.submission_submit(
        actor=cast.commune_chief, submission=submission, now=at(DAY + dt.timedelta(days=1), 9)
    )
    assert resent.status == Status.SUBMITTED
    assert not resent.is_late, "timeliness is judged on the first submission"
    assert resent.document_number == 1, "the document keeps its number"
    cell = RollupCell.objects.get(unit=cast.commune_a, indicator__code="tngt_vu")
    assert cell.total == 2


def test_return_needs_a_note(cast):
    submission = submit(cast, cast.commune_a, DAY)
    with pytest.raises(DomainError, match="lý do"):
        services.submission_return(actor=cast.province_staff, submission=submission, note="  ", now=at(DAY, 18))


def test_only_upper_level_reviews(cast):
    submission = submit(cast, cast.commune_a, DAY)
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=cast.commune_chief, submission=submission)
    from cax.core.testing.cast import make_user

    other = make_user("staff_b", "province_staff", cast.province_b)
    with pytest.raises(DomainError):  # another province's staff cannot even see it
        services.submission_approve(actor=other, submission=submission)


def test_officer_drafts_but_only_the_chief_sends(cast):
    report_form = form()
    period = report_form.period_of(DAY)
    submission = services.submission_open(
        actor=cast.commune_officer, form=report_form, unit=cast.commune_a, period=period, now=at(DAY)
    )
    services.submission_save(
        actor=cast.commune_officer, submission=submission, entries=full_entries(submission), now=at(DAY)
    )
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=cast.commune_officer, submission=submission, now=at(DAY))


def test_nil_report_is_zero_not_missing(cast):
    report_form = form()
    period = report_form.period_of(DAY)
    submission = services.submission_open(
        actor=cast.commune_officer, form=report_form, unit=cast.commune_a, period=period, now=at(DAY)
    )
    services.submission_save(actor=cast.commune_officer, submission=submission, entries={}, is_nil=True, now=at(DAY))
    sent = services.submission_submit(actor=cast.commune_chief, submission=submission, now=at(DAY, 10))
    assert sent.is_nil
    assert sent.status == Status.SUBMITTED
    value = Value.objects.get(submission=sent, indicator__code="tngt_vu")
    assert value.number == 0
    assert RollupCell.objects.get(unit=cast.commune_a, indicator__code="tngt_vu").total == 0


def test_missing_values_block_sending_with_every_field_named(cast):
    report_form = form()
    submission = services.submission_open(
        actor=cast.commune_officer,
        form=report_form,
        unit=cast.commune_a,
        period=report_form.period_of(DAY),
        now=at(DAY),
    )
    services.submission_save(
        actor=cast.commune_officer, submission=submission, entries={"tngt_vu": services.Entry("1")}, now=at(DAY)
    )
    with pytest.raises(DomainError) as caught:
        services.submission_submit(actor=cast.commune_chief, submission=submission, now=at(DAY))
    assert "tngt_chet" in caught.value.fields
    assert "chay_vu" in caught.value.fields
    assert "tngt_vu" not in caught.value.fields
    # The message names each cell as the form shows it; the codes stay keys of ``fields``.
    assert "“Số người chết do tai nạn giao thông”: Chưa nhập." in caught.value.message
    assert "tngt_chet" not in caught.value.message
    assert "chay_vu" not in caught.value.message


def test_bad_values_are_reported_per_field_and_the_rest_kept(cast):
    report_form = form()
    submission = services.submission_open(
        actor=cast.commune_officer,
        form=report_form,
        unit=cast.commune_a,
        period=report_form.period_of(DAY),
        now=at(DAY),
    )
    result = services.submission_save(
        actor=cast.commune_officer,
        submission=submission,
        entries={
            "tngt_vu": services.Entry("-1"),
            "chay_vu": services.Entry("2"),
            "vphc_tien_phat": services.Entry("x"),
        },
        now=at(DAY),
    )
    assert set(result.field_errors) == {"tngt_vu", "vphc_tien_phat"}
    assert Value.objects.get(submission=submission, indicator__code="chay_vu").number == 2
    assert not Value.objects.filter(submission=submission, indicator__code="tngt_vu").exists()


def test_error_rule_blocks_and_warning_needs_a_comment(cast):
    report_form = form(MONTHLY)
    day = dt.date(2026, 11, 10)
    period = report_form.period_of(day)
    now = at(period.end, 10)
    submission = services.submission_open(
        actor=cast.commune_officer, form=report_form, unit=cast.commune_a, period=period, now=now
    )
    entries = full_entries(submission, {"thanh_vien_to": "10", "thanh_vien_tap_huan": "12"})
    services.submission_save(actor=cast.commune_officer, submission=submission, entries=entries, now=now)
    with pytest.raises(DomainError, match="tập huấn"):
        services.submission_submit(actor=cast.commune_chief, submission=submission, now=now)
    entries = full_entries(
        submission,
        {"thanh_vien_to": "10", "thanh_vien_tap_huan": "10", "pham_phap_hinh_su": "1", "pham_phap_kham_pha": "3"},
    )
    services.submission_save(actor=cast.commune_officer, submission=submission, entries=entries, now=now)
    with pytest.raises(DomainError, match="giải trình"):
        services.submission_submit(actor=cast.commune_chief, submission=submission, now=now)
    rule = submission.version.rules.get(left="pham_phap_kham_pha")
    services.submission_save(
        actor=cast.commune_officer,
        submission=submission,
        entries={},
        comments={str(rule.pk): "Làm rõ 2 vụ tháng 10"},
        now=now,
    )
    sent = services.submission_submit(actor=cast.commune_chief, submission=submission, now=now)
    assert sent.status == Status.SUBMITTED


def test_prefilled_value_must_be_confirmed_or_corrected_with_reason(cast, django_user_model):
    from cax.cases.services import case_register

    report_form = form()
    received = at(DAY, 9)
    case_register(
        actor=cast.commune_officer,
        unit=cast.commune_a,
        kind="report",
        channel="phone",
        received_at=received,
        reporter_kind="person",
        reporter_name="Nguyễn Văn A",
        summary="Mất trộm xe máy",
        now=received,
    )
    submission = services.submission_open(
        actor=cast.commune_officer,
        form=report_form,
        unit=cast.commune_a,
        period=report_form.period_of(DAY),
        now=at(DAY, 10),
    )
    entries = full_entries(submission)
    assert entries["tin_bao_tiep_nhan"].raw == "1"
    entries["tin_bao_tiep_nhan"] = services.Entry("1", confirmed=False)
    services.submission_save(actor=cast.commune_officer, submission=submission, entries=entries, now=at(DAY, 10))
    with pytest.raises(DomainError) as caught:
        services.submission_submit(actor=cast.commune_chief, submission=submission, now=at(DAY, 10))
    assert "tin_bao_tiep_nhan" in caught.value.fields
    entries["tin_bao_tiep_nhan"] = services.Entry("2")
    services.submission_save(actor=cast.commune_officer, submission=submission, entries=entries, now=at(DAY, 10))
    with pytest.raises(DomainError, match="lý do"):
        services.submission_submit(actor=cast.commune_chief, submission=submission, now=at(DAY, 10))
    entries["tin_bao_tiep_nhan"] = services.Entry("2", reason="Một tin báo qua điện thoại chưa vào sổ")
    services.submission_save(actor=cast.commune_officer, submission=submission, entries=entries, now=at(DAY, 10))
    sent = services.submission_submit(actor=cast.commune_chief, submission=submission, now=at(DAY, 10))
    value = Value.objects.get(submission=sent, indicator__code="tin_bao_tiep_nhan")
    assert (value.number, value.prefilled, value.correction_reason) == (
        number(2),
        number(1),
        "Một tin báo qua điện thoại chưa vào sổ",
    )


def test_locked_period_refuses_until_the_upper_level_reopens_it(cast):
    report_form = form()
    period = report_form.period_of(DAY)
    late = at(DAY + dt.timedelta(days=9))  # daily form: locked 7 days after the day
    with pytest.raises(DomainError, match="khóa sổ"):
        services.submission_open(
            actor=cast.commune_officer, form=report_form, unit=cast.commune_a, period=period, now=late
        )
    services.lock_exception_grant(
        actor=cast.province_staff,
        form=report_form,
        unit=cast.commune_a,
        period=period,
        until=late + dt.timedelta(days=2),
        reason="Mất điện kéo dài",
        now=late,
    )
    sent = submit(cast, cast.commune_a, DAY, now=late)
    assert sent.status == Status.SUBMITTED
    assert sent.is_late


def test_concurrent_save_is_refused(cast):
    report_form = form()
    submission = services.submission_open(
        actor=cast.commune_officer,
        form=report_form,
        unit=cast.commune_a,
        period=report_form.period_of(DAY),
        now=at(DAY),
    )
    loaded = submission.row_version
    services.submission_save(
        actor=cast.commune_officer,
        submission=submission,
        entries={"tngt_vu": services.Entry("1")},
        row_version=loaded,
        now=at(DAY),
    )
    with pytest.raises(services.ConcurrentEdit):
        services.submission_save(
            actor=cast.commune_chief,
            submission=submission,
            entries={"tngt_vu": services.Entry("5")},
            row_version=loaded,
            now=at(DAY),
        )
    assert Value.objects.get(submission=submission, indicator__code="tngt_vu").number == 1


def test_future_period_and_non_reporting_unit_refused(cast):
    report_form = form()
    with pytest.raises(DomainError, match="chưa bắt đầu"):
        services.submission_open(
            actor=cast.commune_officer,
            form=report_form,
            unit=cast.commune_a,
            period=report_form.period_of(DAY + dt.timedelta(days=3)),
            now=at(DAY),
        )
    with pytest.raises(DomainError, match="không thuộc diện"):
        services.submission_open(
            actor=None, form=report_form, unit=cast.province_a, period=report_form.period_of(DAY), now=at(DAY)
        )


def test_form_version_change_keeps_past_submissions(cast):
    from cax.reports.models import FormItem, FormVersion

    old = submit(cast, cast.commune_a, DAY)
    report_form = form()
    current = old.version
    new = FormVersion.objects.create(
        form=report_form,
        number=report_form.versions.count() + 1,  # the versions before 2025 hold a number too
        valid_from=DAY + dt.timedelta(days=1),
        due_days=0,
        due_time="18:00",
        lock_days=7,
    )
    new.reporting_unit_types.set(current.reporting_unit_types.all())
    for item in current.items.all():
        if item.indicator.code != "can_cuoc":
            FormItem.objects.create(
                version=new,
                indicator=item.indicator,
                section=item.section,
                order=item.order,
                label=item.label,
                required=item.required,
                prefill_source=item.prefill_source,
            )
    old.refresh_from_db()
    assert old.version_id == current.pk
    nxt = submit(cast, cast.commune_a, DAY + dt.timedelta(days=1), now=at(DAY + dt.timedelta(days=1), 17))
    assert nxt.version_id == new.pk
    assert not nxt.is_late
    assert not Value.objects.filter(submission=nxt, indicator__code="can_cuoc").exists()
    assert Value.objects.filter(submission=old, indicator__code="can_cuoc").exists()


def test_daily_submissions_roll_into_month_cells(cast):
    for offset, accidents in enumerate([1, 2, 4]):
        submit(cast, cast.commune_a, DAY + dt.timedelta(days=offset), values={"tngt_vu": str(accidents)})
    cell = RollupCell.objects.get(unit=cast.commune_a, indicator__code="tngt_vu", indicator__form=form(DAILY))
    assert (cell.bucket, cell.total, cell.reports) == (dt.date(2026, 11, 1), 7, 3)


def test_opening_a_report_needs_the_right_and_the_scope(cast):
    report_form = form()
    period = report_form.period_of(DAY)
    with pytest.raises(DomainError):  # a Hà Nội officer cannot open Đăk Hà's report
        services.submission_open(
            actor=cast.commune_c_officer, form=report_form, unit=cast.commune_a, period=period, now=at(DAY)
        )
    with pytest.raises(PermissionDenied):  # leaders review, they do not fill in
        services.submission_open(
            actor=cast.province_leader, form=report_form, unit=cast.commune_b, period=period, now=at(DAY)
        )
