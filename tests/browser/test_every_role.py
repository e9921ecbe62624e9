"""Every demo role, every main page, in Vietnamese and in English, on the office PC (1366×768) and on a
phone (390×844: in both languages for the communes' roles, in Vietnamese for the others), in Debian's
Chromium (issue 17.8).

The world is the one ``./cax up`` serves: a fresh database in a temporary folder, migrated and loaded
with the official tree, the demo accounts and the demo province by the same commands, and production
gunicorn on a free loopback port (collected static files, no debug). Each role signs in through the
login form with the password the demo loader printed, then opens its home page and every page its
menu reaches. A page fails on:

- a console error or an uncaught exception;
- a request to anything but the app itself (police networks are closed);
- a horizontal overflow (the page wider than the window);
- an SVG attribute that is not a machine number (``width="520,0"`` drew every bar empty) or a
  chart whose bars all have zero width;
- in English, Vietnamese text in the interface's own words (menu, buttons, labels, headings);
  in Vietnamese, English words or internal codes that leak from the code.

``CAX_SCREENSHOT_DIR=docs/screenshots`` keeps the screenshots of the main pages (docs/screenshots/).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the served demo has its own SQLite database whatever the suite's; once per run is enough",
    ),
]

REPO = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Playwright's full-page capture injects an empty <style>, which the CSP refuses (see test_phone.py).
EMPTY_STYLE = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
# Letters only Vietnamese writes (not á/é/í/ó/ú, which English loanwords and names share).
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯ]")
# English that only code would put on a Vietnamese page, and snake_case names of fields and codes.
ENGLISH_LEAKS = re.compile(
    r"\b(None|True|False|hours?|minutes?|seconds?|Page \d+ of|Submit|Search|Next|Previous|Traceback|"
    r"not a zip file|Enter a valid|This field is required)\b"
)
CODE_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")
# Pages of a role's menu that are not the interface to check: the API's own documentation (Swagger
# UI, English by design) and Django's reference-data admin (its own catalog).
SKIP_PREFIXES = ("/api/", "/reference/", "/admin/")
# The main pages kept as screenshots in docs/screenshots/: (role, language, viewport, path pattern,
# file name). The first page of a role that matches is kept.
SCREENSHOTS = [
    ("truong.xa", "vi", "desktop", r"/", "home-commune-chief"),
    ("truong.xa", "en", "desktop", r"/", "home-commune-chief-en"),
    ("truong.xa", "vi", "desktop", r"/units/\d+/", "unit-page-commune"),
    ("canbo.xa", "vi", "phone", r"/", "phone-home-commune-officer"),
    ("canbo.xa", "vi", "phone", r"/cases/unit/\d+/", "phone-case-register"),
    ("lanhdao.tinh", "vi", "desktop", r"/", "home-province-leader"),
    ("lanhdao.tinh", "vi", "desktop", r"/overview/\d+/", "dashboard-province"),
    ("lanhdao.tinh", "vi", "desktop", r"/staffing/\d+/leader/", "leader-dashboard-province"),
    ("lanhdao.bo", "vi", "desktop", r"/", "home-ministry-leader"),
    ("lanhdao.bo", "vi", "desktop", r"/staffing/\d+/leader/", "leader-dashboard-national"),
    ("tccb.tinh", "vi", "desktop", r"/officers/.*", "officer-register"),
    ("kiemtra", "vi", "desktop", r"/changelog/", "change-log-auditor"),
    ("truong.xa", "vi", "desktop", r"/supervision/files/", "supervision-files-commune"),
    ("lanhdao.tinh", "vi", "desktop", r"/supervision/figures/", "supervision-figures-province"),
    ("canbo.xa", "vi", "desktop", r"/procedures/dossiers/", "procedures-dossiers-commune"),
    ("lanhdao.tinh", "vi", "desktop", r"/procedures/figures/", "procedures-figures-province"),
]
# Phones are the communes' (their chiefs and officers work from them): they take the phone pass in
# both languages; every other role takes it in Vietnamese, its language of work, which keeps the
# suite inside its time (English labels are no longer than the Vietnamese ones they replace).
PHONE_IN_BOTH_LANGUAGES = {"truong.xa", "canbo.xa"}
# Beyond its menu, each role opens its own unit's page and the leaders' dashboard that page links to.
LEADER_LINK = re.compile(r"^/staffing/\d+/leader/$")
OVERVIEW = re.compile(r"^/overview/\d+/$")


def _screenshot_name(username: str, language: str, viewport: str, path: str, taken: set[str]) -> str | None:
    for who, lang, view, pattern, name in SCREENSHOTS:
        if (who, lang, view) == (username, language, viewport) and re.fullmatch(pattern, path) and name not in taken:
            return name
    return None


PAGE_FACTS = """() => {
  const facts = {overflow: document.documentElement.scrollWidth - window.innerWidth, badSvg: [], emptyCharts: 0};
  const attrs = ['width', 'height', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r'];
  for (const el of document.querySelectorAll('svg *')) {
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v !== null && !/^-?\\d+(\\.\\d+)?(%|px)?$/.test(v.trim())) facts.badSvg.push(`${el.tagName} ${a}="${v}"`);
    }
  }
  for (const svg of document.querySelectorAll('svg')) {
    const bars = Array.from(svg.querySelectorAll('rect'))
      .filter(r => !/track|bg|background/.test(r.getAttribute('class') || ''));
    if (bars.length >= 2 && bars.every(r => r.getBBox().width <= 0)) facts.emptyCharts += 1;
  }
  // The interface's own words: the menu, buttons, column headings, labels, legends. Their own text
  // only (a label's select lists data; a heading names a unit), so data never counts as a leftover.
  const own = el => Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join(' ').trim();
  // Table cells are data (a change log's summary is the message written at the time, in Vietnamese).
  const chrome = ['header nav a', 'header nav summary', 'header nav button', 'main button', 'main thead th',
                  'main label', 'main legend', 'main summary', 'main a.button'].join(', ');
  facts.chrome = Array.from(document.querySelectorAll(chrome)).filter(el => !el.closest('tbody'))
    .map(own).filter(Boolean);
  facts.text = document.body.innerText;
  facts.menu = Array.from(document.querySelectorAll('header nav a[href]')).map(a => a.getAttribute('href'));
  facts.links = Array.from(document.querySelectorAll('main a[href]')).map(a => a.getAttribute('href'));
  return facts;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAX_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="cax.settings",
        PYTHONPATH=str(REPO / "src"),
        CAX_DB="sqlite",
        CAX_VAR_DIR=str(var),
        CAX_TESTING="0",
        CAX_JOB_DAILY="",
        CAX_SECRET_KEY="browser-test-" + "x" * 60,
    )
    return env


