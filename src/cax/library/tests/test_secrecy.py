"""The pure secrecy rules, against the law's text (Law 29/2018 Art. 19, Civil Code Art. 148) and
as properties: which row is in force on a day, and how long a protection period is."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cax.library import secrecy
from cax.library.secrecy import RuleRow

OLD = RuleRow(dt.date(2020, 7, 1), dt.date(2026, 2, 28), "Luật 29/2018/QH14", "khoản 5 Điều 5")
NEW = RuleRow(dt.date(2026, 3, 1), None, "Luật 117/2025/QH15", "Điều 5", verified=False)
PERIODS = [
    RuleRow(dt.date(2020, 7, 1), dt.date(2026, 2, 28), "29/2018 Điều 19", years=y, level=lvl)
    for lvl, y in (("mat", 10), ("toi_mat", 20), ("tuyet_mat", 30))
] + [
    RuleRow(dt.date(2026, 3, 1), None, "117/2025", years=y, level=lvl, verified=False)
    for lvl, y in (("mat", 10), ("toi_mat", 20), ("tuyet_mat", 30))
]


@pytest.mark.parametrize(
    ("day", "law"),
    [
        (dt.date(2020, 6, 30), None),
        (dt.date(2020, 7, 1), OLD),
        (dt.date(2026, 2, 28), OLD),
        (dt.date(2026, 3, 1), NEW),
        (dt.date(2040, 1, 1), NEW),
    ],
)
def test_the_law_in_force_changes_on_1_march_2026(day, law):
    assert secrecy.in_force([OLD, NEW], day) == law


@pytest.mark.parametrize(
    ("level", "classified", "until", "verified"),
    [
        ("mat", dt.date(2025, 5, 10), dt.date(2035, 5, 10), True),  # 10 years, Art. 19
        ("toi_mat", dt.date(2025, 5, 10), dt.date(2045, 5, 10), True),  # 20 years
        ("tuyet_mat", dt.date(2025, 5, 10), dt.date(2055, 5, 10), True),  # 30 years
        ("mat", dt.date(2024, 2, 29), dt.date(2034, 2, 28), True),  # no 29/02 in 2034: its month's last day
        ("mat", dt.date(2026, 3, 1), dt.date(2036, 3, 1), False),  # Law 117/2025: figures [U]
    ],
)
def test_protection_periods_by_hand(level, classified, until, verified):
    end, row = secrecy.protection_end(classified, PERIODS, level)
    assert end == until
    assert row.verified is verified


def test_no_rule_before_the_law_means_no_computed_period():
    assert secrecy.protection_end(dt.date(2019, 1, 1), PERIODS, "mat") is None


def test_levels():
    assert not secrecy.is_secret("none")
    assert all(secrecy.is_secret(level) for level in ("mat", "toi_mat", "tuyet_mat"))
    with pytest.raises(ValueError, match="unknown secrecy level"):
        secrecy.is_secret("bogus")


@given(st.dates(min_value=dt.date(2020, 7, 1), max_value=dt.date(2100, 12, 31)), st.sampled_from(PERIODS))
def test_a_period_lasts_its_years_give_or_take_a_leap_day(day, period):
    found = secrecy.protection_end(day, PERIODS, period.level)
    assert found is not None
    end, row = found
    assert row.level == period.level
    assert row.effective_from <= day
    assert row.effective_to is None or day <= row.effective_to
    days = (end - day).days
    assert 365 * row.years <= days <= 366 * row.years
    assert end.year == day.year + row.years
    # Secrecier is never shorter: the same day under a higher level ends no earlier.
    higher = secrecy.LEVELS[secrecy.LEVELS.index(row.level) :]
    ends = [secrecy.protection_end(day, PERIODS, lvl)[0] for lvl in higher]
    assert ends == sorted(ends)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_at_most_one_law_is_in_force_and_it_covers_the_day(day):
    row = secrecy.in_force([OLD, NEW], day)
    if day < OLD.effective_from:
        assert row is None
    else:
        assert row.effective_from <= day
        assert row.effective_to is None or day <= row.effective_to
