"""The whole legal clock through the services (issue 14): one case per rule path, each deadline worked by
hand from the text of CPC 2015 Art. 145–149 (the dates in the comments), every refusal citing its limit."""

import datetime as dt

import pytest

from cax.cases.choices import Status, SuspensionGround
from cax.cases.models import Case, CaseEvent, ReceivingBody
from cax.cases.services import case_send_to_procuracy
from cax.cases.tests.test_register import NOW, RECEIVED, VN, register, step
from cax.cases.workflow import next_steps
from cax.core.exceptions import DomainError


def eod(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=VN)


def verifying(actor, unit, **overrides):
    """A report taken up by the commune's investigator (Law 99/2025) and being verified."""
    case = register(actor, unit, **overrides)
    for to in (Status.PRELIMINARY_CHECK, Status.TAKEN_UP, Status.VERIFYING):
        case = step(actor, case, to, at=overrides.get("now", NOW))
    return case


# --- Art. 147: resolve within 20 days, extensions capped from receipt -------------------------------------------


def test_resolution_runs_twenty_days_from_receipt(cast):
    # Received 10/09/2025 14:00: the day of receipt does not count, 20 days end with 30/09/2025.
    case = verifying(cast.commune_chief, cast.commune_a)
    assert (case.due_at, case.due_rule) == (eod(2025, 9, 30), "resolve")


def test_the_investigating_body_may_reach_two_months_from_receipt_and_not_a_minute_more(cast):
    case = verifying(cast.commune_chief, cast.commune_a)
    with pytest.raises(DomainError) as refused:
        step(
            cast.commune_chief,
            case,
            Status.EXTENDED,
            new_due=eod(2025, 11, 10) + dt.timedelta(minutes=1),
            extended_by="investigation",
        )
    # Before issue 14 this was accepted up to 30/11 (two months stacked on the 20 days).
    assert "chậm nhất 10/11/2025 23:59" in refused.value.message
    assert "BLTTHS 2015 Điều 147(2)" in refused.value.message
    assert "2 tháng kể từ ngày tiếp nhận" in refused.value.message
    assert refused.value.fields["new_due"] == [refused.value.message]
    case = step(cast.commune_chief, case, Status.EXTENDED, new_due=eod(2025, 11, 10), extended_by="investigation")
    assert (case.due_at, case.due_rule) == (eod(2025, 11, 10), "cap_investigation")


def test_extend_and_extend_again_the_procuracy_stops_at_four_months_from_receipt(cast):
    case = verifying(cast.commune_chief, cast.commune_a)
    case = step(cast.commune_chief, case, Status.EXTENDED, new_due=eod(2025, 11, 10), extended_by="investigation")
    requested = dt.datetime(2025, 11, 5, 16, 0, tzinfo=VN)  # by 05/11: 5 days before 10/11
    with pytest.raises(DomainError) as refused:
        step(
            cast.commune_chief,
            case,
            Status.EXTENDED,
            new_due=eod(2026, 1, 11),
            extended_by="procuracy",
            requested_at=requested,
        )
    assert "chậm nhất 10/01/2026 23:59" in refused.value.message  # 10/09/2025 + 4 months
    assert "4 tháng kể từ ngày tiếp nhận" in refused.value.message
    case = step(
        cast.commune_chief,
        case,
        Status.EXTENDED,
        new_due=eod(2026, 1, 10),
        extended_by="procuracy",
        requested_at=requested,
    )
    assert (case.due_at, case.due_rule) == (eod(2026, 1, 10), "cap_procuracy")
    with pytest.raises(DomainError, match=r"một lần \(BLTTHS 2015 Điều 147\(2\)") as again:
        step(cast.commune_chief, case, Status.EXTENDED, new_due=eod(2026, 1, 10), extended_by="investigation")
    assert "extended_by" in again.value.fields


def test_the_procuracy_alone_extends_by_two_months_after_the_current_deadline(cast):
    case = verifying(cast.commune_chief, cast.commune_a)
    with pytest.raises(DomainError) as refused:
        step(
            cast.commune_chief,
            case,
            Status.EXTENDED,
            new_due=eod(2025, 12, 1),
            extended_by="procuracy",
            requested_at=dt.datetime(2025, 9, 20, 9, tzinfo=VN),
        )
    assert "chậm nhất 30/11/2025 23:59" in refused.value.message  # 30/09 + 2 months, before the 4-month cap
    assert "một lần, không quá 2 tháng" in refused.value.message


