"""Statutory deadlines: dates worked by hand, then properties that must hold for any rule data."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cax.cases.deadlines import (
    AmbiguousRules,
    Calendar,
    Deadline,
    ExtensionRefused,
    NoRuleInForce,
    Rule,
    add_period,
    check_extension,
    decision_to_procuracy_deadline,
    extension_limit,
    extension_request_latest,
    notice_cutoff,
    resolution_deadline,
    resumption_deadline,
    rule_in_force,
    transfer_deadline,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PARIS = ZoneInfo("Europe/Paris")  # has DST, unlike Vietnam: catches wall-clock vs elapsed-time mistakes
SINCE = date(2018, 1, 1)
END_OF_DAY = time(23, 59, 59, 999999)
NO_HOLIDAYS = Calendar()

# The figures of CPC 2015, as the database holds them (cases migrations 0002 and 0005).
RULES = (
    Rule("transfer", 24, "hours", SINCE, remote_amount=48, legal_basis="Art. 146"),
    Rule("resolve", 20, "calendar_days", SINCE, legal_basis="Art. 147(1)"),
    Rule("cap_investigation", 2, "months", SINCE, legal_basis="Art. 147(2)"),
    Rule("cap_procuracy", 4, "months", SINCE, legal_basis="Art. 147(2), total"),
    Rule("extend_procuracy", 2, "months", SINCE, legal_basis="Art. 147(2), once"),
    Rule("extension_request_lead", 5, "calendar_days", SINCE, legal_basis="Art. 147(2)"),
    Rule("after_resumption", 1, "months", SINCE, legal_basis="Art. 149"),
    Rule("decision_to_procuracy", 24, "hours", SINCE, legal_basis="Art. 147(3)"),
)


def eod(year: int, month: int, day: int, tzinfo=None) -> datetime:
    return datetime.combine(date(year, month, day), END_OF_DAY, tzinfo=tzinfo)


def utc_key(moment: datetime) -> datetime:
    """Orders aware moments by elapsed time (Python compares same-tzinfo moments by wall clock)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


# --- Periods worked by hand ---------------------------------------------------------------------------------------


def test_transfer_within_24_hours_or_48_for_remote_communes():
    received = datetime(2025, 3, 10, 14, 0)

    near = transfer_deadline(received, remote=False, rules=RULES, calendar=NO_HOLIDAYS)
    far = transfer_deadline(received, remote=True, rules=RULES, calendar=NO_HOLIDAYS)

    assert near.due == datetime(2025, 3, 11, 14, 0)
    assert far.due == datetime(2025, 3, 12, 14, 0)
    assert near.code == far.code == "transfer"
    assert near.rule.legal_basis == "Art. 146"


def test_remote_commune_gets_the_ordinary_period_when_the_rule_has_no_remote_allowance():
    rules = [Rule("transfer", 24, "hours", SINCE)]

    due = transfer_deadline(datetime(2025, 3, 10, 14), remote=True, rules=rules, calendar=NO_HOLIDAYS).due

    assert due == datetime(2025, 3, 11, 14)


def test_resolution_ends_with_the_twentieth_day_after_receipt():
    deadline = resolution_deadline(datetime(2025, 3, 10, 14, 0), rules=RULES, calendar=NO_HOLIDAYS)

    assert deadline.due == eod(2025, 3, 30)
    assert deadline.rule.amount == 20


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2025, 1, 31), 2, eod(2025, 3, 31)),
        (date(2025, 1, 31), 1, eod(2025, 2, 28)),
        (date(2024, 1, 31), 1, eod(2024, 2, 29)),
        (date(2025, 11, 30), 1, eod(2025, 12, 30)),
        (date(2025, 12, 31), 2, eod(2026, 2, 28)),
        (date(2025, 12, 15), 1, eod(2026, 1, 15)),
        (date(2025, 3, 10), 0, eod(2025, 3, 10)),
    ],
)
def test_months_end_on_the_same_day_of_month_or_the_last_day_when_it_is_missing(start, months, due):
    assert add_period(datetime.combine(start, time(9, 30)), months, "months", NO_HOLIDAYS) == due


def test_working_days_skip_the_weekend():
    friday = datetime(2025, 3, 14, 16, 0)

    assert add_period(friday, 1, "working_days", NO_HOLIDAYS) == eod(2025, 3, 17)  # Monday
    assert add_period(friday, 5, "working_days", NO_HOLIDAYS) == eod(2025, 3, 21)  # next Friday
    assert add_period(friday, 6, "working_days", NO_HOLIDAYS) == eod(2025, 3, 24)