def _django(var: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "django", *args], env=_env(var), cwd=var, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory, chromium_launch):
    """The demo of ``./cax up`` on a free port: base URL and the demo logins."""
    var = tmp_path_factory.mktemp("every-role")
    _django(var, "migrate", "-v0")
    _django(var, "collectstatic", "--noinput", "-v0")
    _django(var, "load_units")
    printed = _django(var, "demo_accounts")
    logins = dict(re.findall(r"^\s+(\S+)\s+(\S+)\s+\S.* — ", printed, re.M))
    units = json.loads(
        _django(var, "shell", "-c", "import json; from cax.accounts.models import User; "
                "print(json.dumps({u.username: u.unit_id for u in User.objects.all()}))").strip().splitlines()[-1]
    )  # fmt: skip
    for command in (
        ["demo", "--if-empty"],
        ["demo_cases", "--unit", "51", "--count", "60", "--if-empty"],
        ["load_report_forms"],
        ["demo_reports", "--unit", "51", "--if-empty"],
        ["demo_programme", "--unit", "51"],
    ):
        _django(var, *command)
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "cax.wsgi:application", "--pythonpath", str(REPO / "src"),
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120"],
        env=_env(var), cwd=var, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 — loopback
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base, {name: (password, units[name]) for name, password in logins.items()}
    finally:
        server.terminate()
        server.wait(20)