def test_a_late_or_missing_extension_request_is_refused_with_the_last_day_it_could_be_sent(cast):
    case = verifying(cast.commune_chief, cast.commune_a)
    with pytest.raises(DomainError) as late:
        step(
            cast.commune_chief,
            case,
            Status.EXTENDED,
            new_due=eod(2025, 11, 20),
            extended_by="procuracy",
            requested_at=dt.datetime(2025, 9, 26, 8, tzinfo=VN),
        )
    assert "chậm nhất 25/09/2025 23:59" in late.value.message  # 5 days before 30/09
    assert "Điều 147(2)" in late.value.message
    assert "requested_at" in late.value.fields
    with pytest.raises(DomainError) as missing:
        step(cast.commune_chief, case, Status.EXTENDED, new_due=eod(2025, 11, 20), extended_by="procuracy")
    assert "requested_at" in missing.value.fields


def test_at_the_end_of_a_month_the_extensions_end_on_the_last_day_of_the_shorter_month(cast):
    received = dt.datetime(2025, 12, 31, 9, 0, tzinfo=VN)
    later = dt.datetime(2025, 12, 31, 10, 0, tzinfo=VN)
    case = verifying(cast.commune_chief, cast.commune_a, received_at=received, now=later)
    assert case.due_at == eod(2026, 1, 20)
    with pytest.raises(DomainError, match="chậm nhất 28/02/2026 23:59"):  # no 31/02
        step(cast.commune_chief, case, Status.EXTENDED, new_due=eod(2026, 3, 1), extended_by="investigation", at=later)
    case = step(
        cast.commune_chief, case, Status.EXTENDED, new_due=eod(2026, 2, 28), extended_by="investigation", at=later
    )
    # The procuracy's 2 months after 28/02 end 28/04, before receipt + 4 months (30/04): the tighter limit.
    with pytest.raises(DomainError, match="chậm nhất 28/04/2026 23:59"):
        step(
            cast.commune_chief,
            case,
            Status.EXTENDED,
            new_due=eod(2026, 4, 30),
            extended_by="procuracy",
            requested_at=dt.datetime(2026, 2, 20, tzinfo=VN),
            at=later,
        )


def test_after_resumption_one_month_runs_from_the_resumption(cast):
    case = verifying(cast.commune_chief, cast.commune_a)
    case = step(cast.commune_chief, case, Status.SUSPENDED, suspension_ground=SuspensionGround.AWAITING_EXPERTISE)
    case = step(cast.commune_chief, case, Status.RESUMED, at=dt.datetime(2026, 1, 31, 8, tzinfo=VN))
    assert (case.due_at, case.due_rule) == (eod(2026, 2, 28), "after_resumption")  # Art. 149: ≤ 1 month


# --- The 24-hour duty to send a decision to the procuracy (Art. 148(2), 154, 158) ---------------------------------


def test_a_decision_must_reach_the_procuracy_within_24_hours_and_sending_it_is_recorded(cast):
    case = verifying(cast.commune_chief, cast.commune_a)
    decided = dt.datetime(2025, 9, 20, 17, 30, tzinfo=VN)
    case = step(cast.commune_chief, case, Status.PROSECUTED, at=decided)
    assert case.procuracy_due_at == dt.datetime(2025, 9, 21, 17, 30, tzinfo=VN)
    decision = CaseEvent.objects.get(case=case, to_status=Status.PROSECUTED)
    assert decision.procuracy_due_at == case.procuracy_due_at
    sent_at = dt.datetime(2025, 9, 22, 8, 0, tzinfo=VN)  # 14 h 30 late: recorded, not refused
    case = case_send_to_procuracy(actor=cast.commune_chief, case=case, expected_version=case.version, at=sent_at)
    assert case.procuracy_due_at is None
    notice = CaseEvent.objects.get(case=case, kind="procuracy_notice")
    assert (notice.to_status, notice.data["late_seconds"]) == (Status.PROSECUTED, 14 * 3600 + 30 * 60)
    with pytest.raises(DomainError, match="Không có quyết định nào"):
        case_send_to_procuracy(actor=cast.commune_chief, case=case, expected_version=case.version, at=sent_at)