def test_working_days_skip_holidays_given_as_data():
    holidays = Calendar(holidays=frozenset({date(2025, 4, 30), date(2025, 5, 1)}))
    tuesday = datetime(2025, 4, 29, 10, 0)

    # 30/04 and 01/05 are holidays, 02/05 is the 1st working day, 03–04/05 the weekend, 05/05 the 2nd.
    assert add_period(tuesday, 2, "working_days", holidays) == eod(2025, 5, 5)
    assert add_period(tuesday, 2, "working_days", NO_HOLIDAYS) == eod(2025, 5, 1)


def test_zero_working_days_end_with_the_start_day_even_on_a_weekend():
    saturday = datetime(2025, 3, 15, 8, 0)

    assert add_period(saturday, 0, "working_days", NO_HOLIDAYS) == eod(2025, 3, 15)
    assert add_period(saturday, 1, "working_days", NO_HOLIDAYS) == eod(2025, 3, 17)


def test_a_custom_weekend_is_respected():
    six_day_week = Calendar(weekend=frozenset({6}))

    assert add_period(datetime(2025, 3, 14, 8), 1, "working_days", six_day_week) == eod(2025, 3, 15)


def test_calendar_days_and_hours():
    start = datetime(2025, 3, 10, 14, 0)

    assert add_period(start, 0, "calendar_days", NO_HOLIDAYS) == eod(2025, 3, 10)
    assert add_period(start, 22, "calendar_days", NO_HOLIDAYS) == eod(2025, 4, 1)
    assert add_period(start, 0, "hours", NO_HOLIDAYS) == start
    assert add_period(start, 36, "hours", NO_HOLIDAYS) == datetime(2025, 3, 12, 2, 0)


def test_negative_periods_and_unknown_units_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_period(datetime(2025, 3, 10), -1, "calendar_days", NO_HOLIDAYS)
    with pytest.raises(ValueError, match="Unknown unit"):
        add_period(datetime(2025, 3, 10), 1, "weeks", NO_HOLIDAYS)  # type: ignore[arg-type]


def test_aware_datetimes_keep_their_time_zone():
    received = datetime(2025, 3, 10, 14, 0, tzinfo=HCM)

    transfer = transfer_deadline(received, remote=False, rules=RULES, calendar=NO_HOLIDAYS)
    resolve = resolution_deadline(received, rules=RULES, calendar=NO_HOLIDAYS)

    assert transfer.due == datetime(2025, 3, 11, 14, 0, tzinfo=HCM)
    assert transfer.due.tzinfo is HCM
    assert resolve.due == eod(2025, 3, 30, HCM)
    assert resolve.due.tzinfo is HCM


def test_hours_are_elapsed_time_across_a_dst_change():
    # Paris moves to summer time in the night of 29–30/03/2025: 24 elapsed hours end at 13:00 local.
    start = datetime(2025, 3, 29, 12, 0, tzinfo=PARIS)

    due = add_period(start, 24, "hours", NO_HOLIDAYS)

    assert due == datetime(2025, 3, 30, 13, 0, tzinfo=PARIS)
    assert due - start == timedelta(hours=25)  # wall-clock difference; the UTC one is 24 hours
    assert utc_key(due) - utc_key(start) == timedelta(hours=24)


def test_the_day_of_receipt_is_the_local_day_of_an_aware_datetime():
    # 01:00 in Hà Nội is still the previous day in UTC; the period counts from the local day.
    received = datetime(2025, 3, 10, 1, 0, tzinfo=HCM)

    assert resolution_deadline(received, rules=RULES, calendar=NO_HOLIDAYS).due == eod(2025, 3, 30, HCM)


def test_resumption_gives_a_fresh_month_from_the_decision():
    deadline = resumption_deadline(datetime(2025, 1, 31, 10, 0), rules=RULES, calendar=NO_HOLIDAYS)

    assert deadline.due == eod(2025, 2, 28)
    assert deadline.code == "after_resumption"


def test_decision_reaches_the_procuracy_within_24_hours():
    deadline = decision_to_procuracy_deadline(datetime(2025, 3, 28, 17, 30), rules=RULES, calendar=NO_HOLIDAYS)

    assert deadline.due == datetime(2025, 3, 29, 17, 30)


