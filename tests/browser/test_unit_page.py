"""End to end in a real browser: sign in, land on one's unit, search the children with htmx.

Also checks what a unit test cannot: the strict CSP (no inline script or style) leaves the
console clean, and nothing is fetched from anywhere but the app itself.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cax.accounts.roles import Role
from cax.core.testing.cast import PASSWORD, make_user

pytestmark = pytest.mark.browser

MIN_SCREENSHOT_BYTES = 10 * 1024


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _is_htmx(request) -> bool:
    return request.headers.get("hx-request") == "true"


def _assert_clean(log, base_url: str) -> None:
    assert log.foreign_requests(base_url) == []
    assert log.console_errors == []
    assert log.page_errors == []


def test_unit_page_search_updates_the_table_in_place(live_server, official_tree, open_page, screenshot):
    from playwright.sync_api import expect

    province = official_tree.select_related("parent").get(code="51")
    commune = official_tree.get(code="23500")
    user = make_user("leader_browser", Role.PROVINCE_LEADER, province)
    unit_url = live_server.url + reverse("units:detail", args=[province.pk])

    with open_page() as (page, log):
        _sign_in(page, live_server.url, user.username)

        # Signed in, the user lands on the to-do page, one click from their own unit's page.
        expect(page).to_have_url(live_server.url + reverse("home"))
        expect(page.locator("main h1")).to_have_text("Việc cần làm")
        with page.expect_navigation():
            page.locator("main p.breadcrumbs a", has_text="Trang đơn vị").click()
        expect(page).to_have_url(unit_url)
        breadcrumbs = page.locator("nav.crumbs")
        expect(breadcrumbs).to_contain_text(province.parent.name)
        expect(breadcrumbs.locator("[aria-current=page]")).to_have_text(province.name)
        expect(page.locator("main h1")).to_contain_text(province.name)
        expect(page.locator("main h1 small")).to_contain_text(province.code)
        expect(page.locator("dl.facts")).not_to_contain_text("None")  # empty values show as "—"
        rows = page.locator("#unit-table tbody tr")
        expect(rows).to_have_count(50)  # the first page of the province's communes

        # Typing in the search box swaps only the table (htmx), and the URL follows the filter.
        page.evaluate("window.caxSameDocument = true")
        with page.expect_response(lambda r: _query(r.url).get("q") == ["dak ha"] and _is_htmx(r.request)):
            page.locator("#id_q").press_sequentially("dak ha", delay=40)
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(commune.name)
        expect(rows.first.locator("a")).to_have_attribute("href", reverse("units:detail", args=[commune.pk]))
        assert _query(page.url).get("q") == ["dak ha"]  # hx-push-url: the filtered page can be bookmarked
        assert page.evaluate("window.caxSameDocument") is True, "the search reloaded the whole page"
        assert len(log.htmx_requests()) >= 1
        expect(page.locator("main h1")).to_contain_text(province.name)  # the rest of the page is still there

        shot = screenshot(page, "unit-page")
        _assert_clean(log, live_server.url)

    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > MIN_SCREENSHOT_BYTES


def test_language_switch_turns_the_interface_english(live_server, official_tree, open_page, screenshot):
    from playwright.sync_api import expect

    user = make_user("officer_browser", Role.COMMUNE_OFFICER, official_tree.get(code="23500"))

    with open_page() as (page, log):
        _sign_in(page, live_server.url, user.username)
        page.goto(live_server.url + reverse("units:detail", args=[user.unit_id]))
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        expect(page.locator("nav.menu")).to_contain_text("Đơn vị")

        with page.expect_navigation():
            page.locator("form.lang button[value=en]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("nav.menu")).to_contain_text("Units")
        expect(page.locator("header")).to_contain_text("Sign out")
        expect(page.locator("dl.facts")).to_contain_text("Ethnic-minority area")
        expect(page.locator("dl.facts")).to_contain_text("Key security area")
        expect(page.locator("dl.facts")).to_contain_text("01/07/2025")  # dd/mm/yyyy in English too
        screenshot(page, "unit-page-en")
        _assert_clean(log, live_server.url)


@pytest.mark.parametrize(
    ("name", "url_name", "heading"),
    [
        pytest.param("login", "accounts:login", "Đăng nhập", id="login"),
        pytest.param("unit-list", "units:list", "Danh sách đơn vị", id="unit-list"),
        pytest.param("import", "units:import", "Nhập danh mục đơn vị từ Excel/CSV", id="import"),
    ],
)
def test_main_pages_render_without_console_errors(
    live_server, official_tree, open_page, screenshot, name, url_name, heading
):
    from playwright.sync_api import expect

    user = make_user("admin_browser", Role.ADMINISTRATOR, official_tree.get(code="BCA"))

    with open_page() as (page, log):
        if name != "login":
            _sign_in(page, live_server.url, user.username)
        page.goto(live_server.url + reverse(url_name))
        expect(page.locator("main h1")).to_have_text(heading)
        # The stylesheet applied (CSP would block an inline one): the top bar has the brand colour.
        assert page.locator("header.topbar").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(139, 26, 26)"
        # Nothing sticks out sideways at 1366×768.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot = screenshot(page, name)
        _assert_clean(log, live_server.url)

    assert shot.stat().st_size > MIN_SCREENSHOT_BYTES