def test_an_unsent_suspension_keeps_its_deadline_when_a_later_decision_follows(cast):
    case = verifying(cast.commune_chief, cast.commune_a)
    suspended = dt.datetime(2025, 9, 20, 9, tzinfo=VN)
    case = step(cast.commune_chief, case, Status.SUSPENDED, at=suspended, suspension_ground="awaiting_evidence")
    case = step(cast.commune_chief, case, Status.RESUMED, at=suspended + dt.timedelta(days=5))
    case = step(
        cast.commune_chief,
        case,
        Status.NOT_PROSECUTED,
        at=suspended + dt.timedelta(days=6),
        non_prosecution_ground="not_a_crime",
    )
    assert case.procuracy_due_at == suspended + dt.timedelta(hours=24)


# --- Transfers: in CAX into the receiving register, outside CAX to a listed body ----------------------------------


def test_a_transfer_to_another_commune_enters_its_register_and_stops_the_senders_clock(cast):
    case = register(cast.commune_officer, cast.commune_a, is_confidential=True, reporter_id_number="051190000123")
    case = step(cast.commune_officer, case, Status.PRELIMINARY_CHECK)
    sent = NOW + dt.timedelta(hours=3)  # 10/09/2025 18:00
    case = step(cast.commune_officer, case, Status.TRANSFERRED, at=sent, to_unit=cast.commune_b)
    assert (case.status, case.due_at, case.transferred_to_unit) == (Status.TRANSFERRED, None, cast.commune_b)
    assert next_steps(case) == {Status.CLOSED}
    entry = Case.objects.get(transferred_from=case)
    assert (entry.unit, entry.serial, entry.status, entry.channel) == (
        cast.commune_b,
        1,
        Status.RECEIVED,
        "transferred_in",
    )
    assert entry.due_at == sent + dt.timedelta(hours=24)  # the receiving commune's own 24 hours
    assert (entry.reporter_id_number, entry.is_confidential, entry.summary) == ("051190000123", True, case.summary)
    step_event = CaseEvent.objects.get(case=case, to_status=Status.TRANSFERRED)
    assert step_event.data["entry"] == {"id": entry.pk, "serial": 1, "year": 2025}
    assert step_event.data["to_unit"] == cast.commune_b.code


def test_an_entry_received_by_the_investigating_body_verifies_without_a_preliminary_check(cast):
    case = register(cast.commune_officer, cast.commune_a)
    case = step(cast.commune_officer, case, Status.PRELIMINARY_CHECK)
    step(cast.commune_officer, case, Status.TRANSFERRED, to_unit=cast.province_a)
    entry = Case.objects.select_related("unit__unit_type").get(transferred_from=case)
    assert next_steps(entry) == {Status.VERIFYING, Status.TRANSFERRED}
    assert (entry.due_at, entry.due_rule) == (eod(2025, 9, 30), "resolve")  # Art. 147(1) from its receipt


def test_a_transfer_outside_cax_names_a_body_from_the_reference_list(cast):
    case = register(cast.commune_officer, cast.commune_a)
    case = step(cast.commune_officer, case, Status.PRELIMINARY_CHECK)
    rangers = ReceivingBody.objects.get(code="kiem_lam")
    case = step(cast.commune_officer, case, Status.TRANSFERRED, to_body=rangers, transferred_to="Hạt Kiểm lâm Đăk Hà")
    assert (case.transferred_to_body, case.transferred_to, case.due_at) == (
        rangers,
        "Kiểm lâm — Hạt Kiểm lâm Đăk Hà",
        None,
    )
    assert not Case.objects.filter(transferred_from=case).exists()