# --- Extensions -----------------------------------------------------------------------------------------------------

RECEIVED = datetime(2025, 3, 10, 14, 0)
FIRST_DUE = eod(2025, 3, 30)


def test_the_investigating_body_extends_to_two_months_from_receipt_not_from_the_deadline():
    # Art. 147(2): "có thể kéo dài nhưng không quá 02 tháng" is the whole period. Received 10/03 → 10/05,
    # not 30/03 + 2 months = 30/05 (the 20 days must not be stacked under the extension).
    investigation = extension_limit(
        FIRST_DUE, by="investigation", received_at=RECEIVED, rules=RULES, calendar=NO_HOLIDAYS
    )

    assert investigation.due == eod(2025, 5, 10)
    assert investigation.code == "cap_investigation"
    assert investigation.rule.legal_basis == "Art. 147(2)"


def test_the_procuracy_extends_once_by_two_months_within_four_months_from_receipt():
    # After the investigating body's 10/05: + 2 months = 10/07 = receipt + 4 months; the cap is named.
    procuracy = extension_limit(
        eod(2025, 5, 10), by="procuracy", received_at=RECEIVED, rules=RULES, calendar=NO_HOLIDAYS
    )

    assert procuracy.due == eod(2025, 7, 10)
    assert procuracy.code == "cap_procuracy"


def test_the_procuracy_alone_gives_two_months_after_the_current_deadline():
    # No extension by the investigating body: 30/03 + 2 months = 30/05, well inside receipt + 4 months.
    procuracy = extension_limit(FIRST_DUE, by="procuracy", received_at=RECEIVED, rules=RULES, calendar=NO_HOLIDAYS)

    assert procuracy.due == eod(2025, 5, 30)
    assert procuracy.code == "extend_procuracy"


def test_month_ends_make_the_per_extension_length_the_tighter_limit():
    # Received 31/12/2024: 2 months from receipt end 28/02/2025 (no 31/02); the procuracy's 2 months after
    # that end 28/04, two days before receipt + 4 months (30/04).
    received = datetime(2024, 12, 31, 9, 0)
    first = resolution_deadline(received, rules=RULES, calendar=NO_HOLIDAYS).due
    investigation = extension_limit(first, by="investigation", received_at=received, rules=RULES, calendar=NO_HOLIDAYS)
    procuracy = extension_limit(
        investigation.due, by="procuracy", received_at=received, rules=RULES, calendar=NO_HOLIDAYS
    )

    assert first == eod(2025, 1, 20)
    assert investigation.due == eod(2025, 2, 28)
    assert procuracy.due == eod(2025, 4, 28)
    assert procuracy.code == "extend_procuracy"


def test_an_extension_needs_a_cap_or_a_length_in_force():
    with pytest.raises(NoRuleInForce, match="'cap_investigation'"):
        extension_limit(FIRST_DUE, by="investigation", received_at=RECEIVED, rules=RULES[:2], calendar=NO_HOLIDAYS)


def test_extension_request_must_leave_five_days_before_expiry():
    assert extension_request_latest(FIRST_DUE, received_at=RECEIVED, rules=RULES) == eod(2025, 3, 25)


def test_extension_request_lead_can_be_counted_in_other_units():
    def lead(amount, unit):
        return [Rule("extension_request_lead", amount, unit, SINCE)]

    due = eod(2025, 3, 31)  # a Monday
    assert extension_request_latest(due, received_at=RECEIVED, rules=lead(48, "hours")) == eod(2025, 3, 29)
    assert extension_request_latest(due, received_at=RECEIVED, rules=lead(1, "months")) == eod(2025, 2, 28)
    assert extension_request_latest(
        due, received_at=RECEIVED, rules=lead(2, "working_days"), calendar=NO_HOLIDAYS
    ) == eod(2025, 3, 27)
    with pytest.raises(ValueError, match="calendar"):
        extension_request_latest(due, received_at=RECEIVED, rules=lead(2, "working_days"))


def test_check_extension_accepts_a_lawful_extension():
    check_extension(
        eod(2025, 5, 10),
        current_due=FIRST_DUE,
        by="investigation",
        received_at=RECEIVED,
        requested_at=None,
        rules=RULES,
        calendar=NO_HOLIDAYS,
    )
    check_extension(
        eod(2025, 7, 1),
        current_due=eod(2025, 5, 10),
        by="procuracy",
        received_at=RECEIVED,
        requested_at=datetime(2025, 5, 5, 16, 0),
        rules=iter(RULES),  # a one-shot iterator is enough
        calendar=NO_HOLIDAYS,
    )


