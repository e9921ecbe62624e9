import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cax.core.text import search_key, vn_duration


def test_search_key_strips_vietnamese_diacritics_and_case():
    assert search_key("Xã Đắk Hà") == "xa dak ha"
    assert search_key("  PHƯỜNG   Hoàn Kiếm ") == "phuong hoan kiem"
    assert search_key("Đăk") == search_key("Đắk") == "dak"


def test_search_key_of_nothing_is_empty():
    assert search_key(None) == ""
    assert search_key("") == ""


@given(st.text())
def test_search_key_is_idempotent(text):
    assert search_key(search_key(text)) == search_key(text)


@given(st.text(alphabet="aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐ àáảãạằắẳẵặầấẩẫậ", max_size=30))
def test_search_key_is_plain_ascii_for_vietnamese_letters(text):
    assert search_key(text).isascii()


# --- vn_duration: the one way a time left or overdue is said --------------------------------------------------------

MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("delta", "said"),
    [
        (22 * HOUR + 52 * MINUTE + dt.timedelta(seconds=40), "còn 22 giờ 52 phút"),
        (-(2 * 365 * DAY + 8 * 30 * DAY + 3 * DAY), "quá hạn 2 năm 8 tháng"),
        (3 * DAY + 4 * HOUR + 59 * MINUTE, "còn 3 ngày 4 giờ"),
        (3 * DAY + 15 * MINUTE, "còn 3 ngày"),  # the unit below is zero: not skipped to the minutes
        (45 * DAY, "còn 1 tháng 15 ngày"),
        (-(MINUTE * 5), "quá hạn 5 phút"),
        (dt.timedelta(seconds=20), "còn dưới 1 phút"),
        (dt.timedelta(0), "còn dưới 1 phút"),
        (-dt.timedelta(seconds=1), "quá hạn dưới 1 phút"),
    ],
)
def test_vn_duration_says_the_two_largest_units(delta, said):
    with translation.override("vi"):
        assert vn_duration(delta) == said


def test_vn_duration_without_a_sign_is_the_bare_length():
    with translation.override("vi"):
        assert vn_duration(-(3 * DAY + 4 * HOUR), signed=False) == "3 ngày 4 giờ"


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_vn_duration_is_english_when_the_language_is(english):
    assert vn_duration(22 * HOUR + 52 * MINUTE) == "22 hours 52 minutes left"
    assert vn_duration(-(2 * 365 * DAY + 8 * 30 * DAY)) == "2 years 8 months overdue"
    assert vn_duration(DAY + HOUR) == "1 day 1 hour left"
    assert vn_duration(dt.timedelta(seconds=5)) == "less than a minute left"


def test_the_template_filters_say_the_same(english):
    from django.template import Context, Template

    now = dt.datetime(2025, 9, 10, 14, 0, tzinfo=dt.UTC)
    template = Template("{% load cax_tags %}{{ due|time_left:now }}|{{ delta|vn_duration }}")
    rendered = template.render(Context({"due": now + 3 * DAY + 4 * HOUR, "now": now, "delta": -5 * MINUTE}))
    assert rendered == "3 days 4 hours left|5 minutes overdue"
