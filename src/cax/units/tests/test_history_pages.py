"""Pages about a unit across the 2025 merger (issue 14): a closed unit read after its end names its
successors, linked to the same page at the same date; a successor offers its predecessors' pages at
a date inside their validity. Units detail, staffing dashboard, overview and the reports pages."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cax.core.testing.units import make_merged_commune

ENDED = "Đơn vị đã hết hiệu lực từ 01/07/2025; kế thừa: "


@pytest.fixture
def ha_mon(cast):
    return make_merged_commune(cast.commune_a)


def _get(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return html.unescape(response.content.decode())


def _link(url: str, name: str) -> str:
    return f'<a href="{url}">{name}</a>'


def test_the_closed_units_page_today_names_and_links_its_successor(cast, ha_mon, login):
    body = _get(login(cast.province_leader), reverse("units:detail", args=[ha_mon.pk]))
    today = timezone.localdate().isoformat()
    successor = reverse("units:detail", args=[cast.commune_a.pk]) + f"?as_of={today}"
    assert ENDED + _link(successor, "Xã Đăk Hà") in body


def test_the_closed_units_page_inside_its_validity_has_no_notice(cast, ha_mon, login):
    body = _get(login(cast.province_leader), reverse("units:detail", args=[ha_mon.pk]), {"as_of": "01/06/2020"})
    assert "hết hiệu lực từ" not in body
    assert "Số liệu tại ngày 01/06/2020" in body


def test_the_successors_page_offers_its_predecessors_history(cast, ha_mon, login):
    body = _get(login(cast.province_leader), reverse("units:detail", args=[cast.commune_a.pk]))
    predecessor = reverse("units:detail", args=[ha_mon.pk]) + "?as_of=2025-06-30"
    assert "Lịch sử đơn vị tiền thân: " + _link(predecessor, "Xã Hà Mòn") + " <small>(01/01/2019 – 30/06/2025)" in body
    before = _get(
        login(cast.province_leader), reverse("units:detail", args=[cast.commune_a.pk]), {"as_of": "2019-06-01"}
    )
    assert "Đơn vị có hiệu lực từ 01/07/2025" in before


def test_the_tree_as_of_2019_lists_the_closed_commune_and_counts_it(cast, ha_mon, login):
    client = login(cast.province_leader)
    response = client.get(reverse("units:detail", args=[cast.province_a.pk]), {"as_of": "2019-06-01"})
    listed = {u.code for u in response.context["page"].object_list}
    assert listed == {"23501"}
    assert response.context["unit"].commune_count == 1
    today = client.get(reverse("units:detail", args=[cast.province_a.pk]))
    assert "23501" not in {u.code for u in today.context["page"].object_list}
    assert today.context["unit"].commune_count > 1


def test_a_successor_outside_the_readers_scope_is_named_without_a_link(cast, login):
    from cax.core.testing.cast import make_user

    ha_noi_old = make_merged_commune(cast.commune_c, code="00071", name="Phường Cũ")  # Hà Nội: successor 00070
    ha_noi_old.successors.add(cast.commune_a)  # and, by a data error, also Xã Đăk Hà (Quảng Ngãi)
    reader = make_user("hn_leader", "province_leader", cast.province_b)
    body = _get(login(reader), reverse("units:detail", args=[ha_noi_old.pk]))
    assert "Phường Hoàn Kiếm</a>, Xã Đăk Hà" in body


def test_the_staffing_dashboard_of_a_closed_unit_links_its_successor_at_the_same_date(cast, ha_mon, login):
    client = login(cast.province_leader)
    body = _get(client, reverse("deployment:staffing", args=[ha_mon.pk]), {"as_of": "15/01/2026"})
    successor = reverse("deployment:staffing", args=[cast.commune_a.pk]) + "?as_of=2026-01-15"
    assert ENDED + _link(successor, "Xã Đăk Hà") in body
    inside = _get(client, reverse("deployment:staffing", args=[ha_mon.pk]), {"as_of": "15/01/2020"})
    assert "hết hiệu lực" not in inside
    successor_page = _get(client, reverse("deployment:staffing", args=[cast.commune_a.pk]))
    predecessor = reverse("deployment:staffing", args=[ha_mon.pk]) + "?as_of=2025-06-30"
    assert _link(predecessor, "Xã Hà Mòn") in successor_page


def test_the_overview_of_a_closed_unit_links_its_successor_for_the_same_period(cast, ha_mon, login):
    client = login(cast.province_leader)
    period = {"first": "2026-01-01", "last": "2026-03-31"}
    body = _get(client, reverse("overview:unit", args=[ha_mon.pk]), period)
    successor = reverse("overview:unit", args=[cast.commune_a.pk]) + "?first=2026-01-01&last=2026-03-31"
    assert ENDED + _link(successor, "Xã Đăk Hà") in body
    successor_page = _get(client, reverse("overview:unit", args=[cast.commune_a.pk]), period)
    predecessor = reverse("overview:unit", args=[ha_mon.pk]) + "?first=2025-01-01&last=2025-06-30"
    assert _link(predecessor, "Xã Hà Mòn") in successor_page


def test_the_reports_pages_of_a_closed_unit_end_with_it_and_link_the_successor(cast, ha_mon, login):
    client = login(cast.province_leader)
    calendar = client.get(reverse("reports:unit", args=[ha_mon.pk]))
    body = html.unescape(calendar.content.decode())
    assert ENDED + _link(reverse("reports:unit", args=[cast.commune_a.pk]), "Xã Đăk Hà") in body
    rows = [row for _form, found in calendar.context["calendars"] for row in found]
    assert rows, "the periods before its end are listed"
    assert all(row.period.end <= ha_mon.valid_to for row in rows), "no period after the merger"

    rollup = _get(client, reverse("reports:rollup", args=[ha_mon.pk]), {"form": "bc-antt-thang", "first": "202601"})
    assert ENDED in rollup
    entry = _get(client, reverse("reports:entry", args=[ha_mon.pk, "bc-antt-thang", "202608"]))
    assert ENDED in entry
    old_entry = _get(client, reverse("reports:entry", args=[ha_mon.pk, "bc-antt-thang", "201903"]))
    assert "hết hiệu lực" not in old_entry

    successor = _get(client, reverse("reports:unit", args=[cast.commune_a.pk]))
    history = reverse("reports:submissions", args=[ha_mon.pk]) + "?first=2019-01-01&last=2025-06-30"
    assert _link(history, "Xã Hà Mòn") in successor


def test_a_successors_pages_cost_the_same_queries_for_one_or_five_predecessors(cast, login):
    client = login(cast.province_leader)
    make_merged_commune(cast.commune_a)
    urls = [
        reverse("units:detail", args=[cast.commune_a.pk]),
        reverse("deployment:staffing", args=[cast.commune_a.pk]),
        reverse("overview:unit", args=[cast.commune_a.pk]),
        reverse("reports:unit", args=[cast.commune_a.pk]),
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    counts()  # warm the caches both runs share (sessions, staffing revision)
    one = counts()
    for index in range(4):
        make_merged_commune(cast.commune_a, code=f"H77{index}", name=f"Xã Cũ {index}", valid_to=dt.date(2025, 6, 30))
    assert counts() == one