@pytest.mark.parametrize(
    ("new_due", "by", "requested_at", "message"),
    [
        (FIRST_DUE, "investigation", None, "must be later than the current deadline 30/03/2025"),
        (eod(2025, 3, 1), "investigation", None, "must be later"),
        (eod(2025, 5, 11), "investigation", None, "later than the latest allowed, 10/05/2025 23:59"),
        (eod(2025, 5, 31), "procuracy", datetime(2025, 3, 20), "later than the latest allowed, 30/05/2025 23:59"),
        (eod(2025, 5, 1), "procuracy", None, "needs the date"),
        (eod(2025, 5, 1), "procuracy", datetime(2025, 3, 26, 0, 0), "came too late: it had to be sent by 25/03/2025"),
    ],
)
def test_check_extension_refuses_with_a_clear_message(new_due, by, requested_at, message):
    with pytest.raises(ExtensionRefused, match=message) as refused:
        check_extension(
            new_due,
            current_due=FIRST_DUE,
            by=by,
            received_at=RECEIVED,
            requested_at=requested_at,
            rules=RULES,
            calendar=NO_HOLIDAYS,
        )
    assert refused.value.current_due == FIRST_DUE


def test_a_refusal_carries_what_a_message_in_vietnamese_needs():
    with pytest.raises(ExtensionRefused) as late:
        check_extension(
            eod(2025, 6, 1),
            current_due=FIRST_DUE,
            by="investigation",
            received_at=RECEIVED,
            requested_at=None,
            rules=RULES,
            calendar=NO_HOLIDAYS,
        )
    assert late.value.reason == ExtensionRefused.OVER_LIMIT
    assert late.value.limit.due == eod(2025, 5, 10)
    assert late.value.limit.rule.legal_basis == "Art. 147(2)"
    with pytest.raises(ExtensionRefused) as request:
        check_extension(
            eod(2025, 5, 1),
            current_due=FIRST_DUE,
            by="procuracy",
            received_at=RECEIVED,
            requested_at=datetime(2025, 3, 27),
            rules=RULES,
            calendar=NO_HOLIDAYS,
        )
    assert request.value.reason == ExtensionRefused.REQUEST_LATE
    assert request.value.request_latest == eod(2025, 3, 25)


def test_refusal_quotes_the_legal_basis():
    with pytest.raises(ExtensionRefused, match=r"2 months from receipt, Art\. 147\(2\)"):
        check_extension(
            eod(2025, 6, 1),
            current_due=FIRST_DUE,
            by="investigation",
            received_at=RECEIVED,
            requested_at=None,
            rules=RULES,
            calendar=NO_HOLIDAYS,
        )


def test_extension_refused_is_a_value_error():
    assert issubclass(ExtensionRefused, ValueError)


def test_unknown_extender_is_refused():
    with pytest.raises(ValueError, match="Unknown extender"):
        extension_limit(FIRST_DUE, by="court", received_at=RECEIVED, rules=RULES, calendar=NO_HOLIDAYS)  # type: ignore[arg-type]


# --- Rule versions --------------------------------------------------------------------------------------------------

CHANGE = date(2025, 7, 1)
VERSIONED = (
    Rule("resolve", 20, "calendar_days", SINCE, effective_to=CHANGE - timedelta(days=1)),
    Rule("resolve", 30, "calendar_days", CHANGE),
    Rule("cap_investigation", 2, "months", SINCE, effective_to=CHANGE - timedelta(days=1)),
    Rule("cap_investigation", 3, "months", CHANGE),
)


def test_a_case_keeps_the_rule_in_force_on_its_day_of_receipt():
    before = resolution_deadline(datetime(2025, 6, 30, 23, 0), rules=VERSIONED, calendar=NO_HOLIDAYS)
    after = resolution_deadline(datetime(2025, 7, 1, 0, 30), rules=VERSIONED, calendar=NO_HOLIDAYS)

    assert before.due == eod(2025, 7, 20)
    assert before.rule.amount == 20
    assert after.due == eod(2025, 7, 31)
    assert after.rule.amount == 30


