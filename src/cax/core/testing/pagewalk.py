"""Walk the pages a user reaches by following links, and read them as a proofreader would (issue 17).

Three readings of every page:

- ``raw_numbers``: while pages render, every int, float or Decimal that a template prints without a
  formatting filter (``num``, ``pct``, ``money``, ``raw``…) is recorded with the template's name: a
  number never reaches a page except through ``cax.core.formatting``.
- ``text_problems``: the visible text (and ``title``/``aria-label``) has no number in the other
  language's form ("54.5%" in Vietnamese, "54,5%" in English), no ungrouped amount ("5600000000 đ"),
  and SVG geometry has no decimal comma (``width="520,0"`` draws nothing).
- ``leftovers``: English words and internal codes in the Vietnamese interface ("(transfer)",
  "can_cuoc:", "File is not a zip file"), Vietnamese in the English one. The demo data (unit and
  people's names, notes) is Vietnamese in both languages, so an English page is read without it:
  what a ``{{ variable }}`` prints is data unless it is a label (a lazy translation, a
  ``get_FOO_display``, a form field's ``label``/``help_text``), and the data strings are cut out
  of the page's text before it is searched for Vietnamese letters. What is left came from a
  template or a translation, and must be English.

Codes (unit codes, officer numbers, ID numbers) are text, not numbers: a template shows them as
they are stored, in an element with ``class="code"`` where they stand alone.
"""

from __future__ import annotations

import contextlib
import decimal
import html.parser
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# Links a proofreader does not follow: they change state, leave the page world or download files.
SKIPPED_LINK = re.compile(r"(logout|/i18n/|\.xlsx|\.csv|\.pdf|format=|/export|/download|/static/|/media/|/api/)")
SKIPPED_URL_NAMES = {"healthz"}


@dataclass
class Walk:
    pages: dict[str, int] = field(default_factory=dict)  # url → status
    raw_numbers: dict[str, list[RawNumber]] = field(default_factory=dict)
    text_problems: dict[str, list[str]] = field(default_factory=dict)
    leftovers: dict[str, list[str]] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # url → time to answer (finding slow pages)


@dataclass
class RawNumber:
    template: str
    where: str  # the line and the {{ expression }}, or the blocktranslate it was given to
    value: object

    def __str__(self) -> str:
        return f"{self.template} {self.where} printed {self.value!r} without a formatting filter"


def _is_number(value) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def _origin_name(node) -> str:
    return getattr(getattr(node, "origin", None), "template_name", None) or "?"


# The last lookup of a variable that prints a label (translated), not data. A plain ``label`` is
# not one: a select's options are labels of model rows (unit types, crime categories), data; a
# form field's label is a lazy translation, caught as such.
_LABEL_LOOKUP = re.compile(r"get_\w+_display|help_text|verbose_name(_plural)?")


def _is_label(node, output) -> bool:
    from django.utils.functional import Promise

    if isinstance(output, Promise):
        return True
    lookups = getattr(getattr(node.filter_expression, "var", None), "lookups", None) or ()
    return bool(lookups) and bool(_LABEL_LOOKUP.fullmatch(str(lookups[-1])))


def _keep_data(data: set[str] | None, output) -> None:
    from django.db import models
    from django.utils.functional import Promise

    if data is None or isinstance(output, Promise):
        return
    if isinstance(output, models.Model):
        output = str(output)  # a row printed by its __str__: its name, data
    # Only Vietnamese data matters: it is what an English page is searched for.
    if isinstance(output, str) and _VIETNAMESE_LETTER.search(output):
        data.add(" ".join(output.split()))


@contextlib.contextmanager
def recording_raw_numbers(sink: list[RawNumber], data: set[str] | None = None) -> Iterator[None]:
    """Every number printed by a template without a filter (``{{ n }}``, ``{% blocktranslate with
    n=… %}``), into ``sink``; every data string printed (not a label), into ``data``."""
    from django.template import base
    from django.templatetags import i18n

    original_render = base.VariableNode.render
    original_value = i18n.render_value_in_context
    original_block = i18n.BlockTranslateNode.render
    blocks: list[str] = []  # the blocktranslate being rendered, for its values' location

    def render(node, context):
        try:
            output = node.filter_expression.resolve(context)
        except UnicodeDecodeError:
            return ""
        if _is_number(output):
            token = getattr(node, "token", None)
            where = f"{getattr(token, 'lineno', '?')} {{{{ {getattr(token, 'contents', '?')} }}}}"
            sink.append(RawNumber(_origin_name(node), where, output))
        elif data is not None and not _is_label(node, output):
            _keep_data(data, output)
        return base.render_value_in_context(output, context)

    def value_in_blocktranslate(value, context):
        if _is_number(value):
            sink.append(RawNumber(blocks[-1] if blocks else "?", "blocktranslate", value))
        elif data is not None:
            _keep_data(data, value)
        return original_value(value, context)

    def block(node, context, nested=False):
        token = getattr(node, "token", None)
        blocks.append(f"{_origin_name(node)}:{getattr(token, 'lineno', '?')}")
        try:
            return original_block(node, context, nested)
        finally:
            blocks.pop()

    base.VariableNode.render = render
    i18n.render_value_in_context = value_in_blocktranslate
    i18n.BlockTranslateNode.render = block
    try:
        yield
    finally:
        base.VariableNode.render = original_render
        i18n.render_value_in_context = original_value
        i18n.BlockTranslateNode.render = original_block


