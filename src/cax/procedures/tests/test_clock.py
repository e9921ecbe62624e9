"""The desk's clock against dates worked by hand from the law's text, on the rule rows and the
holiday calendar the migrations load (cases.Holiday: 1/1, 30/4, 1/5, 2/9 each year)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from cax.cases.clock import holiday_calendar
from cax.cases.models import Holiday
from cax.core.exceptions import DomainError
from cax.procedures import clock
from cax.procedures.models import ProcedureType, ProcessingRule

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
END = dt.time(23, 59, 59, 999999)

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=9, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


def due_of(code: str, start: dt.datetime, *, remote: bool = False) -> dt.datetime:
    _rule, due = clock.deadline_for(ProcedureType.objects.get(code=code), start, remote=remote)
    return due.astimezone(HCM)


def test_permanent_residence_complete_on_the_friday_before_new_year_is_due_seven_working_days_on():
    # Fri 25/12/2026 complete; Mon 28 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), Fri 1/1 holiday,
    # Mon 4/1 (5), Tue 5/1 (6), Wed 6/1/2027 (7): Residence Law Art. 22, "07 ngày làm việc".
    assert due_of("thuong-tru", at(2026, 12, 25, 15, 30)) == dt.datetime.combine(dt.date(2027, 1, 6), END, HCM)


def test_temporary_residence_skips_the_april_and_may_holidays():
    # Wed 29/4/2026; Thu 30/4 and Fri 1/5 holidays, weekend; Mon 4/5 (1), Tue 5/5 (2), Wed 6/5 (3).
    assert due_of("tam-tru", at(2026, 4, 29)) == dt.datetime.combine(dt.date(2026, 5, 6), END, HCM)


def test_household_split_around_national_day_follows_the_calendar_the_administrator_keeps():
    # Fri 28/8/2026; Mon 31/8 (1), Tue 1/9 (2), Wed 2/9 holiday, Thu 3/9 (3), Fri 4/9 (4), Mon 7/9 (5).
    assert due_of("tach-ho", at(2026, 8, 28)) == dt.datetime.combine(dt.date(2026, 9, 7), END, HCM)
    # Since 2025 National Day is two days off; once 1/9/2026 is entered as a holiday, one more day.
    Holiday.objects.create(day=dt.date(2026, 9, 1), name="Quốc khánh (ngày thứ hai)")
    assert due_of("tach-ho", at(2026, 8, 28)) == dt.datetime.combine(dt.date(2026, 9, 8), END, HCM)


def test_temporary_absence_is_one_calendar_day_even_at_the_weekend():
    assert due_of("tam-vang", at(2026, 12, 5, 16)) == dt.datetime.combine(dt.date(2026, 12, 6), END, HCM)


def test_id_card_is_seven_working_days():
    # Mon 7/12/2026 → Tue 8 (1) … Fri 11 (4), Mon 14 (5), Tue 15 (6), Wed 16 (7).
    assert due_of("can-cuoc", at(2026, 12, 7)) == dt.datetime.combine(dt.date(2026, 12, 16), END, HCM)


def test_a_stay_is_notified_before_23_00_or_before_08_00_next_day_when_arriving_later():
    assert due_of("luu-tru", at(2026, 12, 4, 20, 15)) == at(2026, 12, 4, 23, 0)
    assert due_of("luu-tru", at(2026, 12, 4, 23, 20)) == at(2026, 12, 5, 8, 0)


def test_a_foreigner_is_declared_within_12_hours_or_24_in_a_remote_commune():
    assert due_of("tam-tru-nuoc-ngoai", at(2026, 12, 4, 10)) == at(2026, 12, 4, 22)
    assert due_of("tam-tru-nuoc-ngoai", at(2026, 12, 4, 10), remote=True) == at(2026, 12, 5, 10)


def test_a_new_version_of_the_rule_applies_from_its_date_and_the_old_one_before():
    procedure = ProcedureType.objects.get(code="tam-tru")
    ProcessingRule.objects.create(
        procedure=procedure, amount=2, unit="working_days", valid_from=dt.date(2027, 1, 1), legal_basis="Luật mới"
    )
    # Thu 31/12/2026 under the old 3 days: Fri 1/1 holiday, Mon 4 (1), Tue 5 (2), Wed 6 (3).
    assert due_of("tam-tru", at(2026, 12, 31)) == dt.datetime.combine(dt.date(2027, 1, 6), END, HCM)
    # Mon 4/1/2027 under the new 2 days: Tue 5 (1), Wed 6 (2).
    assert due_of("tam-tru", at(2027, 1, 4)) == dt.datetime.combine(dt.date(2027, 1, 6), END, HCM)


def test_a_day_before_any_rule_is_refused_in_words():
    with pytest.raises(DomainError, match="chưa có thời hạn giải quyết"):
        due_of("thuong-tru", at(2020, 5, 4))


def test_every_shipped_rule_names_its_legal_basis_and_unverified_ones_are_flagged():
    rules = list(ProcessingRule.objects.select_related("procedure"))
    assert {r.procedure.code for r in rules} >= {"thuong-tru", "tam-tru", "tach-ho", "tam-vang", "can-cuoc", "luu-tru"}
    assert all(r.legal_basis for r in rules)
    assert {r.procedure.code for r in rules if r.unverified} == {"tam-vang", "xoa-thuong-tru", "can-cuoc"}


class WorkingDayProperties(HypothesisTestCase):
    """For any start in 2025–2030 and any working-day procedure, the due day is a working day, the
    period holds exactly ``amount`` working days after the start day, and a later start never gives
    an earlier due."""

    @settings(max_examples=60, deadline=None)
    @given(
        start=st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2030, 6, 1)),
        later=st.integers(min_value=0, max_value=20),
        code=st.sampled_from(["thuong-tru", "tam-tru", "tach-ho", "can-cuoc"]),
    )
    def test_working_day_dues(self, start, later, code):
        calendar = holiday_calendar()
        start = start.replace(tzinfo=HCM)
        rule = clock.rule_in_force(ProcedureType.objects.get(code=code), start.date())
        due = due_of(code, start)
        assert calendar.is_working_day(due.date())
        counted = sum(
            calendar.is_working_day(start.date() + dt.timedelta(days=n))
            for n in range(1, (due.date() - start.date()).days + 1)
        )
        assert counted == rule.amount
        assert due_of(code, start + dt.timedelta(days=later)) >= due
