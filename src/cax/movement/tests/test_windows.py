"""The pure calendar arithmetic against hand-computed cases from the notes, and property tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cax.movement.windows import Window, add_months, excellent_cap, full_months, has_run

D = dt.date
RESIDENTIAL = Window(11, 1, 10, 31)  # TT 124/2021 Art. 8(2): 01/11 of the previous year → 31/10
COMMUNE = Window(11, 16, 11, 15)  # communes, agencies, enterprises, schools: 16/11 → 15/11
RATING = Window(11, 15, 11, 14)  # HD 01/HD-BCA-V05: 15/11 → 14/11


def test_windows_of_a_year_as_the_circular_reads():
    assert RESIDENTIAL.of(2025) == (D(2024, 11, 1), D(2025, 10, 31))
    assert COMMUNE.of(2025) == (D(2024, 11, 16), D(2025, 11, 15))
    assert RATING.of(2026) == (D(2025, 11, 15), D(2026, 11, 14))


def test_the_year_whose_window_ended_and_the_year_a_day_falls_in():
    assert RATING.year_ending_on_or_before(D(2026, 11, 14)) == 2026
    assert RATING.year_ending_on_or_before(D(2026, 11, 13)) == 2025
    assert COMMUNE.year_containing(D(2025, 11, 15)) == 2025
    assert COMMUNE.year_containing(D(2025, 11, 16)) == 2026


def test_nine_months_of_running():
    # A team established 15/02/2026 has run 8 whole months on 14/11/2026: not rated that year.
    assert full_months(D(2026, 2, 15), D(2026, 11, 14)) == 8
    assert not has_run(D(2026, 2, 15), D(2026, 11, 14), 9)
    assert has_run(D(2026, 2, 14), D(2026, 11, 14), 9)
    assert add_months(D(2026, 5, 31), 9) == D(2027, 2, 28)


def test_the_cap_on_excellent_by_hand():
    assert excellent_cap(20, 4) == 0
    assert excellent_cap(20, 5) == 1
    assert excellent_cap(20, 14) == 2


@given(st.integers(0, 100), st.integers(0, 10_000))
def test_the_cap_never_exceeds_its_share_and_grows_with_the_base(percent, base):
    cap = excellent_cap(percent, base)
    assert 0 <= cap <= base
    assert cap * 100 <= percent * base < (cap + 1) * 100
    assert excellent_cap(percent, base + 1) >= cap


@given(st.dates(D(2000, 1, 1), D(2100, 1, 1)), st.dates(D(2000, 1, 1), D(2100, 1, 1)), st.integers(0, 60))
def test_has_run_agrees_with_full_months(first, last, months):
    assert has_run(first, last, months) == (first <= last and full_months(first, last) >= months)


@given(st.integers(2001, 2199), st.sampled_from([RESIDENTIAL, COMMUNE, RATING]))
def test_consecutive_windows_tile_the_calendar(year, window):
    _start, end = window.of(year - 1)
    start, _end = window.of(year)
    assert start == end + dt.timedelta(days=1)