_VOID = {"br", "img", "input", "meta", "link", "hr", "col", "wbr", "source", "area", "base", "embed", "track"}
_SVG_GEOMETRY = ("width", "height", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "stroke-width")
_SKIPPED_TEXT = {"script", "style", "code", "textarea", "pre", "template"}


class _PageText(html.parser.HTMLParser):
    """The text a reader sees, the links they can follow and the SVG geometry, from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[tuple[str, bool]] = []
        self._hidden = 0
        self.texts: list[str] = []
        self.links: list[str] = []
        self.geometry: list[str] = []
        self.native_dates: list[str] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "input" and (named.get("type") or "").lower() in _NATIVE_DATE_TYPES:
            self.native_dates.append(f"<input type={named['type']!r} name={named.get('name')!r}>")
        classes = (named.get("class") or "").split()
        for name in _SVG_GEOMETRY:
            value = named.get(name)
            if value and "," in value:
                self.geometry.append(f"<{tag} {name}={value!r}>")
        for name in ("viewbox", "points", "d"):
            value = named.get(name) or ""
            if re.search(r"\d,\d", value) and name != "points":
                self.geometry.append(f"<{tag} {name}={value!r}>")
        hidden = tag in _SKIPPED_TEXT or "code" in classes or named.get("translate") == "no"
        if not self._hidden and not hidden:
            for name in ("title", "aria-label", "placeholder"):
                if named.get(name):
                    self.texts.append(named[name])
        if tag == "a" and named.get("href"):
            self.links.append(named["href"])
        if tag in _VOID or self.get_starttag_text().endswith("/>"):
            return
        self._stack.append((tag, hidden))
        self._hidden += hidden

    def handle_endtag(self, tag):
        while self._stack:
            opened, hidden = self._stack.pop()
            self._hidden -= hidden
            if opened == tag:
                break

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


# A native date box shows the browser's locale (mm/dd/yyyy on an English-language PC): CAX's date
# boxes are core.bounds.DayInput, dd/mm/yyyy everywhere.
_NATIVE_DATE_TYPES = ("date", "datetime-local", "month", "week")


def page_text(document: str) -> _PageText:
    parser = _PageText()
    parser.feed(document)
    parser.close()
    return parser


# A number token: digits with . or , inside, standing alone (not part of a code like 30/2020/NĐ-CP).
_TOKEN = re.compile(r"(?<![\w/.,:\-#])\d[\d.,]*\d(?![\w/:\-])|(?<![\w/.,:\-#])\d(?![\w/.,:\-])")
_GROUPED = {"vi": re.compile(r"\d{1,3}(\.\d{3})*(,\d+)?"), "en": re.compile(r"\d{1,3}(,\d{3})*(\.\d+)?")}
_UNGROUPED_AMOUNT = re.compile(r"(?<![\w/.,\-])\d{4,}(?:[.,]\d+)?\s*(đ|%|VND|km|người|cán bộ|officers)\b")


def number_problems(text: str, language: str) -> list[str]:
    """Numbers in ``text`` not written the way ``language`` writes them."""
    problems = []
    grouped = _GROUPED[language]
    for match in _TOKEN.finditer(text):
        token = match.group()
        if "." not in token and "," not in token:
            continue  # a bare integer: a code, a year or a count below 1.000 — the amount rule checks the rest
        if grouped.fullmatch(token):
            continue
        if re.fullmatch(r"\d{1,2}[.,]\d{1,2}[.,]\d{2,4}", token):
            continue  # a date or version written with dots (5.3.2025 in a document title)
        problems.append(f"{token!r} in {text[:100]!r}")
    for match in _UNGROUPED_AMOUNT.finditer(text):
        problems.append(f"ungrouped {match.group()!r} in {text[:100]!r}")
    return problems


# Words of the other language that show through (library texts, Django defaults, durations the
# formatting layer missed), and internal codes: a field key before a colon ("can_cuoc:"), a
# snake_case code in brackets ("(transfer)", "(resolve_deadline)").
_ENGLISH_LEFTOVER = re.compile(
    r"\b(hours?|minutes?|days?|weeks?|months?|years?|File is not|Enter a valid|This field|"
    r"required|Invalid|None|True|False|Page \d|Next|Previous|Submit|Save|Delete)\b"
    r"|\b[a-z]+_[a-z_]+:|\(\s*(transfer|resolve|[a-z]+_[a-z_]+)\s*\)"
)
_VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưạảãáàặẳẵắằậẩẫấầẹẻẽéèệểễếềịỉĩíìọỏõóòộổỗốồợởỡớờụủũúùựửữứừỵỷỹýỳ]", re.I)


def without_data(text: str, data: list[str]) -> str:
    """``text`` with every data string cut out; ``data`` comes longest first, so a name inside a
    longer data string does not break it up before it is cut."""
    for item in data:
        if item in text:
            text = text.replace(item, " ")
    return text


def leftover_problems(texts: list[str], language: str, allowed: set[str], data: set[str] = frozenset()) -> list[str]:
    """Strings of the wrong language in the visible text; ``allowed`` are proper names, ``data``
    what the page's variables printed (cut out of an English page before it is searched)."""
    problems = []
    ordered: list[str] | None = None  # sorted once, and only for a page that needs it
    for text in texts:
        if text in allowed:
            continue
        if language == "vi":
            match = _ENGLISH_LEFTOVER.search(text)
            if match:
                problems.append(f"{match.group()!r} in {text[:100]!r}")
        elif text not in data and _VIETNAMESE_LETTER.search(text):
            ordered = ordered if ordered is not None else sorted(data, key=len, reverse=True)
            if _VIETNAMESE_LETTER.search(without_data(text, ordered)):
                problems.append(text[:100])
    return problems


