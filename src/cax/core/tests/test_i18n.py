"""The English catalog: complete, compiled, used by the pages; dates stay dd/mm/yyyy in both languages."""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*(?::[^}]*)?\}")  # %(n)s, {n}, {d:%d/%m/%Y}


def _unquote(line: str) -> str:
    return line[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def parse_po(text: str) -> list[dict]:
    """A minimal .po reader (polib is not a dependency): the live entries with their flags and context.

    ``msgstr`` is a string; a plural entry also has ``msgid_plural`` and ``msgstr`` as a list of forms.
    """
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": None}
        obsolete, key = False, None
        for line in block.splitlines():
            if line.startswith("#~"):
                obsolete = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (\".*\")$", line):
                name, index, value = match.groups()
                if index is None:
                    entry[name], key = _unquote(value), (name, None)
                else:
                    entry[name] = entry[name] or []
                    entry[name].append(_unquote(value))
                    key = (name, int(index))
            elif line.startswith('"') and key:
                name, index = key
                if index is None:
                    entry[name] += _unquote(line)
                else:
                    entry[name][index] += _unquote(line)
        if entry["msgid"] is not None and not obsolete:
            entries.append(entry)
    return entries


def _forms(entry: dict) -> list[str]:
    return entry["msgstr"] if isinstance(entry["msgstr"], list) else [entry["msgstr"]]


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


def test_catalog_is_complete_without_fuzzy_entries(po_entries):
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert not any("fuzzy" in e["flags"] for e in po_entries)
    header, messages = po_entries[0], po_entries[1:]
    assert header["msgid"] == ""
    assert "Language: en" in header["msgstr"]
    assert len(messages) > 100
    untranslated = [e["msgid"] for e in messages if not all(form.strip() for form in _forms(e))]
    assert untranslated == []


def test_catalog_keeps_every_placeholder(po_entries):
    for entry in po_entries[1:]:
        wanted = sorted(set(_PLACEHOLDER.findall(entry["msgid"] + (entry["msgid_plural"] or ""))))
        for form in _forms(entry):
            assert sorted(set(_PLACEHOLDER.findall(form))) == wanted, entry


def _compiled_forms(compiled: gettext_module.GNUTranslations, entry: dict) -> list[str]:
    context, msgid, plural = entry["msgctxt"], entry["msgid"], entry["msgid_plural"]
    if plural is not None:  # English: form 0 for n == 1, form 1 otherwise
        if context is not None:
            return [compiled.npgettext(context, msgid, plural, n) for n in (1, 2)]
        return [compiled.ngettext(msgid, plural, n) for n in (1, 2)]
    if context is not None:
        return [compiled.pgettext(context, msgid)]
    return [compiled.gettext(msgid)]


def test_compiled_catalog_matches_the_po_file(po_entries):
    # ./cax up must not need gettext: the committed .mo must hold exactly what the .po says.
    with MO_FILE.open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)
    stale = [e["msgid"] for e in po_entries[1:] if _compiled_forms(compiled, e) != _forms(e)]
    assert stale == [], "run: cd src/cax && python -m django compilemessages -l en"


@pytest.mark.parametrize(
    ("vietnamese", "english"),
    [
        ("Đơn vị", "Units"),
        ("Công an xã", "Commune Police"),
        ("Trưởng Công an xã", "Commune Police Chief"),
        ("Nhật ký thay đổi", "Change log"),
        ("Xuất Excel", "Export to Excel"),
        ("Vùng dân tộc thiểu số", "Ethnic-minority area"),
        ("Trọng điểm ANTT", "Key security area"),
        ("Vùng sâu, vùng xa", "Remote area"),
    ],
)
def test_known_strings_translate_to_english(vietnamese, english):
    with translation.override("en"):
        assert gettext(vietnamese) == english
    with translation.override("vi"):
        assert gettext(vietnamese) == vietnamese


def test_context_separates_before_after_from_previous_next():
    # Change-log details say "Trước: …" (the old value), pagination says "« Trước" (previous page).
    with translation.override("en"):
        assert pgettext("giá trị", "Trước") == "Before"
        assert pgettext("giá trị", "Sau") == "After"
        assert gettext("Trước") == "Previous"
        assert gettext("Sau") == "Next"


def test_brace_placeholders_survive_translation():
    with translation.override("en"):
        message = gettext("Dòng {row}, cột “{column}”: {message}").format(row=7, column="Mã", message="x")
    assert message == "Row 7, column “Mã”: x"


def test_role_names_follow_the_language():
    from cax.accounts.roles import Role

    with translation.override("en"):
        assert str(Role.COMMUNE_CHIEF.label) == "Commune Police Chief"
    with translation.override("vi"):
        assert str(Role.COMMUNE_CHIEF.label) == "Trưởng Công an xã"


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in body
    assert "Hệ thống thông tin Công an xã" in body
    assert "Đăng nhập" in body
    assert "Sign in" not in body


@pytest.mark.django_db
def test_login_page_in_english_from_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in body
    assert "Commune Police Information System" in body
    assert "Sign in" in body
    assert "Đăng nhập" not in body


@pytest.mark.django_db
def test_language_switch_form_sets_english(client):
    login_url = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302
    assert response["Location"] == login_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in" in client.get(login_url).content.decode()


def test_format_module_path_covers_both_languages():
    assert settings.FORMAT_MODULE_PATH == ["cax.formats"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_render_dd_mm_yyyy_in_both_languages(language):
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d }}|{{ d|date }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}')
    context = Context({"d": dt.date(2025, 7, 1), "t": dt.datetime(2025, 7, 1, 8, 5)})
    with translation.override(language):
        assert template.render(context) == "01/07/2025|01/07/2025|01/07/2025|01/07/2025 08:05"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_date_input_accepts_dd_mm_yyyy_in_both_languages(language):
    from django import forms

    class DateForm(forms.Form):
        d = forms.DateField()

    with translation.override(language):
        form = DateForm({"d": "01/07/2025"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["d"] == dt.date(2025, 7, 1)


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in page.content.decode()
    assert page["Content-Language"] == "vi"
    client.cookies["django_language"] = "en"
    assert client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")["Content-Language"] == "en"
