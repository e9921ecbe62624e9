"""The home page, "Việc cần làm" (issue 17): every role lands on it, the urgent lines come first and
the calm ones last, each app's lines stay in the user's scope, and the page costs the same queries
whatever the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.accounts.roles import Role
from cax.cases.tests.test_register import register
from cax.core import todo
from cax.core.registry import registry
from cax.core.testing.cast import PASSWORD, make_user
from cax.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

# The queries of the page per role, whatever the number of cases, reports and requests: the
# reports' forms (a handful, reference data) cost a few each, every other figure one grouped query;
# the ministry reads its three staffing days (uncached under test) and the seeds' figures.
# The desk (#18) adds 1 for a commune (due today, overdue) and 2 for a province (two index ranges);
# supervision (#18) 2 for a commune (its duties, its hand-overs waiting) and 1 elsewhere (the subtree's count).
# +1 each: the library's "tài liệu chờ xác nhận đã đọc" count (issue 19.3) and the notices' bell
# (19.4, the unread count in the top bar); the movement's lines (19.2).
QUERIES = {"commune_officer": 31, "commune_chief": 31, "province_leader": 47, "ministry_leader": 49, "admin": 49}


def _busy(cast):
    """Rows in both communes of Quảng Ngãi and in Hà Nội: cases past their deadline, a report."""
    officer_b = make_user("officer_b", Role.COMMUNE_OFFICER, cast.commune_b)
    for actor, unit in ((cast.commune_officer, cast.commune_a), (officer_b, cast.commune_b)):
        register(actor, unit)
        register(actor, unit)
    register(cast.commune_c_officer, cast.commune_c)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    submit(cast, cast.commune_a, yesterday)


@pytest.mark.parametrize("role", list(QUERIES))
def test_each_role_lands_on_its_to_do_page_in_constant_queries(cast, login, role, django_assert_max_num_queries):
    client = login(cast.by_role(role))
    with django_assert_max_num_queries(QUERIES[role]):
        client.get(reverse("home"))  # nothing to do yet
    _busy(cast)
    with django_assert_max_num_queries(QUERIES[role]):
        response = client.get(reverse("home"))
    body = response.content.decode()
    assert "<h1>Việc cần làm</h1>" in body
    assert reverse("units:detail", args=[cast.by_role(role).unit_id]) in body  # the unit page stays one click away


def test_signing_in_lands_on_the_to_do_page(cast, client):
    response = client.post(reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Việc cần làm" in response.content.decode()


def test_late_lines_come_first_and_calm_ones_last(cast, login):
    register(cast.commune_officer, cast.commune_a)
    lines = todo.collect(actor=cast.commune_officer, now=timezone.now())
    ranks = [todo._RANK[line.severity] for line in lines]
    assert ranks == sorted(ranks)
    assert lines[0].severity == todo.LATE
    body = login(cast.commune_officer).get(reverse("home")).content.decode()
    assert body.index("Cần xử lý") < body.index("Tin báo quá hạn giải quyết") < body.index("Không có việc")
    assert body.index("Không có việc") < body.index("Quyết định chưa gửi Viện kiểm sát đúng hạn")


def test_a_commune_officer_never_sees_another_communes_lines(cast, login):
    _busy(cast)
    body = login(cast.commune_officer).get(reverse("home")).content.decode()
    assert cast.commune_b.name not in body
    assert f"/cases/unit/{cast.commune_b.pk}/" not in body
    assert f"/reports/unit/{cast.province_a.pk}/" not in body
    province = login(cast.province_leader).get(reverse("home")).content.decode()
    assert f"Tin báo quá hạn tại {cast.commune_b.name}" in province
    assert cast.commune_c.name not in province  # Hà Nội's commune is another province's


def test_the_ministry_reads_the_national_figures_with_their_trend(cast, login):
    body = login(cast.ministry_leader).get(reverse("home")).content.decode()
    assert "Số liệu toàn quốc" in body
    month_ago, year_ago = todo.trend_days(timezone.localdate())
    for label in (
        "Đơn vị cấp xã có Công an chính quy",
        "Số cán bộ Công an xã",
        "Chi bộ Công an xã",
        "Trụ sở Công an xã đã xây dựng xong",
        "Tổ bảo vệ ANTT kiện toàn",
        "Thành viên tổ đã qua tập huấn",
    ):
        assert label in body
    assert month_ago.strftime("%d/%m/%Y") in body
    assert year_ago.strftime("%d/%m/%Y") in body


def test_every_to_do_provider_resolves_and_each_app_that_should_has_one():
    from django.utils.module_loading import import_string

    for contribution in registry.todo:
        assert callable(import_string(contribution.dotted))
    apps = {c.dotted.split(".")[1] for c in registry.todo}
    assert {"reports", "cases", "petitions", "deployment", "grassroots", "facilities"} <= apps


def test_trend_days_keep_to_the_end_of_a_shorter_month():
    assert todo.trend_days(dt.date(2026, 3, 31)) == (dt.date(2026, 2, 28), dt.date(2025, 3, 31))
    assert todo.trend_days(dt.date(2026, 1, 15)) == (dt.date(2025, 12, 15), dt.date(2025, 1, 15))
    assert todo.trend_days(dt.date(2028, 2, 29)) == (dt.date(2028, 1, 29), dt.date(2027, 2, 28))


def test_the_to_do_page_speaks_english_when_chosen(cast, login):
    client = login(cast.commune_chief)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "<h1>To do</h1>" in html
    assert "Việc cần làm" not in html