def test_an_extension_after_the_change_still_follows_the_rule_at_receipt():
    received = datetime(2025, 6, 20, 9, 0)
    due = resolution_deadline(received, rules=VERSIONED, calendar=NO_HOLIDAYS).due
    assert due == eod(2025, 7, 10)  # the current deadline already falls under the new version

    limit = extension_limit(due, by="investigation", received_at=received, rules=VERSIONED, calendar=NO_HOLIDAYS)

    assert limit.due == eod(2025, 8, 20)  # 2 months from 20/06, the version at receipt (not 3 months)
    assert limit.rule.amount == 2


def test_effective_to_is_inclusive_and_the_latest_overlapping_version_wins():
    overlapping = [
        Rule("resolve", 20, "calendar_days", SINCE, effective_to=date(2025, 12, 31)),
        Rule("resolve", 25, "calendar_days", date(2025, 7, 1)),
    ]

    assert rule_in_force(overlapping, "resolve", date(2025, 6, 30)).amount == 20
    assert rule_in_force(overlapping, "resolve", date(2025, 7, 1)).amount == 25
    assert rule_in_force(VERSIONED, "resolve", date(2025, 6, 30)).amount == 20
    assert rule_in_force(VERSIONED, "resolve", datetime(2025, 7, 1, 0, 0)).amount == 30


def test_no_rule_in_force_names_the_code_and_the_date():
    with pytest.raises(NoRuleInForce, match=r"'resolve'.*2017-12-31") as caught:
        resolution_deadline(datetime(2017, 12, 31, 10, 0), rules=RULES, calendar=NO_HOLIDAYS)

    assert caught.value.code == "resolve"
    assert caught.value.on == date(2017, 12, 31)
    assert isinstance(caught.value, LookupError)
    with pytest.raises(NoRuleInForce, match="'nonexistent'"):
        rule_in_force(RULES, "nonexistent", date(2025, 1, 1))
    with pytest.raises(NoRuleInForce, match="2026-01-01"):
        rule_in_force([Rule("resolve", 20, "calendar_days", SINCE, date(2025, 12, 31))], "resolve", date(2026, 1, 1))


def test_two_versions_taking_effect_the_same_day_are_a_data_error():
    clash = [Rule("resolve", 20, "calendar_days", SINCE), Rule("resolve", 30, "calendar_days", SINCE)]

    with pytest.raises(AmbiguousRules, match="'resolve'"):
        rule_in_force(clash, "resolve", date(2025, 1, 1))
    # The same row listed twice is not ambiguous.
    assert rule_in_force([clash[0], clash[0]], "resolve", date(2025, 1, 1)) == clash[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"amount": -1}, ValueError, "negative"),
        ({"unit": "weeks"}, ValueError, "unknown unit"),
        ({"effective_to": date(2017, 1, 1)}, ValueError, "before effective_from"),
        ({"remote_amount": 12}, ValueError, "shorter"),
        ({"effective_from": datetime(2018, 1, 1)}, TypeError, "dates"),
    ],
)
def test_malformed_rules_fail_loudly(kwargs, error, message):
    fields = {"code": "transfer", "amount": 24, "unit": "hours", "effective_from": SINCE} | kwargs
    with pytest.raises(error, match=message):
        Rule(**fields)


def test_calendar_validation_and_coercion():
    calendar = Calendar(holidays={date(2025, 9, 2)}, weekend={6})  # type: ignore[arg-type]

    assert calendar.holidays == frozenset({date(2025, 9, 2)})
    assert hash(calendar) == hash(Calendar(holidays=frozenset({date(2025, 9, 2)}), weekend=frozenset({6})))
    assert not calendar.is_working_day(date(2025, 9, 2))
    assert calendar.is_working_day(date(2025, 9, 6))  # a Saturday
    with pytest.raises(ValueError, match="whole week"):
        Calendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        Calendar(weekend=frozenset({7}))
    with pytest.raises(TypeError, match="dates"):
        Calendar(holidays=frozenset({datetime(2025, 9, 2)}))


# --- Deadline -------------------------------------------------------------------------------------------------------


def test_the_last_instant_is_still_on_time():
    deadline = Deadline("resolve", eod(2025, 3, 30), RULES[1])

    assert not deadline.is_overdue(eod(2025, 3, 30))
    assert deadline.time_left(eod(2025, 3, 30)) == timedelta(0)
    assert deadline.is_overdue(datetime(2025, 3, 31))
    assert deadline.time_left(datetime(2025, 3, 31, 1, 0)) < timedelta(0)
    assert deadline.time_left(datetime(2025, 3, 29, 23, 59, 59, 999999)) == timedelta(days=1)


