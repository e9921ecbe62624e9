"""The pure calculation: hand-computed cases from the notes' figures, and its properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from cax.regimes.entitlements import (
    CALENDAR_DAYS,
    FIRST_DAY,
    AreaSpan,
    PostingSpan,
    RateRow,
    add_years,
    entitlements,
    month_amounts,
    served_since,
)

HANOI, KONTUM = 1, 2
D = dt.date


def rate(
    rate_id,
    code,
    amount,
    start,
    *,
    group="",
    province=None,
    attributes=(),
    speciality="",
    end=None,
    proration=CALENDAR_DAYS,
):
    return RateRow(rate_id, code, group, province, frozenset(attributes), "", speciality, amount, start, end, proration)


NQ38 = rate(1, "HN-NQ38", 1_800_000, D(2025, 1, 1), group="HN", province=HANOI, speciality="criminal_police")
HN2025 = rate(2, "HN-2025", 4_960_000, D(2025, 11, 27), group="HN", province=HANOI)
REMOTE = rate(3, "VUNG", 1_638_000, D(2024, 7, 1), attributes=("remote",))


def month(postings, year, month_, *, areas=(), rates=(NQ38, HN2025, REMOTE), specialities=frozenset()):
    items = entitlements(
        postings=postings,
        areas=list(areas),
        rates=list(rates),
        specialities=specialities,
        first=D(year, month_, 1),
        last=D(year, month_, 28 if month_ == 2 else 30 if month_ in (4, 6, 9, 11) else 31),
    )
    return month_amounts(items, year, month_)


def test_hanoi_criminal_police_officer_gets_the_highest_rate_from_27_november_2025():
    posting = [PostingSpan(10, HANOI, "officer", D(2025, 7, 1), None)]
    criminal = frozenset({"criminal_police"})

    # 26 days at 1,800,000 and 4 days at 4,960,000 of a 30-day month: 1,560,000 + 661,333.33.
    assert month(posting, 2025, 11, specialities=criminal) == {"HN-2025": 661_333, "HN-NQ38": 1_560_000}
    assert month(posting, 2025, 12, specialities=criminal) == {"HN-2025": 4_960_000}
    assert month(posting, 2025, 10, specialities=criminal) == {"HN-NQ38": 1_800_000}


def test_hanoi_officer_who_is_not_criminal_police_gets_only_the_2025_support():
    posting = [PostingSpan(10, HANOI, "officer", D(2025, 7, 1), None)]

    assert month(posting, 2025, 10) == {}
    assert month(posting, 2025, 11) == {"HN-2025": 661_333}


def test_remote_allowance_follows_the_posting_and_ends_with_the_transfer():
    # Posted to a remote border commune on 10/03/2025, transferred to a city ward on 20/05/2025
    # (the old posting ends 19/05): 22/31, 30/30 and 19/31 of 1,638,000.
    postings = [
        PostingSpan(20, KONTUM, "officer", D(2025, 3, 10), D(2025, 5, 19)),
        PostingSpan(21, KONTUM, "officer", D(2025, 5, 20), None),
    ]
    areas = [AreaSpan(20, "remote", D(2020, 1, 1), None), AreaSpan(20, "border", D(2020, 1, 1), None)]

    assert month(postings, 2025, 3, areas=areas) == {"VUNG": 1_162_452}  # 1,638,000 × 22 / 31 = 1,162,451.6
    assert month(postings, 2025, 4, areas=areas) == {"VUNG": 1_638_000}
    assert month(postings, 2025, 5, areas=areas) == {"VUNG": 1_003_935}  # × 19 / 31 = 1,003,935.48
    assert month(postings, 2025, 6, areas=areas) == {}


def test_a_classification_ended_today_does_not_change_the_past():
    postings = [PostingSpan(20, KONTUM, "officer", D(2025, 1, 1), None)]
    areas = [AreaSpan(20, "remote", D(2020, 1, 1), D(2025, 4, 30))]

    assert month(postings, 2025, 4, areas=areas) == {"VUNG": 1_638_000}
    assert month(postings, 2025, 5, areas=areas) == {}


def test_first_day_proration_pays_the_whole_month_only_when_in_force_on_the_first():
    whole = rate(4, "NHA-O", 500_000, D(2025, 1, 1), proration=FIRST_DAY)
    late = [PostingSpan(20, KONTUM, "officer", D(2025, 3, 2), None)]
    early = [PostingSpan(20, KONTUM, "officer", D(2025, 3, 1), D(2025, 3, 5))]

    assert month(late, 2025, 3, rates=[whole]) == {"NHA-O": 0}
    assert month(late, 2025, 4, rates=[whole]) == {"NHA-O": 500_000}
    assert month(early, 2025, 3, rates=[whole]) == {"NHA-O": 500_000}


def test_time_served_counts_back_to_back_postings_in_the_same_commune():
    postings = [
        PostingSpan(5, KONTUM, "officer", D(2018, 1, 1), D(2019, 12, 31)),
        PostingSpan(6, KONTUM, "officer", D(2020, 1, 1), D(2021, 6, 30)),
        PostingSpan(6, KONTUM, "deputy", D(2021, 7, 1), None),
    ]

    assert served_since(postings, D(2025, 1, 1)).start == D(2020, 1, 1)
    assert add_years(D(2020, 2, 29), 5) == D(2025, 2, 28)


# -- properties --------------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=400).map(lambda n: D(2025, 1, 1) + dt.timedelta(days=n))
amounts = st.integers(min_value=1, max_value=10_000_000)


@st.composite
def rate_rows(draw):
    count = draw(st.integers(min_value=1, max_value=5))
    rows = []
    for index in range(count):
        start = draw(days)
        end = draw(st.one_of(st.none(), days.filter(lambda d, s=start: d >= s)))
        rows.append(
            rate(
                index + 1,
                draw(st.sampled_from(["A", "B", "C"])),
                draw(amounts),
                start,
                group=draw(st.sampled_from(["", "G"])),
                attributes=draw(st.sampled_from([(), ("remote",)])),
                end=end,
            )
        )
    return rows


@st.composite
def case(draw):
    start = draw(days)
    end = draw(st.one_of(st.none(), days.filter(lambda d, s=start: d >= s)))
    posting = PostingSpan(7, KONTUM, "officer", start, end)
    area_start = draw(days)
    areas = [AreaSpan(7, "remote", area_start, draw(st.one_of(st.none(), days.filter(lambda d, s=area_start: d >= s))))]
    return posting, areas, draw(rate_rows())


SPAN = (dt.date(2025, 1, 1), dt.date(2026, 3, 31))


def _all(postings, areas, rates):
    return entitlements(postings=postings, areas=areas, rates=rates, first=SPAN[0], last=SPAN[1])


@settings(max_examples=150, deadline=None)
@given(case())
def test_never_more_than_the_highest_rate_of_a_group_on_any_day(data):
    posting, areas, rates = data
    items = _all([posting], areas, rates)
    top = max(r.amount for r in rates)
    grouped = {r.type_code for r in rates if r.group}
    for day in (posting.start, posting.start + dt.timedelta(days=17)):
        on_day = [i for i in items if i.start <= day <= i.end]
        assert len({i.type_code for i in on_day}) == len(on_day)  # one rate per type
        in_group = [
            i for i in on_day if i.type_code in grouped and any(r.rate_id == i.rate_id and r.group for r in rates)
        ]
        assert len(in_group) <= 1
        assert all(i.amount <= top for i in on_day)


@settings(max_examples=150, deadline=None)
@given(case(), st.integers(min_value=1, max_value=12))
def test_a_month_never_exceeds_the_highest_rate_of_its_type(data, month_):
    posting, areas, rates = data
    owed = month_amounts(_all([posting], areas, rates), 2025, month_)
    for code, amount in owed.items():
        assert amount <= max(r.amount for r in rates if r.type_code == code)


@settings(max_examples=150, deadline=None)
@given(case(), st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=12))
def test_splitting_a_posting_at_any_day_changes_nothing(data, offset, month_):
    posting, areas, rates = data
    cut = posting.start + dt.timedelta(days=offset)
    if posting.end is not None and cut > posting.end:
        return
    halves = [
        PostingSpan(posting.unit_id, posting.province_id, posting.role, posting.start, cut - dt.timedelta(days=1)),
        PostingSpan(posting.unit_id, posting.province_id, posting.role, cut, posting.end),
    ]
    whole = _all([posting], areas, rates)
    split = _all(halves, areas, rates)

    assert month_amounts(split, 2025, month_) == month_amounts(whole, 2025, month_)
    assert split == whole
