"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Never downloads a browser: Playwright launches /usr/bin/chromium with a fresh profile and the
flags that keep it off the network (the machines run on closed networks).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CAX_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TREE_PROVINCE = "51"  # Quảng Ngãi: Xã Đăk Hà (23500) and 90-odd other communes
VIEWPORT = {"width": 1366, "height": 768}  # the office PCs' screen (#3)


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install chromium (./cax test does it as root)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _flushable(flushable_change_log):
    """Every browser test is transactional (live server): see cax.core.testing.fixtures."""
    return


@pytest.fixture
def official_tree(transactional_db):
    """Units from the official tree, visible to the live server's thread.

    The session fixture in src/cax/conftest.py loads the whole tree once, but a transactional
    test (which live_server forces) flushes every table when it ends, migration data included.
    So only the first transactional test of a run sees it; the others, and `pytest tests/browser`
    alone (which never loads src/cax/conftest.py), put back the unit types and a slice of the
    official tree: the ministry and province 51 (Quảng Ngãi) with its communes. Loading the whole
    tree takes ~8 s; the slice, well under one.
    """
    from django.apps import apps

    from cax.units.models import Unit, UnitType

    if not UnitType.objects.exists():
        importlib.import_module("cax.units.migrations.0002_unit_types").add_types(apps, None)
    if not Unit.objects.filter(code=TREE_PROVINCE).exists():
        _load_official_slice(TREE_PROVINCE)
    return Unit.objects.current()


def _load_official_slice(province_code: str) -> None:
    from vietnam_provinces import Province, Ward

    from cax.units.models import UnitType
    from cax.units.official import ROOT_CODE, ROOT_NAME, type_from_name
    from cax.units.services import unit_create

    types = {t.code: t for t in UnitType.objects.all()}
    commune_types = [t for t in types.values() if t.is_commune_level]
    valid_from = dt.date(2025, 7, 1)
    root = unit_create(actor=None, code=ROOT_CODE, name=ROOT_NAME, unit_type=types["ministry"])
    province = next(p for p in Province.iter_all() if f"{p.code.value:02d}" == province_code)
    parent = unit_create(
        actor=None,
        code=province_code,
        name=province.name,
        unit_type=types["province"],
        parent=root,
        valid_from=valid_from,
    )
    for ward in Ward.iter_all():
        if ward.province_code == province.code:
            unit_create(
                actor=None,
                code=f"{ward.code.value:05d}",
                name=ward.name,
                unit_type=type_from_name(ward.name, commune_types),
                parent=parent,
                valid_from=valid_from,
            )


@dataclass
class PageLog:
    """What a page did behind the test's back: every request, console errors, uncaught exceptions."""

    requests: list = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self, base_url: str) -> list[str]:
        own = urlsplit(base_url).netloc
        return [r.url for r in self.requests if urlsplit(r.url).scheme != "data" and urlsplit(r.url).netloc != own]

    def htmx_requests(self) -> list[str]:
        return [r.url for r in self.requests if r.headers.get("hx-request") == "true"]


@pytest.fixture(scope="session")
def chromium_launch() -> dict:
    """Playwright's launch options for Debian's chromium, off the network (for tests that open many contexts)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def open_page(tmp_path):
    """Opens a 1366×768 Playwright page in a fresh chromium profile: ``with open_page() as (page, log)``.

    A context manager rather than a plain fixture, so that the test sets up the database first:
    Playwright's sync API keeps an event loop running in this thread while it is open, and Django
    refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation).
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    @contextlib.contextmanager
    def _open(**context_options):
        log = PageLog()
        options = {"viewport": VIEWPORT, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", **context_options}
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                user_data_dir=str(tmp_path / f"chromium-profile-{uuid.uuid4().hex[:8]}"),
                executable_path=str(CHROMIUM),
                args=CHROMIUM_ARGS,
                headless=True,
                **options,
            )
            try:
                context.set_default_timeout(15_000)
                page = context.pages[0] if context.pages else context.new_page()
                page.on("request", lambda request: log.requests.append(request))
                page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
                page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
                yield page, log
            finally:
                context.close()

    return _open


@pytest.fixture
def screenshot(tmp_path):
    """``screenshot(page, "name")`` saves a full-page PNG under tmp_path and returns its path.

    With $CAX_SCREENSHOT_DIR set, a copy named ``cax-<name>.png`` goes there too, to look at by hand.
    """

    def _shoot(page, name: str) -> Path:
        path = tmp_path / f"cax-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if os.environ.get("CAX_SCREENSHOT_DIR"):
            target = Path(os.environ["CAX_SCREENSHOT_DIR"])
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.name)
        return path

    return _shoot