def test_time_left_across_time_zones_is_elapsed_time():
    deadline = Deadline("transfer", datetime(2025, 3, 11, 14, 0, tzinfo=HCM), RULES[0])

    assert deadline.time_left(datetime(2025, 3, 11, 6, 0, tzinfo=UTC)) == timedelta(hours=1)
    assert not deadline.is_overdue(datetime(2025, 3, 11, 7, 0, tzinfo=UTC))
    assert deadline.is_overdue(datetime(2025, 3, 11, 7, 0, 1, tzinfo=UTC))


# --- Properties -----------------------------------------------------------------------------------------------------

UNITS = st.sampled_from(["hours", "calendar_days", "working_days", "months"])
ZONES = st.none() | st.sampled_from([UTC, timezone(timedelta(hours=7)), HCM, PARIS])
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=ZONES, allow_imaginary=False
)
AMOUNTS = st.integers(min_value=0, max_value=400)
CALENDARS = st.builds(
    Calendar,
    holidays=st.frozensets(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), max_size=20),
    weekend=st.frozensets(st.integers(min_value=0, max_value=6), max_size=6),
)
# Working days near a start date: holidays that can actually be hit.
NEAR_2025 = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2025, 12, 31), timezones=ZONES)
CALENDARS_2025 = st.builds(
    Calendar,
    holidays=st.frozensets(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 6, 30)), max_size=40),
    weekend=st.frozensets(st.integers(min_value=0, max_value=6), max_size=6),
)


def _amount_for(unit: str, amount: int) -> int:
    # Keep working days small so a six-day weekend stays fast; months small so dates stay in range.
    return amount % 60 if unit in {"working_days", "months"} else amount


@given(start=MOMENTS, a=AMOUNTS, b=AMOUNTS, unit=UNITS, calendar=CALENDARS)
def test_add_period_is_monotonic_and_never_before_start(start, a, b, unit, calendar):
    a, b = sorted((_amount_for(unit, a), _amount_for(unit, b)))

    shorter = add_period(start, a, unit, calendar)
    longer = add_period(start, b, unit, calendar)

    assert utc_key(start) <= utc_key(shorter) <= utc_key(longer)
    assert shorter.tzinfo is start.tzinfo
    assert longer.tzinfo is start.tzinfo


@given(start=MOMENTS, amount=AMOUNTS, unit=st.sampled_from(["calendar_days", "working_days", "months"]))
def test_day_based_periods_end_at_the_last_microsecond_of_a_day(start, amount, unit):
    due = add_period(start, _amount_for(unit, amount), unit, NO_HOLIDAYS)

    assert due.time() == END_OF_DAY
    assert due.tzinfo is start.tzinfo


@given(start=MOMENTS, amount=AMOUNTS)
def test_calendar_days_end_exactly_amount_days_later(start, amount):
    due = add_period(start, amount, "calendar_days", NO_HOLIDAYS)

    assert (due.date() - start.date()).days == amount


@given(start=NEAR_2025, amount=st.integers(min_value=0, max_value=40), calendar=CALENDARS_2025)
@settings(deadline=None)
def test_working_days_land_on_a_working_day_after_exactly_amount_of_them(start, amount, calendar):
    due = add_period(start, amount, "working_days", calendar)

    span = [start.date() + timedelta(days=n) for n in range(1, (due.date() - start.date()).days + 1)]
    assert sum(calendar.is_working_day(day) for day in span) == amount
    if amount:
        assert calendar.is_working_day(due.date())
    else:
        assert due.date() == start.date()


@given(start=MOMENTS, months=st.integers(min_value=0, max_value=60))
def test_months_keep_the_day_of_month_unless_the_month_is_shorter(start, months):
    due = add_period(start, months, "months", NO_HOLIDAYS)

    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    assert due.day == start.day or (due.day < start.day and (due + timedelta(days=1)).day == 1)


@given(received=MOMENTS, amount=AMOUNTS, extra=AMOUNTS, unit=UNITS, calendar=CALENDARS)
def test_remote_transfer_is_never_earlier(received, amount, extra, unit, calendar):
    amount = _amount_for(unit, amount)
    rules = [Rule("transfer", amount, unit, date(1990, 1, 1), remote_amount=amount + _amount_for(unit, extra))]

    near = transfer_deadline(received, remote=False, rules=rules, calendar=calendar)
    far = transfer_deadline(received, remote=True, rules=rules, calendar=calendar)

    assert utc_key(far.due) >= utc_key(near.due)


