"""Reading a rendered page's forms the way a browser sends them, for tests that must not skip the
page (the one-time submit token lives in it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class PageForm:
    action: str  # absolute path, resolved against the page's URL as a browser does
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)  # what a submit sends, buttons aside
    names: set[str] = field(default_factory=set)  # every control, buttons included

    def data(self, **overrides) -> dict:
        """The form as sent after the user typed ``overrides`` (a value of None removes a field)."""
        sent: dict = {k: (v[0] if len(v) == 1 else v) for k, v in self.values.items()}
        for key, value in overrides.items():
            if value is None:
                sent.pop(key, None)
            else:
                sent[key] = value
        return sent


class _Parser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[PageForm] = []
        self.current: PageForm | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.current.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.current = PageForm(action=urlsplit(action).path, method=a.get("method", "get").lower())
            self.forms.append(self.current)
            return
        if self.current is None or "name" not in a:
            if tag == "option" and self.select is not None:
                self._option(a)
            return
        name = a["name"]
        self.current.names.add(name)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(name, a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "textarea":
            self.textarea, self.text = name, []

    def _option(self, a):
        value = a.get("value", "")
        if self.select_first is None:
            self.select_first = value
        if "selected" in a and not self.select_chosen:
            self._add(self.select, value)
            self.select_chosen = True

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            if not self.select_chosen and self.select_first is not None and self.current is not None:
                self._add(self.select, self.select_first)  # a browser sends the first option
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.current is not None:
                self._add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None


def page_forms(html: str, page_url: str) -> list[PageForm]:
    parser = _Parser(page_url)
    parser.feed(html)
    return parser.forms


def find_form(html: str, page_url: str, action: str, *, having: str = "") -> PageForm:
    """The POST form of the page that is sent to ``action`` (and has a control named ``having``)."""
    path = urlsplit(action).path
    found = [
        f
        for f in page_forms(html, page_url)
        if f.method == "post" and f.action == path and (not having or having in f.names)
    ]
    assert found, f"no form posting to {path} (with {having or 'any field'}) on {page_url}"
    return found[0]
