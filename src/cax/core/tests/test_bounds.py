"""The one place of sane ranges (cax.core.bounds, #16.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

from cax.core.bounds import MAX_DAY, MIN_DAY, Day, DayField, Moment, OutOfRange, Page, check_day, day_from_text
from cax.core.exceptions import DomainError


@pytest.mark.parametrize("day", [MIN_DAY, MAX_DAY, dt.date(2025, 7, 1)])
def test_days_in_range_pass(day):
    assert TypeAdapter(Day).validate_python(day) == day
    assert check_day(day) == day


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_days_out_of_range_are_refused(text):
    with pytest.raises(ValidationError, match="1900"):
        TypeAdapter(Day).validate_python(text)
    with pytest.raises(OutOfRange):
        check_day(dt.date.fromisoformat(text))


def test_moments_out_of_range_are_refused():
    with pytest.raises(ValidationError):
        TypeAdapter(Moment).validate_python("9999-12-31T23:59:59")
    assert TypeAdapter(Moment).validate_python("2025-07-01T08:00:00").year == 2025


@pytest.mark.parametrize("page", [0, -1, 10**12])
def test_pages_are_bounded(page):
    with pytest.raises(ValidationError):
        TypeAdapter(Page).validate_python(page)


def test_the_form_field_refuses_out_of_range_and_is_a_dd_mm_yyyy_box():
    field = DayField(required=False)
    html = field.widget.render("day", dt.date(2026, 12, 3))
    assert 'type="text"' in html
    assert 'value="03/12/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert field.clean("2025-07-01") == dt.date(2025, 7, 1)
    assert field.clean("1/7/2025") == field.clean("01/07/2025") == dt.date(2025, 7, 1)
    with pytest.raises(Exception, match="1900"):
        field.clean("0001-01-01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), ("  ", None), ("03/12/2026", dt.date(2026, 12, 3)), ("2026-12-03", dt.date(2026, 12, 3))],
)
def test_a_date_in_a_query_string_is_read_the_vietnamese_way_or_iso(text, expected):
    assert day_from_text(text, "first") == expected


@pytest.mark.parametrize("text", ["12/31/2026", "31/02/2026", "hôm qua", "0001-01-01", "9999-12-31"])
def test_a_date_in_a_query_string_that_is_no_date_or_out_of_range_says_how_to_write_one(text):
    with pytest.raises(DomainError) as caught:
        day_from_text(text, "first")
    assert "first" in caught.value.fields
    assert "dd/mm/yyyy" in str(caught.value) or "1900" in str(caught.value)
