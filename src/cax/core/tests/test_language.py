"""No English, no internal codes in the Vietnamese interface; no Vietnamese in the English one (issue 17.2).

The page walk (test_page_formats.py) reads every page of the demo province in both languages; the
tests here check what a walk of GET pages cannot reach: that every message the sources mark is in
the English catalog, that Django's own messages are Vietnamese, that form errors name fields by
their labels, and that the page walk's readers find what they are meant to find.
"""

from __future__ import annotations

import gettext as gettext_module
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cax.cases.tests.test_views import FORM
from cax.core.testing.catalog import computed_messages, source_messages
from cax.core.testing.pagewalk import leftover_problems, page_text
from cax.core.tests.test_i18n import PO_FILE, parse_po

SOURCES = Path(settings.BASE_DIR)
VI_DIR = SOURCES / "locale" / "vi" / "LC_MESSAGES"
DJANGO_VI = [
    Path(django.__file__).parent / where / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    for where in ("conf", "contrib/admin", "contrib/auth")
]


def test_every_message_the_sources_mark_is_in_the_english_catalog():
    """A message added since makemessages last ran shows in Vietnamese on English pages."""
    catalog = {(e["msgctxt"], e["msgid"]) for e in parse_po(PO_FILE.read_text(encoding="utf-8"))}
    messages = source_messages(SOURCES)
    assert len(messages) > 2000, "the reader found too few messages: has the layout changed?"
    missing = sorted({f"{m.where}: {m.msgid!r}" for m in messages if m.key not in catalog})
    assert missing == [], (
        "not in locale/en/LC_MESSAGES/django.po: run makemessages -l en, translate, compile\n" + "\n".join(missing)
    )


def test_no_message_is_computed_where_it_is_translated():
    assert computed_messages(SOURCES) == []


def test_the_vietnamese_catalog_only_completes_djangos_and_is_compiled():
    entries = parse_po((VI_DIR / "django.po").read_text(encoding="utf-8"))[1:]
    django_msgids = {e["msgid"] for path in DJANGO_VI for e in parse_po(path.read_text(encoding="utf-8"))}
    assert entries
    assert [e["msgid"] for e in entries if e["msgid"] not in django_msgids] == [], "not a message of Django"
    assert [e["msgid"] for e in entries if not all(f.strip() for f in _forms(e))] == []
    with (VI_DIR / "django.mo").open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)
    stale = [e["msgid"] for e in entries if e["msgid_plural"] is None and compiled.gettext(e["msgid"]) != e["msgstr"]]
    assert stale == [], "run: cd src/cax/locale/vi/LC_MESSAGES && msgfmt -o django.mo django.po"


def _forms(entry: dict) -> list[str]:
    return entry["msgstr"] if isinstance(entry["msgstr"], list) else [entry["msgstr"]]


@pytest.mark.parametrize(
    ("call", "vietnamese"),
    [
        (lambda: _model_error("DateField", "2024-02-31"), "Ngày “2024-02-31” không có thật: nhập theo dạng dd/mm/yyyy"),
        (lambda: _model_error("DateField", "31/02/2024"), "“31/02/2024” không phải là ngày: nhập theo dạng dd/mm/yyyy"),
        (lambda: _model_error("IntegerField", "mười"), "“mười” không phải là số nguyên."),
        (lambda: _model_error("DecimalField", "1,5,0"), "“1,5,0” không phải là số"),
    ],
)
def test_djangos_messages_that_its_vietnamese_catalog_misses_are_vietnamese(call, vietnamese):
    with translation.override("vi"):
        assert call().startswith(vietnamese)
    with translation.override("en"):
        assert "value" in call()  # English stays Django's own


def _model_error(field: str, value: str) -> str:
    from django.core.exceptions import ValidationError
    from django.db import models

    try:
        getattr(models, field)().to_python(value)
    except ValidationError as exc:
        return exc.messages[0]
    raise AssertionError(f"{value!r} passed {field}")