def _same_site_path(base: str, href: str) -> str | None:
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if SKIPPED_LINK.search(path):
        return None
    return path


def _pattern_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    # Django's admin templates are not CAX's: the /reference/ site is an AdminSite too.
    if match.url_name in SKIPPED_URL_NAMES or (match.namespace or "").startswith(("admin", "reference")):
        return None
    query_keys = ",".join(sorted(k.split("=")[0] for k in urlsplit(path).query.split("&") if k))
    return f"{match.view_name}?{query_keys}"


def walk(client, start: list[str], *, language: str, per_pattern: int = 2, limit: int = 400, allowed=()) -> Walk:
    """Follow links from ``start`` breadth first, at most ``per_pattern`` pages of one URL pattern
    (with the same query keys), and read each page."""
    result = Walk()
    queue, seen, per = list(start), set(start), {}
    allowed_texts = set(allowed)
    while queue and len(result.pages) < limit:
        path = queue.pop(0)
        pattern = _pattern_of(path)
        if pattern is None or per.get(pattern, 0) >= per_pattern:
            continue
        per[pattern] = per.get(pattern, 0) + 1
        numbers: list[RawNumber] = []
        data: set[str] | None = set() if language != "vi" else None  # only an English page is read without it
        started = time.perf_counter()
        with recording_raw_numbers(numbers, data):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        result.seconds[path] = time.perf_counter() - started
        result.pages[path] = response.status_code
        if response.status_code >= 500:
            result.server_errors.append(path)
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_site_path(path, response["Location"])
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        if numbers:
            result.raw_numbers[path] = numbers
        text = page_text(response.content.decode())
        problems = (
            [p for t in text.texts for p in number_problems(t, language)]
            + [f"SVG geometry with a decimal comma: {g}" for g in text.geometry]
            + [f"native date box (the browser's format, not dd/mm/yyyy: use DayInput): {d}" for d in text.native_dates]
        )
        if problems:
            result.text_problems[path] = problems
        leftovers = leftover_problems(text.texts, language, allowed_texts, data or set())
        if leftovers:
            result.leftovers[path] = leftovers
        for href in text.links:
            target = _same_site_path(path, href)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
    return result


def report(found: dict[str, list], limit: int = 60) -> str:
    """``found`` as lines a developer reads: the page, then what is wrong on it."""
    lines = []
    for path, items in found.items():
        for item in items[:5]:
            lines.append(f"{path}: {item}")
        if len(items) > 5:
            lines.append(f"{path}: … {len(items)} in all")
    return "\n".join(lines[:limit]) + (f"\n… {len(lines)} lines in all" if len(lines) > limit else "")