@pytest.mark.parametrize("target", ["both", "self", "inactive"])
def test_a_transfer_needs_one_valid_receiver(cast, target):
    case = register(cast.commune_officer, cast.commune_a)
    case = step(cast.commune_officer, case, Status.PRELIMINARY_CHECK)
    body = ReceivingBody.objects.get(code="vks")
    data = {
        "both": {"to_unit": cast.commune_b, "to_body": body},
        "self": {"to_unit": cast.commune_a},
        "inactive": {"to_body": ReceivingBody.objects.create(code="cu", name="Cơ quan cũ", is_active=False)},
    }[target]
    with pytest.raises(DomainError) as refused:
        step(cast.commune_officer, case, Status.TRANSFERRED, **data)
    assert set(refused.value.fields) & {"to_unit", "to_body"}
    assert Case.objects.get(pk=case.pk).status == Status.PRELIMINARY_CHECK
    assert Case.objects.count() == 1


def test_a_transfer_to_a_unit_merged_away_names_its_successor(cast):
    from cax.core.testing.units import make_merged_commune

    merged = make_merged_commune(cast.commune_b, code="23294", name="Phường Quyết Thắng")
    case = register(cast.commune_officer, cast.commune_a)
    case = step(cast.commune_officer, case, Status.PRELIMINARY_CHECK)
    with pytest.raises(DomainError) as refused:
        step(cast.commune_officer, case, Status.TRANSFERRED, to_unit=merged)
    assert refused.value.fields["to_unit"] == ["Phường Quyết Thắng hết hiệu lực từ 01/07/2025; kế thừa: Phường Kon Tum"]


# --- The receipt time ------------------------------------------------------------------------------------------------


def test_a_unit_merged_away_in_2025_takes_reports_received_while_it_existed_and_refuses_later_ones(cast):
    from cax.core.testing.units import make_merged_commune

    ha_mon = make_merged_commune(cast.commune_a)
    june = dt.datetime(2025, 6, 20, 9, 0, tzinfo=VN)
    case = register(cast.department_staff, ha_mon, received_at=june, now=june + dt.timedelta(hours=1))
    assert (case.unit, case.serial, case.due_at) == (ha_mon, 1, june + dt.timedelta(hours=24))
    with pytest.raises(DomainError) as refused:
        register(cast.department_staff, ha_mon)  # 10/09/2025
    assert refused.value.fields["received_at"] == ["Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà"]


def test_a_receipt_before_the_unit_existed_belongs_to_its_predecessor(cast):
    """Decision 0006: before a unit's start the report belongs to the predecessor CAX holds, named in
    the refusal; a unit whose earlier tree was never loaded keeps its own history."""
    from cax.core.testing.units import make_merged_commune

    june = dt.datetime(2025, 6, 20, 9, 0, tzinfo=VN)
    kept = register(cast.department_staff, cast.commune_b, received_at=june, now=june)  # no predecessor loaded
    assert kept.unit == cast.commune_b
    make_merged_commune(cast.commune_a)
    with pytest.raises(DomainError) as refused:
        register(cast.commune_officer, cast.commune_a, received_at=june, now=june)
    assert refused.value.fields["received_at"] == [
        "Xã Đăk Hà chỉ có hiệu lực từ 01/07/2025; ngày 20/06/2025 thuộc đơn vị tiền thân: Xã Hà Mòn"
    ]
    assert not Case.objects.filter(unit=cast.commune_a).exists()


def test_a_receipt_before_the_incident_it_reports_is_refused(cast):
    with pytest.raises(DomainError) as refused:
        register(cast.commune_officer, cast.commune_a, incident_at=RECEIVED + dt.timedelta(hours=2))
    assert set(refused.value.fields) == {"incident_at"}


def test_a_missing_or_doubled_rule_is_explained_by_its_name_and_date_in_vietnamese():
    from cax.cases import clock, deadlines

    with pytest.raises(DomainError) as caught, clock.rules_or_domain_error():
        raise deadlines.NoRuleInForce("resolve", dt.date(2017, 12, 31))
    assert caught.value.message == (
        "Chưa có quy tắc “thời hạn giải quyết” áp dụng cho ngày 31/12/2017: báo quản trị hệ thống bổ sung danh mục "
        "quy tắc."
    )
    with pytest.raises(DomainError) as caught, clock.rules_or_domain_error():
        raise deadlines.AmbiguousRules("transfer", dt.date(2026, 1, 1), dt.date(2026, 1, 1))
    assert "“thời hạn chuyển nguồn tin”" in caught.value.message
    assert "transfer" not in caught.value.message