def _problems(facts: dict, console: list[str], foreign: list[str], language: str, viewport: str) -> list[str]:
    found = []
    found += [f"console: {m}" for m in console if EMPTY_STYLE not in m]
    found += [f"request outside the app: {url}" for url in foreign]
    if facts["overflow"] > 1:
        found.append(f"{facts['overflow']} px wider than the {viewport} window")
    found += [f"SVG: {bad}" for bad in facts["badSvg"][:3]]
    if facts["emptyCharts"]:
        found.append(f"{facts['emptyCharts']} chart(s) with every bar of zero width")
    if language == "en":
        found += [f"Vietnamese in the interface: {text[:60]!r}" for text in facts["chrome"] if VIETNAMESE.search(text)]
    else:
        found += [f"English or a code: {m.group(0)!r}" for m in ENGLISH_LEAKS.finditer(facts["text"])][:3]
        found += [f"code name: {m.group(0)!r}" for m in CODE_NAME.finditer(facts["text"])][:3]
    return found


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert urlsplit(page.url).path == "/", f"{username} did not land on the home page: {page.url}"


class Visit:
    """One signed-in browser context: what its pages logged."""

    def __init__(self, browser, base: str):
        self.base, self.own = base, urlsplit(base).netloc
        self.context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        self.page.on("request", self._request)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.netloc != self.own:
            self.foreign.append(request.url)

    def open(self, path: str):
        self.console.clear()
        self.foreign.clear()
        return self.page.goto(self.base + path)


def _role_paths(visit: Visit, unit_id: int) -> list[str]:
    """Home, every page of the role's menu, its unit's page, and the leaders' dashboard that its unit's
    page or overview links to."""
    visit.open("/")
    menu = visit.page.evaluate(PAGE_FACTS)["menu"]
    paths = ["/"] + sorted({urlsplit(h).path for h in menu if h.startswith("/")} - {"/"})
    paths.append(f"/units/{unit_id}/")
    for source in [p for p in paths if OVERVIEW.match(p)] + [f"/units/{unit_id}/"]:
        response = visit.open(source)
        if response is not None and response.status < 400:
            links = {urlsplit(h).path for h in visit.page.evaluate(PAGE_FACTS)["links"] if h.startswith("/")}
            paths += sorted(p for p in links if LEADER_LINK.match(p))
    return list(dict.fromkeys(p for p in paths if not p.startswith(SKIP_PREFIXES)))


def _check_role(browser, base, username, login, language, shots, tmp_path) -> tuple[int, list[str]]:
    password, unit_id = login
    visit = Visit(browser, base)
    problems, opened, taken = [], 0, set()
    try:
        _sign_in(visit.page, base, username, password)
        visit.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        paths = _role_paths(visit, unit_id)
        for viewport, size in (("desktop", DESKTOP), ("phone", PHONE)):
            if viewport == "phone" and language != "vi" and username not in PHONE_IN_BOTH_LANGUAGES:
                continue
            visit.page.set_viewport_size(size)
            for path in paths:
                response = visit.open(path)
                opened += 1
                where = f"{username} {language} {viewport} {path}"
                if response is None or response.status >= 400:
                    problems.append(f"{where}: HTTP {response.status if response else '?'}")
                    continue
                facts = visit.page.evaluate(PAGE_FACTS)
                found = _problems(facts, visit.console, visit.foreign, language, viewport)
                problems += [f"{where}: {p}" for p in found]
                name = _screenshot_name(username, language, viewport, path, taken)
                if name and shots is not None:
                    taken.add(name)
                    shots.mkdir(parents=True, exist_ok=True)
                    shot = tmp_path / f"{uuid.uuid4().hex}.png"
                    visit.page.screenshot(path=str(shot), full_page=viewport == "phone")
                    shutil.copyfile(shot, shots / f"{name}.png")
    finally:
        visit.context.close()
    return opened, problems


def test_every_demo_role_opens_every_main_page_in_both_languages_on_desktop_and_phone(
    served, chromium_launch, tmp_path
):
    from playwright.sync_api import sync_playwright

    base, logins = served
    assert len(logins) == 9, logins
    shots = Path(os.environ["CAX_SCREENSHOT_DIR"]) if os.environ.get("CAX_SCREENSHOT_DIR") else None
    problems: list[str] = []
    opened = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_launch)
        try:
            for username, login in logins.items():
                for language in ("vi", "en"):
                    count, found = _check_role(browser, base, username, login, language, shots, tmp_path)
                    opened += count
                    problems += found
        finally:
            browser.close()
    assert opened > 9 * 2 * 2 * 3, f"only {opened} pages opened: are the menus there?"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:300])