def _extension_rules(draw_amounts: tuple[int, ...], units: tuple[str, ...], present: tuple[bool, bool]) -> list[Rule]:
    (cap_inv, cap_proc, step_inv, step_proc, lead) = draw_amounts
    (cap_inv_unit, cap_proc_unit, step_inv_unit, step_proc_unit, lead_unit) = units
    since = date(1990, 1, 1)
    rules = [
        Rule("cap_investigation", _amount_for(cap_inv_unit, cap_inv), cap_inv_unit, since),
        Rule("cap_procuracy", _amount_for(cap_proc_unit, cap_proc), cap_proc_unit, since),
        Rule("extension_request_lead", _amount_for(lead_unit, lead), lead_unit, since),
    ]
    # A per-extension length is optional data: with none, only the cap from receipt limits.
    if present[0]:
        rules.append(Rule("extend_investigation", _amount_for(step_inv_unit, step_inv), step_inv_unit, since))
    if present[1]:
        rules.append(Rule("extend_procuracy", _amount_for(step_proc_unit, step_proc), step_proc_unit, since))
    return rules


EXTENSION_RULES = st.builds(
    _extension_rules,
    st.tuples(*[AMOUNTS] * 5),
    st.tuples(*[UNITS] * 5),
    st.tuples(st.booleans(), st.booleans()),
)
# Fixed offsets only: on a DST zone wall-clock arithmetic in the test itself would need its own care.
STEADY_MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2080, 12, 31),
    timezones=st.none() | st.sampled_from([UTC, timezone(timedelta(hours=7)), HCM]),
)


@given(
    received=STEADY_MOMENTS,
    rules=EXTENSION_RULES,
    calendar=CALENDARS,
    by=st.sampled_from(["investigation", "procuracy"]),
    days=st.integers(0, 30),
)
def test_the_limit_is_the_tighter_of_the_cap_from_receipt_and_one_extension(received, rules, calendar, by, days):
    current = add_period(received, days, "calendar_days", calendar)
    limit = extension_limit(current, by=by, received_at=received, rules=rules, calendar=calendar)

    cap = rule_in_force(rules, f"cap_{by}", received.date())
    from_receipt = add_period(received, cap.amount, cap.unit, calendar)
    assert utc_key(limit.due) <= utc_key(from_receipt)
    candidates = [from_receipt]
    if any(rule.code == f"extend_{by}" for rule in rules):
        step = rule_in_force(rules, f"extend_{by}", received.date())
        after_current = add_period(current, step.amount, step.unit, calendar)
        assert utc_key(limit.due) <= utc_key(after_current)
        candidates.append(after_current)
    assert limit.due in candidates


def _months_after(day: date, months: int) -> date:
    """Hand arithmetic, independent of the engine: the same day `months` later, or that month's last day."""
    year, month = day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


LAWFUL = tuple(rule for rule in RULES if rule.code != "transfer")
OFFSETS = st.integers(min_value=-10 * 24 * 60, max_value=200 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes))


@given(
    received=st.datetimes(min_value=datetime(2018, 1, 1), max_value=datetime(2080, 12, 31), timezones=st.just(HCM)),
    first=OFFSETS,
    second=OFFSETS,
    order=st.sampled_from([("investigation", "procuracy"), ("procuracy", "investigation")]),
    early=st.booleans(),
)
@settings(deadline=None)
def test_no_deadline_ever_passes_its_legal_cap(received, first, second, order, early):
    """Whatever extensions are asked for, in whichever order: CPC Art. 147(1)–(2) as the seeded rules say."""
    due = resolution_deadline(received, rules=LAWFUL, calendar=NO_HOLIDAYS).due
    assert due == datetime.combine(received.date() + timedelta(days=20), END_OF_DAY, tzinfo=HCM)
    two_months = datetime.combine(_months_after(received.date(), 2), END_OF_DAY, tzinfo=HCM)
    four_months = datetime.combine(_months_after(received.date(), 4), END_OF_DAY, tzinfo=HCM)
    extended_by: set[str] = set()
    for by, offset in zip(order, (first, second), strict=True):
        new_due = due + offset
        requested = due - timedelta(days=6 if early else 4)
        try:
            check_extension(
                new_due,
                current_due=due,
                by=by,
                received_at=received,
                requested_at=requested,
                rules=LAWFUL,
                calendar=NO_HOLIDAYS,
            )
        except ExtensionRefused:
            continue
        assert new_due > due
        assert by == "investigation" or early  # a late request is never granted
        if by == "procuracy":
            assert new_due <= datetime.combine(_months_after(due.date(), 2), END_OF_DAY, tzinfo=HCM)
        due = new_due
        extended_by.add(by)
        assert due <= (four_months if "procuracy" in extended_by else two_months)


