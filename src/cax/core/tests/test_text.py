from hypothesis import given
from hypothesis import strategies as st

from cax.core.text import search_key


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
