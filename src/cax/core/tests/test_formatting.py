"""The formatting layer, by hand-written cases and by properties (issue 17.1)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cax.core import formatting
from cax.core.testing.pagewalk import number_problems, page_text

D = decimal.Decimal


@pytest.mark.parametrize(
    ("call", "vi", "en"),
    [
        (lambda: formatting.number(1234), "1.234", "1,234"),
        (lambda: formatting.number(3281), "3.281", "3,281"),
        (lambda: formatting.number(D("1234.50")), "1.234,5", "1,234.5"),
        (lambda: formatting.number(1234.56, 1), "1.234,6", "1,234.6"),
        (lambda: formatting.number(-1234567.891, 2), "-1.234.567,89", "-1,234,567.89"),
        (lambda: formatting.number(D("300")), "300", "300"),
        (lambda: formatting.number(0.1), "0,1", "0.1"),
        (lambda: formatting.number("335.75"), "335,75", "335.75"),
        (lambda: formatting.number(None), "", ""),
        (lambda: formatting.percent(54.5), "54,5%", "54.5%"),
        (lambda: formatting.percent(88.46), "88,5%", "88.5%"),
        (lambda: formatting.percent(100.0), "100%", "100%"),
        (lambda: formatting.percent(None), "—", "—"),
        (lambda: formatting.money(D("5600000000")), "5.600.000.000 đ", "5,600,000,000 VND"),
        (lambda: formatting.date(dt.date(2025, 3, 5)), "05/03/2025", "05/03/2025"),
        (
            lambda: formatting.duration(dt.timedelta(hours=22, minutes=22)),
            "còn 22 giờ 22 phút",
            "22 hours 22 minutes left",
        ),
        (lambda: formatting.display(True), "Có", "Yes"),
        (lambda: formatting.display(D("1.50")), "1,5", "1.5"),
    ],
)
def test_vietnamese_first_and_english(call, vi, en):
    with translation.override("vi"):
        assert call() == vi
    with translation.override("en"):
        assert call() == en


def test_machine_values_are_never_localized():
    with translation.override("vi"):
        assert formatting.machine(520.0) == "520"
        assert formatting.machine(520.25) == "520.25"
        assert formatting.machine(D("1.50")) == "1.5"
        assert formatting.machine(12345) == "12345"
        assert formatting.machine(33.333, 1) == "33.3"
        assert formatting.machine(True) == "true"


def test_filters_in_a_template():
    template = Template(
        '{{ n|num }} {{ x|num:1 }} {{ p|pct }} {{ m|money }} {{ d|day }} <rect width="{{ w|raw:1 }}"/> {{ b|show }}'
    )
    context = Context(
        {"n": 3281, "x": 54.54, "p": 54.5, "m": 5600000000, "d": dt.date(2025, 3, 5), "w": 520.04, "b": False}
    )
    with translation.override("vi"):
        assert template.render(context) == '3.281 54,5 54,5% 5.600.000.000 đ 05/03/2025 <rect width="520.0"/> Không'


def test_a_yes_no_is_not_a_number():
    with pytest.raises(TypeError):
        formatting.number(True)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_vietnamese_numbers_read_back_exactly(value):
    """Grouping and the decimal comma lose nothing: dropping the dots and turning the comma back
    gives the same number, and the page checker accepts what the layer writes."""
    with translation.override("vi"):
        shown = formatting.number(value)
    assert D(shown.replace(".", "").replace(",", ".")) == value
    assert number_problems(shown.lstrip("-"), "vi") == []


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_percentages_stay_within_their_rounding(value):
    with translation.override("vi"):
        shown = formatting.percent(value)
    assert shown.endswith("%")
    assert abs(D(shown[:-1].replace(".", "").replace(",", ".")) - D(repr(value))) <= D("0.05")


@pytest.mark.parametrize(
    ("text", "language", "bad"),
    [
        ("54.5%", "vi", True),
        ("54,5%", "vi", False),
        ("1.081 cán bộ", "vi", False),
        ("3281 cán bộ", "vi", True),
        ("5600000000 đ", "vi", True),
        ("5.600.000.000 đ", "vi", False),
        ("Nghị định 30/2020/NĐ-CP", "vi", False),
        ("54,5%", "en", True),
        ("1,081 officers", "en", False),
    ],
)
def test_the_page_checker_tells_foreign_number_forms(text, language, bad):
    assert bool(number_problems(text, language)) is bad


def test_the_page_checker_reads_svg_geometry_and_skips_codes():
    text = page_text('<svg><rect width="520,0" height="4"/></svg><span class="code">23500</span><p>Xã</p>')
    assert text.geometry == ["<rect width='520,0'>"]
    assert "23500" not in text.texts