@given(
    received=STEADY_MOMENTS,
    rules=EXTENSION_RULES,
    calendar=CALENDARS,
    by=st.sampled_from(["investigation", "procuracy"]),
    data=st.data(),
)
@settings(deadline=None)
def test_check_extension_accepts_exactly_the_lawful_window(received, rules, calendar, by, data):
    current = add_period(received, data.draw(st.integers(0, 30), label="days"), "calendar_days", calendar)
    limit = extension_limit(current, by=by, received_at=received, rules=rules, calendar=calendar).due
    latest = extension_request_latest(current, received_at=received, rules=rules, calendar=calendar)
    tick = timedelta(microseconds=1)
    wide = timedelta(days=400)
    new_due = data.draw(
        st.sampled_from([current - tick, current, current + tick, limit - tick, limit, limit + tick])
        | st.datetimes(
            min_value=(current - wide).replace(tzinfo=None),
            max_value=(limit + wide).replace(tzinfo=None),
        ).map(lambda moment: moment.replace(tzinfo=current.tzinfo)),
        label="new_due",
    )
    requested_at = data.draw(
        st.none() | st.sampled_from([latest - tick, latest, latest + tick]) | st.just(received), label="requested_at"
    )

    lawful = current < new_due <= limit and (
        by == "investigation" or (requested_at is not None and requested_at <= latest)
    )
    try:
        check_extension(
            new_due,
            current_due=current,
            by=by,
            received_at=received,
            requested_at=requested_at,
            rules=rules,
            calendar=calendar,
        )
    except ExtensionRefused:
        assert not lawful
    else:
        assert lawful


@given(due=MOMENTS, now=MOMENTS)
def test_time_left_plus_now_is_due(due, now):
    assume((due.tzinfo is None) == (now.tzinfo is None))
    deadline = Deadline("resolve", due, RULES[1])

    left = deadline.time_left(now)

    assert utc_key(now) + left == utc_key(due)
    assert deadline.is_overdue(now) == (left < timedelta(0))
    if due.tzinfo is now.tzinfo and due.tzinfo not in (PARIS,):
        assert now + left == due


# -- same-day notices (Residence Law Art. 30(4): lưu trú before 23:00, else before 08:00 next day) --

LUU_TRU = {"cutoff": time(23, 0), "next_day_by": time(8, 0)}


def test_a_stay_starting_in_the_evening_is_notified_before_23_00_the_same_day():
    arrived = datetime(2026, 12, 4, 19, 30, tzinfo=HCM)
    assert notice_cutoff(arrived, **LUU_TRU) == datetime(2026, 12, 4, 23, 0, tzinfo=HCM)


def test_a_stay_starting_after_23_00_is_notified_before_08_00_the_next_day():
    arrived = datetime(2026, 12, 31, 23, 40, tzinfo=HCM)
    assert notice_cutoff(arrived, **LUU_TRU) == datetime(2027, 1, 1, 8, 0, tzinfo=HCM)


def test_arriving_exactly_at_the_cutoff_moves_the_notice_to_the_next_morning():
    arrived = datetime(2026, 12, 4, 23, 0, tzinfo=HCM)
    assert notice_cutoff(arrived, **LUU_TRU) == datetime(2026, 12, 5, 8, 0, tzinfo=HCM)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)),
    st.times(),
    st.times(),
)
def test_a_cutoff_notice_is_never_due_before_the_event_nor_after_the_next_day(start, cutoff, next_day_by):
    moment = start.replace(tzinfo=HCM)
    due = notice_cutoff(moment, cutoff=cutoff, next_day_by=next_day_by)
    assert due.tzinfo is HCM
    assert (due - moment) < timedelta(days=2)
    assert due.date() in (moment.date(), moment.date() + timedelta(days=1))
    if due.date() == moment.date():
        assert due > moment
