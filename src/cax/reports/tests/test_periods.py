"""Reporting periods: dates worked by hand, then properties that must hold for every day of the century."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cax.reports.periods import (
    ADMINISTRATIVE,
    CALENDAR,
    CALENDARS,
    DAILY,
    MONTHLY,
    PERIODICITIES,
    QUARTERLY,
    WEEKLY,
    YEARLY,
    Period,
    PeriodError,
    following,
    parse_key,
    period_of,
    periods_between,
    preceding,
    recent,
)

ONE_DAY = dt.timedelta(days=1)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
every_kind = pytest.mark.parametrize(("periodicity", "calendar"), [(p, c) for p in PERIODICITIES for c in CALENDARS])


def span(period: Period) -> tuple[dt.date, dt.date]:
    return period.start, period.end


# --- Periods worked by hand ---------------------------------------------------------------------------------------


def test_administrative_month_runs_from_the_15th_to_the_14th():
    assert span(parse_key(MONTHLY, ADMINISTRATIVE, "202611")) == (dt.date(2026, 10, 15), dt.date(2026, 11, 14))


def test_administrative_january_starts_in_the_previous_december():
    assert span(parse_key(MONTHLY, ADMINISTRATIVE, "202601")) == (dt.date(2025, 12, 15), dt.date(2026, 1, 14))


def test_administrative_year_and_quarter():
    assert span(parse_key(YEARLY, ADMINISTRATIVE, "2026")) == (dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    assert span(parse_key(QUARTERLY, ADMINISTRATIVE, "2026Q4")) == (dt.date(2026, 9, 15), dt.date(2026, 12, 14))


def test_a_day_after_the_cut_off_in_december_belongs_to_next_year():
    day = dt.date(2026, 12, 20)
    assert period_of(MONTHLY, ADMINISTRATIVE, day).key == "202701"
    assert period_of(QUARTERLY, ADMINISTRATIVE, day).key == "2027Q1"
    assert period_of(YEARLY, ADMINISTRATIVE, day).key == "2027"
    # The cut-off day itself still counts in the current month.
    assert period_of(MONTHLY, ADMINISTRATIVE, dt.date(2026, 12, 14)).key == "202612"


def test_calendar_months_quarters_and_years():
    assert span(parse_key(MONTHLY, CALENDAR, "202602")) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert parse_key(MONTHLY, CALENDAR, "202802").days == 29
    assert span(parse_key(QUARTERLY, CALENDAR, "2026Q4")) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert span(parse_key(YEARLY, CALENDAR, "2026")) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert period_of(MONTHLY, CALENDAR, dt.date(2026, 12, 20)).key == "202612"


@pytest.mark.parametrize("calendar", CALENDARS)
def test_iso_weeks_run_monday_to_sunday_in_both_calendars(calendar):
    week = period_of(WEEKLY, calendar, dt.date(2026, 11, 25))
    assert week.key == "2026W48"
    assert span(week) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert week.start.weekday() == 0  # Monday
    assert week.end.weekday() == 6


def test_iso_week_one_and_fifty_three():
    # DHIS2 writes week numbers without a leading zero.
    assert period_of(WEEKLY, CALENDAR, dt.date(2027, 1, 6)).key == "2027W1"
    assert parse_key(WEEKLY, CALENDAR, "2027W1").start == dt.date(2027, 1, 4)
    # 2026 has 53 ISO weeks (28/12/2026 is in week 53); the last one ends in 2027.
    assert dt.date(2026, 12, 28).isocalendar().week == 53
    assert period_of(WEEKLY, CALENDAR, dt.date(2027, 1, 3)).key == "2026W53"
    assert span(parse_key(WEEKLY, CALENDAR, "2026W53")) == (dt.date(2026, 12, 28), dt.date(2027, 1, 3))


def test_daily_key():
    period = period_of(DAILY, CALENDAR, dt.date(2026, 11, 23))
    assert period.key == "20261123"
    assert span(period) == (dt.date(2026, 11, 23), dt.date(2026, 11, 23))
    assert period.days == 1


@pytest.mark.parametrize(
    ("periodicity", "text", "key"),
    [
        (DAILY, "2026-11-23", "20261123"),
        (MONTHLY, "2026-11", "202611"),
        (WEEKLY, "2026w48", "2026W48"),
        (WEEKLY, "2026-W48", "2026W48"),
        (QUARTERLY, "2026q4", "2026Q4"),
        (YEARLY, " 2026 ", "2026"),
    ],
)
def test_parse_key_accepts_other_spellings(periodicity, text, key):
    assert parse_key(periodicity, CALENDAR, text) == parse_key(periodicity, CALENDAR, key)
    assert parse_key(periodicity, CALENDAR, text).key == key


@pytest.mark.parametrize(
    ("periodicity", "key"),
    [
        (MONTHLY, "202613"),
        (MONTHLY, "202600"),
        (MONTHLY, "2026-1"),
        (WEEKLY, "2026W54"),
        (WEEKLY, "2027W53"),  # 2027 has only 52 ISO weeks
        (WEEKLY, "2026W0"),
        (QUARTERLY, "2026Q5"),
        (QUARTERLY, "2026Q0"),
        (YEARLY, "abc"),
        (YEARLY, "26"),
        (DAILY, "20260230"),
        (DAILY, "abc"),
        (DAILY, ""),
    ],
)
@pytest.mark.parametrize("calendar", CALENDARS)
def test_bad_keys_raise_period_error_with_a_message(periodicity, key, calendar):
    with pytest.raises(PeriodError) as excinfo:
        parse_key(periodicity, calendar, key)
    assert str(excinfo.value).strip()
    assert key.strip() in str(excinfo.value)


def test_unknown_periodicity_or_calendar():
    with pytest.raises(PeriodError, match="hourly"):
        period_of("hourly", CALENDAR, dt.date(2026, 11, 23))
    with pytest.raises(PeriodError, match="fiscal"):
        period_of(MONTHLY, "fiscal", dt.date(2026, 11, 23))
    with pytest.raises(PeriodError, match="hourly"):
        parse_key("hourly", CALENDAR, "2026")
    with pytest.raises(PeriodError, match="fiscal"):
        parse_key(MONTHLY, "fiscal", "202611")


@pytest.mark.parametrize(
    ("periodicity", "key", "label"),
    [
        (DAILY, "20261123", "23/11/2026"),
        (WEEKLY, "2026W48", "Tuần 48/2026"),
        (WEEKLY, "2027W1", "Tuần 01/2027"),
        (MONTHLY, "202611", "Tháng 11/2026"),
        (QUARTERLY, "2026Q1", "Quý I/2026"),
        (QUARTERLY, "2026Q4", "Quý IV/2026"),
        (YEARLY, "2026", "Năm 2026"),
    ],
)
def test_labels(periodicity, key, label):
    assert parse_key(periodicity, ADMINISTRATIVE, key).label() == label


@pytest.mark.parametrize(
    ("periodicity", "key", "label"),
    [(WEEKLY, "2026W48", "Week 48/2026"), (QUARTERLY, "2026Q4", "Quarter IV/2026"), (YEARLY, "2026", "Year 2026")],
)
def test_labels_follow_the_language(periodicity, key, label):
    from django.utils import translation

    with translation.override("en"):
        assert parse_key(periodicity, ADMINISTRATIVE, key).label() == label


def test_periods_between_lists_consecutive_months():
    first = parse_key(MONTHLY, ADMINISTRATIVE, "202611")
    last = parse_key(MONTHLY, ADMINISTRATIVE, "202702")
    assert [p.key for p in periods_between(first, last, ADMINISTRATIVE)] == ["202611", "202612", "202701", "202702"]
    assert list(periods_between(first, first, ADMINISTRATIVE)) == [first]
    assert list(periods_between(last, first, ADMINISTRATIVE)) == []


def test_recent_quarters_newest_first():
    quarters = recent(QUARTERLY, ADMINISTRATIVE, dt.date(2026, 12, 20), 3)
    assert [q.key for q in quarters] == ["2027Q1", "2026Q4", "2026Q3"]


# --- Properties ---------------------------------------------------------------------------------------------------


@every_kind
@given(day=days)
def test_the_period_of_a_day_contains_it(periodicity, calendar, day):
    period = period_of(periodicity, calendar, day)
    assert period.start <= day <= period.end
    assert period.periodicity == periodicity


@every_kind
@given(day=days)
def test_the_key_names_the_same_period(periodicity, calendar, day):
    period = period_of(periodicity, calendar, day)
    assert parse_key(periodicity, calendar, period.key) == period


@every_kind
@given(day=days)
def test_following_and_preceding_are_adjacent_and_inverse(periodicity, calendar, day):
    period = period_of(periodicity, calendar, day)
    after = following(period, calendar)
    before = preceding(period, calendar)
    assert after.start == period.end + ONE_DAY
    assert before.end == period.start - ONE_DAY
    assert preceding(after, calendar) == period
    assert following(before, calendar) == period


@every_kind
@given(day=days)
def test_every_day_of_a_period_maps_back_to_it(periodicity, calendar, day):
    # With adjacency above, this makes the periods tile the timeline: no gap, no overlap.
    period = period_of(periodicity, calendar, day)
    current = period.start
    while current <= period.end:
        assert period_of(periodicity, calendar, current) == period
        current += ONE_DAY


@every_kind
@given(first_day=days, offset=st.integers(min_value=-800, max_value=1200))
def test_periods_between_is_a_run_of_consecutive_periods(periodicity, calendar, first_day, offset):
    first = period_of(periodicity, calendar, first_day)
    last = period_of(periodicity, calendar, first_day + dt.timedelta(days=offset))
    run = list(periods_between(first, last, calendar))
    if last.start < first.start:
        assert run == []
        return
    assert run[0] == first
    assert run[-1] == last
    for earlier, later in zip(run, run[1:], strict=False):
        assert later.start == earlier.end + ONE_DAY


@every_kind
@given(today=days, count=st.integers(min_value=1, max_value=30))
def test_recent_returns_count_periods_newest_first(periodicity, calendar, today, count):
    periods = recent(periodicity, calendar, today, count)
    assert len(periods) == count
    assert periods[0] == period_of(periodicity, calendar, today)
    for newer, older in zip(periods, periods[1:], strict=False):
        assert older.end + ONE_DAY == newer.start


@pytest.mark.parametrize("calendar", CALENDARS)
@given(day=days)
def test_quarters_and_years_are_made_of_whole_months(calendar, day):
    quarter = period_of(QUARTERLY, calendar, day)
    year = period_of(YEARLY, calendar, day)
    months_in_quarter = periods_between(
        period_of(MONTHLY, calendar, quarter.start), period_of(MONTHLY, calendar, quarter.end), calendar
    )
    months_in_year = periods_between(
        period_of(MONTHLY, calendar, year.start), period_of(MONTHLY, calendar, year.end), calendar
    )
    assert len(list(months_in_quarter)) == 3
    assert len(list(months_in_year)) == 12
    assert quarter.key.startswith(year.key)
    assert period_of(MONTHLY, calendar, day).key.startswith(year.key)


@given(day=days)
def test_administrative_months_run_15th_to_14th(day):
    month = period_of(MONTHLY, ADMINISTRATIVE, day)
    assert (month.start.day, month.end.day) == (15, 14)
    assert month.end.month == int(month.key[4:])
