"""The grouped menu and the breadcrumbs (issue 17.4)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cax.core.context_processors import current_entry, navigation
from cax.core.registry import MENU_GROUPS, MenuEntry, registry

pytestmark = pytest.mark.django_db

ADMIN_MODULES = {
    "overview:unit",
    "deployment:staffing",
    "plans:list",
    "personnel:list",
    "training:course_list",
    "training:participant_list",
    "cases:list",
    "petitions:petition_list",
    "petitions:conference_list",
    "reports:unit",
    "grassroots:team_list",
    "grassroots:member_list",
    "honours:casualty_list",
    "honours:commendation_list",
    "honours:campaign_list",
    "facilities:headquarters_list",
    "facilities:equipment_list",
    "pairing:pairing_list",
    "units:list",
    "units:import",
    "accounts:users",
    "accounts:security_log",
    "changelog",
    "reference:index",
    "api:openapi-view",
}


def _nav(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    from django.urls import resolve

    request.resolver_match = resolve(path)
    return navigation(request)


def _urls(user) -> dict[str, str]:
    """url → the group key it is listed under ("" for a link of its own)."""
    nav = _nav(user)
    found = {link.url: "" for link in nav["menu_top"]}
    for group in nav["menu_groups"]:
        found.update({link.url: group.key for link in group.links})
    return found


def _url(entry: MenuEntry, user) -> str:
    return reverse(entry.url_name, args=[user.unit_id] if entry.with_unit else [])


def _crumbs(body: str) -> list[str]:
    nav = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', body, re.S)
    assert nav, "no breadcrumbs on the page"
    items = re.findall(r"<li[^>]*>(.*?)</li>", nav.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def _current(body: str) -> list[str]:
    nav = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', body, re.S).group(1)
    marked = re.findall(r'aria-current="page"[^>]*>(.*?)</', nav)
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in marked]


def test_every_entry_is_in_one_of_the_six_groups_and_only_the_overview_stands_alone():
    assert list(MENU_GROUPS) == ["personnel", "operations", "reports", "movement", "logistics", "admin"]
    alone = [entry.url_name for entry in registry.menu if not entry.group]
    assert alone == ["overview:unit"]
    assert {entry.group for entry in registry.menu if entry.group} == set(MENU_GROUPS)


def test_the_admin_reaches_every_module_in_its_group(cast):
    by_name = {entry.url_name: entry for entry in registry.menu}
    urls = _urls(cast.admin)
    for name in ADMIN_MODULES:
        assert _url(by_name[name], cast.admin) in urls, name
    assert urls[reverse("reference:index")] == "admin"
    assert urls[reverse("grassroots:team_list")] == "movement"
    assert urls[reverse("honours:casualty_list")] == "movement"
    assert urls[reverse("facilities:headquarters_list")] == "logistics"
    assert urls[reverse("pairing:pairing_list")] == "logistics"
    assert urls[reverse("petitions:petition_list")] == "operations"
    assert urls[reverse("training:course_list")] == "personnel"
    assert urls[reverse("reports:unit", args=[cast.admin.unit_id])] == "reports"
    # The groups come in the bar's fixed order.
    assert [g.key for g in _nav(cast.admin)["menu_groups"]] == list(MENU_GROUPS)


def test_the_commune_officer_sees_only_what_it_may_open(cast, login):
    officer = cast.commune_officer
    urls = _urls(officer)
    for hidden in ("units:import", "accounts:users", "accounts:security_log", "changelog", "reference:index"):
        assert reverse(hidden) not in urls, hidden
    assert reverse("plans:list") not in urls
    assert reverse("grassroots:team_list") in urls
    assert reverse("cases:list", args=[officer.unit_id]) in urls
    client = login(officer)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_group_without_an_entry_for_the_user_is_not_shown(cast, monkeypatch):
    only = [e for e in registry.menu if e.group != "logistics"]
    monkeypatch.setattr(registry, "menu", only)
    assert "logistics" not in [g.key for g in _nav(cast.admin)["menu_groups"]]


def test_the_reference_data_entry_follows_the_reference_site(cast):
    assert reverse("reference:index") in _urls(cast.admin)
    # An administrator below the top of the tree is not admitted there.
    from cax.accounts.roles import Role
    from cax.core.testing.cast import make_user

    province_admin = make_user("admin_province", Role.ADMINISTRATOR, cast.province_a)
    assert reverse("reference:index") not in _urls(province_admin)
    assert reverse("accounts:users") in _urls(province_admin)


def test_the_bar_marks_the_current_group_and_entry(cast, login):
    body = login(cast.admin).get(reverse("grassroots:member_list")).content.decode()
    bar = re.search(r'<nav class="menu".*?</nav>', body, re.S).group(0)
    assert re.search(r'<details class="menu-group current" data-group="movement">', bar)
    assert bar.count("menu-group current") == 1
    assert f'<a href="{reverse("grassroots:member_list")}" aria-current="page">' in bar
    assert bar.count('aria-current="page"') == 1
    assert bar.count('aria-current="true"') == 1  # the group's button
    # A page below a module (a new team) marks the module's link, not as the page itself.
    body = login(cast.admin).get(reverse("grassroots:team_create")).content.decode()
    bar = re.search(r'<nav class="menu".*?</nav>', body, re.S).group(0)
    assert f'<a href="{reverse("grassroots:team_list")}" aria-current="true">' in bar
    assert 'aria-current="page"' not in bar


def test_the_most_specific_entry_owns_a_page():
    entries = list(registry.menu)
    assert current_entry(entries, "units:import_preview").url_name == "units:import"
    assert current_entry(entries, "units:detail").url_name == "units:list"
    assert current_entry(entries, "grassroots:member_detail").url_name == "grassroots:member_list"
    assert current_entry(entries, "grassroots:team_edit").url_name == "grassroots:team_list"
    assert current_entry(entries, "accounts:user_edit").url_name == "accounts:users"
    assert current_entry(entries, "accounts:profile") is None
    assert current_entry(entries, "") is None


def test_navigation_reads_nothing_from_the_database(cast, django_assert_num_queries):
    user = type(cast.admin).objects.select_related("unit").get(pk=cast.admin.pk)
    with django_assert_num_queries(0):
        _nav(user, reverse("grassroots:member_list"))


@pytest.mark.parametrize(
    ("url_name", "args", "expected"),
    [
        ("units:list", [], ["Trang chủ", "Quản trị", "Đơn vị"]),
        ("grassroots:member_list", [], ["Trang chủ", "Phong trào", "Thành viên tổ bảo vệ ANTT"]),
        ("grassroots:team_create", [], ["Trang chủ", "Phong trào", "Tổ bảo vệ ANTT", "Thêm tổ bảo vệ ANTT"]),
        ("facilities:headquarters_missing", [], ["Trang chủ", "Hậu cần", "Trụ sở Công an xã", "Đơn vị chưa có trụ sở"]),
        (
            "honours:casualty_summary",
            [],
            ["Trang chủ", "Phong trào", "Hy sinh, bị thương", "Thống kê cán bộ hy sinh, bị thương"],
        ),
        ("accounts:profile", [], ["Trang chủ", "Hồ sơ"]),
        ("accounts:user_create", [], ["Trang chủ", "Quản trị", "Tài khoản", "Thêm tài khoản"]),
        ("changelog", [], ["Trang chủ", "Quản trị", "Nhật ký thay đổi"]),
        ("plans:create", [], ["Trang chủ", "Cán bộ", "Phương án bố trí", "Lập phương án bố trí"]),
    ],
)
def test_breadcrumbs_on_representative_pages(cast, login, url_name, args, expected):
    body = login(cast.admin).get(reverse(url_name, args=args)).content.decode()
    assert _crumbs(body) == expected
    assert _current(body) == [expected[-1]]


def test_a_unit_page_puts_its_ancestors_in_the_breadcrumbs(cast, login):
    body = login(cast.province_leader).get(reverse("units:detail", args=[cast.commune_a.pk])).content.decode()
    assert _crumbs(body) == ["Trang chủ", "Quản trị", "Đơn vị", "Bộ Công an", cast.province_a.name, cast.commune_a.name]
    assert _current(body) == [cast.commune_a.name]
    # The ministry is above the leader's scope: named, not linked.
    assert f'href="{reverse("units:detail", args=[cast.root.pk])}"' not in re.search(
        r'<nav class="crumbs".*?</nav>', body, re.S
    ).group(0)


def test_a_record_page_adds_its_register_and_the_record(cast, login):
    from cax.grassroots.models import Criteria

    criteria = Criteria.objects.filter(unit=cast.root).first() or Criteria.objects.create(unit=cast.root)
    body = login(cast.admin).get(reverse("grassroots:criteria_detail", args=[criteria.pk])).content.decode()
    crumbs = _crumbs(body)
    assert crumbs[:3] == ["Trang chủ", "Phong trào", "Tiêu chuẩn thành viên"]
    assert crumbs[3] == str(criteria)
    assert len(crumbs) == 4


def test_the_reports_pages_name_the_unit_between_module_and_page(cast, login):
    unit = cast.province_a
    body = login(cast.province_leader).get(reverse("reports:completeness", args=[unit.pk])).content.decode()
    assert _crumbs(body) == ["Trang chủ", "Báo cáo", "Báo cáo định kỳ", unit.name, "Tỷ lệ báo cáo"]


def test_the_staffing_page_of_ones_own_unit_marks_only_the_unit(cast, login):
    officer = cast.commune_officer
    body = login(officer).get(reverse("deployment:staffing", args=[officer.unit_id])).content.decode()
    crumbs = _crumbs(body)
    assert crumbs[:3] == ["Trang chủ", "Cán bộ", "Bố trí cán bộ"]
    assert crumbs[-1] == cast.commune_a.name
    assert _current(body) == [cast.commune_a.name]
