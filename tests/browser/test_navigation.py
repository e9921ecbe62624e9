"""The grouped menu in a real browser (issue 17.4): one line at the office PCs' 1366×768 for the role
with the most entries, in both languages; folded behind one button on a 390 px phone without
sideways scrolling; one panel open at a time; the unit picker's suggestions fill the code in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cax.accounts.roles import Role
from cax.core.testing.cast import PASSWORD, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

BAR = """() => {
  const items = [...document.querySelectorAll('.menu-bar > li')];
  const top = (el) => el.getBoundingClientRect().top;
  const middle = (el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; };
  const bar = document.querySelector('.topbar');
  return {
    items: items.length,
    tops: [...new Set(items.map((el) => el.offsetTop))],
    barMiddle: middle(document.querySelector('.menu-bar')),
    whoMiddle: middle(document.querySelector('.who')),
    langMiddle: middle(document.querySelector('.lang')),
    barHeight: bar.getBoundingClientRect().height,
    barWidth: bar.scrollWidth,
    nameClipped: [...document.querySelectorAll('.who .name, .who .unit')].some((el) => el.scrollWidth > el.clientWidth),
    signOutRight: document.querySelector('.who form button').getBoundingClientRect().right,
    width: window.innerWidth,
  };
}"""

OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _assert_clean(log) -> None:
    assert log.console_errors == []
    assert log.page_errors == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_admins_menu_is_one_line_at_1366(live_server, official_tree, open_page, screenshot, language):
    from playwright.sync_api import expect

    root = official_tree.get(parent__isnull=True)
    admin = make_user("admin_browser", Role.ADMINISTRATOR, root)
    # A long real name: the bar must still hold it on the one line.
    type(admin).objects.filter(pk=admin.pk).update(full_name="Nguyễn Thị Phương Thảo")

    with open_page() as (page, log):
        _sign_in(page, live_server.url, admin.username)
        if language == "en":
            with page.expect_navigation():
                page.locator("form.lang button[value=en]").click()
        page.goto(live_server.url + reverse("grassroots:member_list"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        bar = page.evaluate(BAR)
        # The overview and the six groups, all on one line with the user and the language switch.
        assert bar["items"] == 7
        assert len(bar["tops"]) == 1, bar
        assert abs(bar["whoMiddle"] - bar["barMiddle"]) < 4, bar
        assert abs(bar["langMiddle"] - bar["barMiddle"]) < 4, bar
        assert bar["barHeight"] < 60, bar
        assert bar["barWidth"] <= bar["width"], bar
        assert not bar["nameClipped"], bar
        assert bar["signOutRight"] <= bar["width"], bar
        screenshot(page, f"menu-1366-{language}")

        # The current group is marked; its panel lists the page as current.
        movement = page.locator("details.menu-group[data-group=movement]")
        expect(movement).to_have_class("menu-group current")
        movement.locator("summary").click()
        expect(movement.locator("a[aria-current=page]")).to_have_attribute("href", reverse("grassroots:member_list"))

        # One panel at a time; Escape closes it and gives the focus back to its button.
        admin_group = page.locator("details.menu-group[data-group=admin]")
        admin_group.locator("summary").click()
        expect(admin_group).to_have_attribute("open", "")
        expect(movement).not_to_have_attribute("open", "")
        expect(admin_group.locator(f'a[href="{reverse("reference:index")}"]')).to_be_visible()
        page.keyboard.press("Escape")
        expect(admin_group).not_to_have_attribute("open", "")
        expect(admin_group.locator("summary")).to_be_focused()

        # The keyboard alone: Enter opens a group, the arrows walk its links, Enter follows one.
        page.keyboard.press("Enter")
        expect(admin_group).to_have_attribute("open", "")
        page.keyboard.press("Tab")
        expect(admin_group.locator("a").first).to_be_focused()
        page.keyboard.press("ArrowDown")
        expect(admin_group.locator("a").nth(1)).to_be_focused()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page).to_have_url(live_server.url + reverse("units:import"))
        # A click outside closes an open panel.
        page.locator("details.menu-group[data-group=personnel] summary").click()
        page.locator("main h1").click()
        expect(page.locator("details.menu-group[open]")).to_have_count(0)
    _assert_clean(log)


def test_the_phone_menu_folds_behind_one_button(live_server, official_tree, open_page, screenshot):
    from playwright.sync_api import expect

    root = official_tree.get(parent__isnull=True)
    admin = make_user("admin_phone", Role.ADMINISTRATOR, root)

    with open_page(viewport=PHONE) as (page, log):
        _sign_in(page, live_server.url, admin.username)
        # A page without a wide table: the tables' own phone layout is not the menu's business.
        page.goto(live_server.url + reverse("accounts:profile"))
        scroll_width, width = page.evaluate(OVERFLOW)
        assert scroll_width <= width
        menu = page.locator("nav#menu")
        toggle = page.locator("button.menu-toggle")
        expect(menu).to_be_hidden()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(menu).to_be_visible()
        page.locator("details.menu-group[data-group=admin] summary").click()
        users = page.locator(f'details.menu-group[data-group=admin] a[href="{reverse("accounts:users")}"]')
        expect(users).to_be_visible()
        # A vertical list: every group starts at the same left edge, one under the other.
        lefts = page.evaluate("() => [...document.querySelectorAll('.menu-bar > li')].map((el) => el.offsetLeft)")
        tops = page.evaluate("() => [...document.querySelectorAll('.menu-bar > li')].map((el) => el.offsetTop)")
        assert len(set(lefts)) == 1
        assert tops == sorted(tops)
        assert len(set(tops)) == len(tops)
        scroll_width, width = page.evaluate(OVERFLOW)
        assert scroll_width <= width
        screenshot(page, "menu-390-open")
    _assert_clean(log)


def test_the_unit_picker_suggests_and_fills_in_the_code(live_server, official_tree, open_page):
    from playwright.sync_api import expect

    province = official_tree.get(code="51")
    commune = official_tree.get(code="23500")
    leader = make_user("leader_picker", Role.PROVINCE_LEADER, province)

    with open_page() as (page, log):
        _sign_in(page, live_server.url, leader.username)
        page.goto(live_server.url + reverse("grassroots:team_list"))
        unit = page.locator("input[name=unit]")
        unit.press_sequentially("dak ha", delay=20)
        suggestion = page.locator(f'.unit-picks button[data-code="{commune.code}"]')
        expect(suggestion).to_contain_text(commune.name)
        expect(suggestion).to_contain_text(province.name)
        # The arrow key reaches the suggestions; Enter picks one.
        unit.press("ArrowDown")
        expect(page.locator(".unit-picks button").first).to_be_focused()
        suggestion.focus()
        page.keyboard.press("Enter")
        expect(unit).to_have_value(commune.code)
        expect(page.locator(".unit-picks li")).to_have_count(0)
        with page.expect_navigation():
            page.locator("form.filters button[type=submit]").click()
        assert f"unit={commune.code}" in page.url
    _assert_clean(log)
