"""End to end: a commune chief fills in the daily report from the keyboard, autosave keeps the
draft, sending moves it upward; no inline script, nothing fetched from outside (#6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.accounts.roles import Role
from cax.core.testing.cast import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_chief_fills_in_with_the_keyboard_autosaves_and_sends(live_server, official_tree, open_page, screenshot):
    from playwright.sync_api import expect

    from cax.reports.models import ReportForm, Status, Submission
    from cax.reports.standard import load_standard_forms

    load_standard_forms()
    commune = official_tree.get(code="23500")
    chief = make_user("chief_browser", Role.COMMUNE_CHIEF, commune)
    form = ReportForm.objects.get(code="bc-antt-ngay")
    period = form.period_of(timezone.localdate() - dt.timedelta(days=1))
    url = live_server.url + reverse("reports:entry", args=[commune.pk, form.code, period.key])

    with open_page() as (page, log):
        page.goto(live_server.url + reverse("accounts:login"))
        page.locator("input[name=username]").fill(chief.username)
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.goto(url)
        expect(page.locator("main h1")).to_contain_text(period.label())

        # Enter moves to the next field, so a column of numbers is typed on the keypad alone.
        first = page.locator("#v_pham_phap_hinh_su")
        first.click()
        first.fill("2")
        first.press("Enter")
        expect(page.locator("#v_vu_viec_khan")).to_be_focused()

        # A change autosaves the draft (htmx), and the status line says so.
        expect(page.locator("#autosave-status")).to_contain_text("Đã tự lưu nháp")

        for box in page.locator("input.num").all():
            if not box.input_value():
                box.fill("0")
        page.locator("#v_vu_viec_khan").select_option("0")
        for confirm in page.locator("label.confirm input").all():
            confirm.check()
        with page.expect_navigation():
            page.locator("button[value=submit]").click()
        expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo")
        screenshot(page, "report-sent")
        assert log.foreign_requests(live_server.url) == []
        assert log.console_errors == []
        assert log.page_errors == []

    submission = Submission.objects.get(unit=commune, form=form, period_start=period.start)
    assert submission.status == Status.SUBMITTED
    assert submission.values.get(indicator__code="pham_phap_hinh_su").number == 2