def test_a_date_typed_wrong_on_a_django_field_is_refused_in_vietnamese(cast, login):
    """Django's own message comes from its Vietnamese catalog (LANGUAGE_CODE "vi")."""
    response = login(cast.commune_officer).post(
        reverse("cases:register", args=[cast.commune_a.pk]), {**FORM, "received_at": "31/02/2025 14:00"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nhập một ngày/thời gian hợp lệ." in body
    assert "Enter a valid" not in body


def test_a_day_typed_wrong_says_how_to_write_one_under_the_fields_label(cast, login):
    response = login(cast.province_leader).get(
        reverse("deployment:staffing", args=[cast.province_a.pk]), {"as_of": "31/02/2025"}
    )
    body = response.content.decode()
    assert "<li>Số liệu tại ngày: Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024.</li>" in body
    assert not [t for t in page_text(body).texts if "as_of" in t]  # the key stays in the markup


@pytest.mark.parametrize(
    "text",
    [
        "29/10/2026 15:10 (transfer)",
        "29/10/2026 15:10 (resolve)",
        "Chưa gửi được báo cáo: can_cuoc: Chưa nhập.",
        "File is not a zip file",
        "Enter a valid date.",
        "còn 22 hours, 22 minutes",
    ],
)
def test_the_vietnamese_reader_finds_codes_and_english_library_texts(text):
    assert leftover_problems([text], "vi", set())


@pytest.mark.parametrize("text", ["Xã Đăk Hà (23500)", "Hạn: 24/11/2026 (thời hạn chuyển nguồn tin)", "Tệp .xlsx"])
def test_the_vietnamese_reader_lets_codes_shown_as_data_and_labels_pass(text):
    assert leftover_problems([text], "vi", set()) == []


def test_the_english_reader_cuts_out_data_and_finds_untranslated_text():
    data = {"Xã Đăk Hà", "Nguyễn Văn An", "Xã Đăk Hà Bắc"}
    assert leftover_problems(["Officers of Xã Đăk Hà Bắc: Nguyễn Văn An"], "en", set(), data) == []
    assert leftover_problems(["Officers of Xã Đăk Hà: 3 cán bộ"], "en", set(), data) == [
        "Officers of Xã Đăk Hà: 3 cán bộ"
    ]
    assert leftover_problems(["Tuần 48/2026"], "en", set(), data) == ["Tuần 48/2026"]


def test_the_english_walk_counts_variables_as_data_but_labels_as_text():
    """What ``{{ x }}`` prints is data, cut out; a lazy translation or a ``get_FOO_display`` is
    text, read: an untranslated choice label is caught even though a variable printed it."""
    from django.template import Context, Template
    from django.utils.translation import gettext_lazy

    from cax.cases.models import Case
    from cax.core.testing.pagewalk import recording_raw_numbers

    untranslated = "Câu chưa có bản dịch"  # a variable: no catalog extracts it
    template = Template("{{ name }} · {{ label }} · {{ case.get_kind_display }}")
    numbers, data = [], set()
    with translation.override("en"), recording_raw_numbers(numbers, data):
        context = Context({"name": "Xã Đăk Hà", "label": gettext_lazy(untranslated), "case": Case(kind="report")})
        text = template.render(context)
    assert data == {"Xã Đăk Hà"}
    assert "Crime report" in text  # the choice's English label, read and passed
    assert leftover_problems([text], "en", set(), data) == [text]
    assert leftover_problems([text.replace(untranslated, "")], "en", set(), data) == []


def test_a_models_refusal_names_fields_by_their_labels_and_keeps_the_keys(cast):
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    from cax.core.exceptions import from_validation_error

    exc = ValidationError({"population": ["Phải ≥ 0."], NON_FIELD_ERRORS: ["Hai đơn vị trùng mã."]})
    error = from_validation_error(cast.commune_a, exc)
    assert error.message == "Dân số: Phải ≥ 0.; Hai đơn vị trùng mã."
    assert error.fields == {"population": ["Phải ≥ 0."], NON_FIELD_ERRORS: ["Hai đơn vị trùng mã."]}
    with translation.override("en"):
        assert from_validation_error(cast.commune_a, exc).message.startswith("Population: ")
