"""The clock of managed persons: dates worked by hand from the law's text, then properties for any rule data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cax.supervision.deadlines import (
    Calendar,
    NoRuleInForce,
    Rule,
    TermOutOfRange,
    add_days,
    check_term,
    commitment_due,
    due_dates,
    handover_due,
    needs_temporary_absence,
    next_due,
    rule_in_force,
    shift_months,
    term_end,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BLHS = date(2018, 1, 1)
NEW = date(2026, 7, 1)
# The figures as migration 0002 seeds them.
RULES = (
    Rule("an_treo", "term_min", 12, "months", BLHS, legal_basis="BLHS Điều 65(1)"),
    Rule("an_treo", "term_max", 60, "months", BLHS, legal_basis="BLHS Điều 65(1)"),
    Rule("an_treo", "report", 1, "months", date(2020, 1, 1)),
    Rule("an_treo", "assessment", 3, "months", date(2020, 1, 1)),
    Rule("an_treo", "commitment", 3, "working_days", date(2020, 1, 1)),
    Rule("an_treo", "temporary_absence", 1, "calendar_days", date(2021, 7, 1)),
    Rule("ctkgg", "term_min", 6, "months", BLHS),
    Rule("ctkgg", "term_max", 36, "months", BLHS),
    Rule("ctkgg", "custody_credit", 3, "calendar_days", BLHS, legal_basis="BLHS Điều 36(1)"),
    Rule("ma_tuy", "residence_check", 1, "months", date(2022, 1, 1), date(2026, 6, 30)),
    Rule("ma_tuy", "residence_check", 1, "months", NEW),
    Rule("ma_tuy", "handover", 24, "hours", NEW, legal_basis="Luật 120/2025"),
)
# Tết 2026 (Bính Ngọ): 16/02–20/02/2026, as the holiday calendar holds it.
TET_2026 = Calendar(holidays=frozenset(date(2026, 2, d) for d in range(16, 21)))


# -- the term's end ---------------------------------------------------------------------------------


def test_a_suspended_sentence_of_one_year_ends_the_day_before_its_anniversary():
    # BLHS Art. 65: probation 1 year from 15/01/2026 → the last day is 14/01/2027.
    assert term_end(date(2026, 1, 15), 12, category="an_treo", rules=RULES) == date(2027, 1, 14)


def test_a_suspended_sentence_credits_no_custody():
    # Only CTKGG has the factor: custody days of an án treo file change nothing.
    assert term_end(date(2026, 1, 15), 12, custody_days=10, category="an_treo", rules=RULES) == date(2027, 1, 14)


def test_non_custodial_reform_counts_one_custody_day_as_three():
    # BLHS Art. 36(1): CTKGG 12 months from 01/03/2026, 10 days in custody = 30 days credited.
    # 01/03/2027 − 30 days = 30/01/2027, the term's last day is the day before: 29/01/2027.
    assert term_end(date(2026, 3, 1), 12, custody_days=10, category="ctkgg", rules=RULES) == date(2027, 1, 29)


def test_a_term_fully_served_in_custody_ends_on_its_first_day():
    # 6 months of CTKGG, 70 days of custody = 210 days credited > the 184 days of the term.
    assert term_end(date(2026, 3, 1), 6, custody_days=70, category="ctkgg", rules=RULES) == date(2026, 3, 1)


def test_months_and_days_add_up():
    # 1 year 6 months 15 days from 31/01/2026: 31/07/2027 + 15 days = 15/08/2027, last day 14/08/2027.
    assert term_end(date(2026, 1, 31), 18, 15) == date(2027, 8, 14)


def test_the_term_must_fit_the_category():
    check_term(12, 0, category="an_treo", start=date(2026, 1, 15), rules=RULES)
    check_term(60, 0, category="an_treo", start=date(2026, 1, 15), rules=RULES)
    with pytest.raises(TermOutOfRange) as low:
        check_term(11, 30, category="an_treo", start=date(2026, 1, 15), rules=RULES)
    assert low.value.rule.code == "term_min"
    with pytest.raises(TermOutOfRange) as high:
        check_term(60, 1, category="an_treo", start=date(2026, 1, 15), rules=RULES)
    assert high.value.rule.code == "term_max"
    # A category without term rules (reintegration lasts until the record is expunged) takes any.
    check_term(0, 0, category="tai_hoa_nhap", start=date(2026, 1, 15), rules=RULES)


# -- periodic duties --------------------------------------------------------------------------------


def test_monthly_reports_fall_on_the_same_day_each_month_for_a_year():
    start, end = date(2026, 1, 15), date(2027, 1, 14)
    rule = rule_in_force(RULES, "an_treo", "report", start)
    days = due_dates(start, end, rule.amount, rule.unit, Calendar(), limit=100)
    # 15/02/2026 … 15/12/2026: eleven reports; 15/01/2027 is after the term's last day.
    assert days == [date(2026, m, 15) for m in range(2, 13)]
    assert next_due(start, end, rule, 0, Calendar()) == date(2026, 2, 15)
    assert next_due(start, end, rule, 10, Calendar()) == date(2026, 12, 15)
    assert next_due(start, end, rule, 11, Calendar()) is None


def test_duties_from_the_31st_are_counted_from_the_start_not_chained():
    rule = Rule("x", "report", 1, "months", BLHS)
    start = date(2026, 1, 31)
    assert [next_due(start, None, rule, k, Calendar()) for k in range(3)] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_quarterly_assessments():
    start, end = date(2026, 1, 15), date(2027, 1, 14)
    rule = rule_in_force(RULES, "an_treo", "assessment", start)
    assert due_dates(start, end, rule.amount, rule.unit, Calendar(), limit=10) == [
        date(2026, 4, 15),
        date(2026, 7, 15),
        date(2026, 10, 15),
    ]


def test_the_commitment_is_due_three_working_days_after_the_decision_arrives():
    # Decision received Friday 13/02/2026; Tết 16–20/02; working days 23, 24, 25/02 → 25/02/2026.
    assert commitment_due(date(2026, 2, 13), category="an_treo", rules=RULES, calendar=TET_2026) == date(2026, 2, 25)
    # Without holidays: Mon 16, Tue 17, Wed 18.
    assert commitment_due(date(2026, 2, 13), category="an_treo", rules=RULES, calendar=Calendar()) == date(2026, 2, 18)


# -- hand-overs -------------------------------------------------------------------------------------


def test_a_drug_user_moving_from_july_2026_is_notified_within_24_hours():
    moved = datetime(2026, 7, 3, 9, 30, tzinfo=HCM)
    assert handover_due(moved, category="ma_tuy", rules=RULES, calendar=Calendar()) == datetime(
        2026, 7, 4, 9, 30, tzinfo=HCM
    )


def test_before_july_2026_and_for_other_categories_no_rule_sets_a_time():
    assert (
        handover_due(datetime(2026, 6, 30, 9, tzinfo=HCM), category="ma_tuy", rules=RULES, calendar=Calendar()) is None
    )
    assert (
        handover_due(datetime(2026, 7, 3, 9, tzinfo=HCM), category="an_treo", rules=RULES, calendar=Calendar()) is None
    )


def test_the_rule_in_force_on_the_day_applies():
    assert rule_in_force(RULES, "ma_tuy", "residence_check", date(2026, 6, 30)).effective_from == date(2022, 1, 1)
    assert rule_in_force(RULES, "ma_tuy", "residence_check", date(2026, 7, 1)).effective_from == NEW
    with pytest.raises(NoRuleInForce):
        rule_in_force(RULES, "ma_tuy", "residence_check", date(2021, 12, 31))


def test_a_category_without_its_own_row_takes_the_general_one():
    general = Rule("", "temporary_absence", 1, "calendar_days", BLHS)
    assert rule_in_force((general,), "hoan_tu", "temporary_absence", date(2026, 1, 1)) is general


def test_an_absence_of_one_day_or_more_needs_a_temporary_absence_record():
    assert needs_temporary_absence(date(2026, 3, 2), date(2026, 3, 2), category="an_treo", rules=RULES)
    # Drug users under management are not restricted: no row, no record required.
    assert not needs_temporary_absence(date(2026, 3, 2), date(2026, 3, 9), category="ma_tuy", rules=RULES)


# -- properties -------------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2018, 1, 1), max_value=date(2040, 12, 31))
MONTHS = st.integers(min_value=0, max_value=120)
SMALL = st.integers(min_value=0, max_value=400)


@given(start=DAYS, months=MONTHS, days=SMALL, custody=SMALL)
def test_the_end_is_never_before_the_start_and_custody_only_shortens(start, months, days, custody):
    plain = term_end(start, months, days)
    credited = term_end(start, months, days, custody_days=custody, category="ctkgg", rules=RULES)
    assert start <= credited <= max(plain, start)


@given(start=DAYS, months=st.integers(min_value=1, max_value=120), days=SMALL)
def test_a_longer_term_never_ends_earlier(start, months, days):
    assert term_end(start, months, days) <= term_end(start, months + 1, days)
    assert term_end(start, months, days) <= term_end(start, months, days + 1)


@given(start=DAYS, custody=st.integers(min_value=0, max_value=50))
def test_each_custody_day_takes_exactly_three_days_off_a_long_term(start, custody):
    plain = term_end(start, 36)
    assert (plain - term_end(start, 36, custody_days=custody, category="ctkgg", rules=RULES)).days == 3 * custody


@given(start=DAYS, amount=st.integers(min_value=1, max_value=6), done=st.integers(min_value=0, max_value=30))
def test_duties_move_forward_and_stay_inside_the_term(start, amount, done):
    rule = Rule("x", "report", amount, "months", BLHS)
    end = term_end(start, 24)
    first, second = next_due(start, end, rule, done, Calendar()), next_due(start, end, rule, done + 1, Calendar())
    if first is None:
        assert second is None
    else:
        assert start < first <= end
        assert second is None or first < second


@given(start=DAYS, amount=st.integers(min_value=0, max_value=40))
def test_working_days_are_never_fewer_than_calendar_days(start, amount):
    assert add_days(start, amount, "working_days", TET_2026) >= add_days(start, amount, "calendar_days", TET_2026)


@given(day=DAYS, months=MONTHS)
def test_shifting_months_keeps_the_day_or_the_month_end(day, months):
    shifted = shift_months(day, months)
    assert shifted.day == day.day or (shifted + timedelta(days=1)).day == 1
