"""A commune officer on a 390×844 phone (issue 17.6): the intake form, the daily report, the register
and a case page never scroll sideways and their buttons are a fingertip high; the step picker swaps
in the chosen step's fields. And the report form's keyboard: Enter goes to the next figure only.

One browser per test, each test a whole walk: the data is made before the browser opens (Django
refuses the ORM in a thread where Playwright's loop runs: see conftest.open_page)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.accounts.roles import Role
from cax.core.testing.cast import PASSWORD, make_user

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Playwright's full-page capture of a mobile page injects an empty <style>, which the CSP blocks: the
# console then names the hash of the empty string. The test's noise, not the page's.
EMPTY_STYLE = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
TAP = 44  # px: the smallest target a fingertip hits reliably (WCAG 2.5.5, Apple and Android guides)

# What the page may not do at 390 px: be wider than the screen. And what sits under a finger: every
# visible button, button-like link, form box and link in a list table.
OVERFLOW = "() => ({width: document.documentElement.scrollWidth, screen: window.innerWidth})"
SMALL_TARGETS = """() => {
  const targets = document.querySelectorAll(
    'main button, main .button, main select, main textarea, main table.list a, '
    + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main label:has(> input[type=checkbox])');
  return Array.from(targets).filter(el => el.offsetParent !== null)
    .map(el => [el.tagName + (el.name ? '[' + el.name + ']' : '') + ' ' + el.textContent.trim().slice(0, 30),
                Math.round(el.getBoundingClientRect().height)])
    .filter(([, height]) => height < 44);
}"""


def _reference_data():
    """Deadline rules and offence groups are migration data: a transactional test before this one
    flushed them (see conftest.official_tree)."""
    from django.apps import apps

    from cax.cases.models import DeadlineRule

    if not DeadlineRule.objects.exists():
        importlib.import_module("cax.cases.migrations.0002_reference_data").add(apps, None)


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _fits_a_phone(page, name: str, screenshot) -> None:
    screenshot(page, f"phone-{name}")
    size = page.evaluate(OVERFLOW)
    assert size["width"] <= size["screen"] == 390, f"{name}: the page scrolls sideways ({size})"
    assert page.evaluate(SMALL_TARGETS) == [], f"{name}: targets under {TAP} px"


def test_a_commune_officer_works_on_a_phone_without_sideways_scrolling(
    live_server, official_tree, open_page, screenshot
):
    from playwright.sync_api import expect

    from cax.cases.choices import Channel, Kind, ReporterKind, Status
    from cax.cases.services import case_register, case_transition
    from cax.reports.models import ReportForm
    from cax.reports.standard import load_standard_forms

    _reference_data()
    load_standard_forms()
    commune = official_tree.get(code="23500")
    officer = make_user("officer_phone", Role.COMMUNE_OFFICER, commune)
    received = timezone.now() - dt.timedelta(hours=3)
    for n in range(3):
        case = case_register(
            actor=officer,
            unit=commune,
            kind=Kind.DENUNCIATION,
            channel=Channel.PHONE,
            received_at=received - dt.timedelta(days=n),
            reporter_kind=ReporterKind.PERSON,
            reporter_name="Nguyễn Văn Báo",
            summary=f"Trộm cắp tài sản (xe máy Honda Wave biển số 82B1-{n}2345) tại thôn {n + 1}, xã Đăk Hà",
        )
    case = case_transition(
        actor=officer, case=case, to_status=Status.PRELIMINARY_CHECK, expected_version=case.version, at=received
    )
    form = ReportForm.objects.get(code="bc-antt-ngay")
    period = form.period_of(timezone.localdate() - dt.timedelta(days=1))
    base = live_server.url

    with open_page(**PHONE) as (page, log):
        _sign_in(page, base, officer.username)

        page.goto(base + reverse("cases:register", args=[commune.pk]))
        expect(page.locator("#id_received_at")).not_to_have_value("")  # pre-filled with now
        _fits_a_phone(page, "intake", screenshot)

        page.goto(base + reverse("reports:entry", args=[commune.pk, form.code, period.key]))
        expect(page.locator("#v_pham_phap_hinh_su")).to_be_visible()
        _fits_a_phone(page, "daily-report", screenshot)

        page.goto(base + reverse("cases:list", args=[commune.pk]))
        expect(page.locator("table.cards tbody tr")).to_have_count(3)
        expect(page.locator("table.cards thead")).to_be_hidden()  # rows are cards, each cell labelled
        # The eight filters fold behind "Lọc ▾", so the first row is on the first screen.
        expect(page.locator("form.filters")).to_be_hidden()
        assert page.locator("table.cards tbody tr").first.bounding_box()["y"] < PHONE["viewport"]["height"]
        _fits_a_phone(page, "register", screenshot)
        page.locator("button.filters-open").click()
        expect(page.locator("form.filters")).to_be_visible()
        page.locator("form.filters select[name=status]").select_option(Status.PRELIMINARY_CHECK)
        with page.expect_navigation():
            page.locator("form.filters button[type=submit]").click()
        expect(page.locator("table.cards tbody tr")).to_have_count(1)
        expect(page.locator("form.filters")).to_be_visible()  # a filter is set: the form stays open
        _fits_a_phone(page, "register-filtered", screenshot)

        page.goto(base + reverse("cases:detail", args=[case.pk]))
        _fits_a_phone(page, "case", screenshot)
        # The step picker swaps in the fields of the chosen step alone (htmx), nothing else reloads.
        expect(page.locator("#step-form [name=to_unit]")).to_have_count(0)
        page.locator("#id_step").select_option(Status.TRANSFERRED)
        expect(page.locator("#step-form [name=to_unit]")).to_be_visible()
        expect(page.locator("#step-form [name=to_status]")).to_have_value(Status.TRANSFERRED)
        assert "step=transferred" in page.url  # a reload keeps the chosen step
        _fits_a_phone(page, "case-transfer-step", screenshot)

        assert log.foreign_requests(base) == []
        assert [e for e in log.console_errors if EMPTY_STYLE not in e] == []
        assert log.page_errors == []


def test_enter_moves_to_the_next_figure_never_to_a_reason_and_shift_enter_saves(live_server, official_tree, open_page):
    from playwright.sync_api import expect

    from cax.reports.models import ReportForm, Submission
    from cax.reports.standard import load_standard_forms

    load_standard_forms()
    commune = official_tree.get(code="23500")
    officer = make_user("officer_keys", Role.COMMUNE_OFFICER, commune)
    form = ReportForm.objects.get(code="bc-antt-ngay")
    period = form.period_of(timezone.localdate() - dt.timedelta(days=1))
    url = live_server.url + reverse("reports:entry", args=[commune.pk, form.code, period.key])

    with open_page() as (page, log):
        _sign_in(page, live_server.url, officer.username)
        page.goto(url)
        page.evaluate("window.notReloaded = true")
        # The value fields in page order: figure boxes and yes/no selects, textareas aside.
        fields = page.locator("#report-form input[name^=v_], #report-form select[name^=v_]")
        names = [(box.get_attribute("name"), box.evaluate("el => el.tagName")) for box in fields.all()][:7]
        typed = {}
        assert page.locator("#report-form input.reason").count() > 0  # there are reason boxes to skip

        fields.first.click()
        for name, tag in names:
            expect(page.locator(f"[name={name}]")).to_be_focused()
            if tag == "INPUT":
                typed[name] = str(len(typed) + 1)
                page.keyboard.type(typed[name])
            page.keyboard.press("Enter")
        # Enter in a reason box too goes on to the next figure, and submits nothing.
        reason = page.locator("#report-form input.reason").first
        reason.click()
        reason.fill("số liệu CAX chưa đủ")
        reason.press("Enter")
        assert page.evaluate("document.activeElement.name").startswith("v_")
        assert page.evaluate("window.notReloaded") is True  # no Enter submitted the form

        for name, value in typed.items():
            expect(page.locator(f"[name={name}]")).to_have_value(value)
        for box in page.locator("#report-form input.reason").all()[1:]:
            expect(box).to_have_value("")  # no figure landed in a reason

        with page.expect_navigation():
            page.locator(f"[name={names[0][0]}]").press("Shift+Enter")
        expect(page.locator(".messages")).to_contain_text("Đã lưu nháp")
        assert log.page_errors == []

    submission = Submission.objects.get(unit=commune, form=form, period_start=period.start)
    saved = {v.indicator.code: v.number for v in submission.values.select_related("indicator")}
    assert {f"v_{code}": str(int(number)) for code, number in saved.items() if f"v_{code}" in typed} == typed
