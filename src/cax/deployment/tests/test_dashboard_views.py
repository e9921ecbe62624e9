"""The staffing dashboard page, its Excel tables, and the staffing, officer and posting API (#4)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cax.core.exports import XLSX_MIME
from cax.deployment.exports import staffing_tables
from cax.deployment.models import Posting
from cax.deployment.selectors import staffing_summary
from cax.deployment.services import posting_transfer
from cax.deployment.tests.factories import World, posted
from cax.personnel.services import officer_upsert
from cax.units.services import unit_update

D = dt.date
AS_OF = D(2025, 9, 1)
TABLES = [
    "coverage",
    "children",
    "units",
    "below_norm",
    "without_chief",
    "without_investigator",
    "without_language_speaker",
    "monthly",
]


@pytest.fixture
def world(cast) -> World:
    unit_update(actor=None, unit=cast.commune_b, is_ethnic_minority=True, local_languages=["Xơ Đăng"])
    return World(cast)


def dashboard(unit) -> str:
    return reverse("deployment:staffing", args=[unit.pk])


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [[as_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def as_cell(value):
    """A value as it reads back from the exported workbook."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int | float | dt.date):
        return value
    return str(value)


# -- the HTML page ---------------------------------------------------------------------------------


def test_the_province_leader_sees_the_figures(cast, world, login):
    response = login(cast.province_leader).get(dashboard(cast.province_a), {"as_of": "01/09/2025"})

    assert response.status_code == 200
    s = response.context["summary"]
    assert (s.as_of, s.covered, s.head_count, s.female, s.male) == (AS_OF, 2, 16, 1, 15)
    body = response.content.decode()
    assert f"{s.covered}/{s.communes}" in body
    assert "cán bộ (1 nữ, 15 nam)" in body
    assert "Số liệu tại ngày 01/09/2025" in body
    assert cast.commune_b.name in body  # below the norm, without a chief, without a Xơ Đăng speaker
    assert "Xơ Đăng" in body


def test_the_as_of_date_in_dd_mm_yyyy_gives_the_figures_of_that_day(cast, world, login):
    posted(cast.commune_b, end=D(2025, 8, 20))
    client = login(cast.province_leader)

    earlier = client.get(dashboard(cast.province_a), {"as_of": "15/08/2025"})
    later = client.get(dashboard(cast.province_a), {"as_of": "01/09/2025"})

    assert earlier.context["summary"].as_of == D(2025, 8, 15)
    assert (earlier.context["summary"].head_count, later.context["summary"].head_count) == (17, 16)
    assert "Số liệu tại ngày 15/08/2025" in earlier.content.decode()
    # Links to the children keep the date.
    assert f"{dashboard(cast.commune_a)}?as_of=15/08/2025" in earlier.content.decode()


@pytest.mark.parametrize("bad", ["31/02/2025", "hôm qua", "2025-13-01", "1/1"])
def test_a_bad_as_of_date_is_a_form_error_not_a_server_error(cast, world, login, bad):
    response = login(cast.province_leader).get(dashboard(cast.province_a), {"as_of": bad})

    assert response.status_code == 200
    assert "as_of" in response.context["form"].errors
    assert 'class="errors"' in response.content.decode()
    assert response.context["summary"].as_of == timezone.localdate()


# -- Excel tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_each_table_exports_to_xlsx_with_the_figures_of_the_page(cast, world, login, table):
    response = login(cast.province_leader).get(
        dashboard(cast.province_a), {"as_of": "01/09/2025", "table": table, "format": "xlsx"}
    )

    rows = sheet_rows(response)
    title, headers, expected = staffing_tables(
        staffing_summary(actor=cast.province_leader, unit=cast.province_a, as_of=AS_OF)
    )[table]
    assert rows[0] == [str(h) for h in headers]
    assert rows[1:] == [[as_cell(v) for v in row] for row in expected]
    assert expected, "every table has rows in this world"
    assert f"bien-che-{table}-51-20250901" in response["Content-Disposition"]


def test_the_exported_unit_rows_match_a_hand_count(cast, world, login):
    client = login(cast.province_leader)
    params = {"as_of": "01/09/2025", "format": "xlsx"}

    units = {r[0]: r for r in sheet_rows(client.get(dashboard(cast.province_a), {**params, "table": "units"}))[1:]}
    below = [r[0] for r in sheet_rows(client.get(dashboard(cast.province_a), {**params, "table": "below_norm"}))[1:]]
    speakers = sheet_rows(client.get(dashboard(cast.province_a), {**params, "table": "without_language_speaker"}))[1:]

    b_type = str(cast.commune_b.unit_type.name)
    a_type = str(cast.commune_a.unit_type.name)
    assert units["23500"] == ["23500", cast.commune_a.name, a_type, 13, 1, 12, 12, 0, 1, 1, None]
    assert units["23293"] == ["23293", cast.commune_b.name, b_type, 3, 0, 12, 12, 9, 0, 0, "Không"]
    assert "23500" not in below
    assert below[-1] == "23293"
    assert speakers == [["23293", cast.commune_b.name, b_type, "Xơ Đăng"]]


def test_an_unknown_table_is_404(cast, world, login):
    response = login(cast.province_leader).get(dashboard(cast.province_a), {"table": "salaries", "format": "xlsx"})
    assert response.status_code == 404


# -- scope of the page -----------------------------------------------------------------------------


def test_a_commune_chief_sees_only_the_own_commune_dashboard(cast, world, login):
    client = login(cast.commune_chief)

    assert client.get(dashboard(cast.province_a)).status_code == 404
    assert client.get(dashboard(cast.commune_b)).status_code == 404
    assert client.get(dashboard(cast.province_a), {"table": "units", "format": "xlsx"}).status_code == 404
    own = client.get(dashboard(cast.commune_a), {"as_of": "01/09/2025"})
    assert own.status_code == 200
    assert (own.context["summary"].communes, own.context["summary"].head_count) == (1, 13)


def test_another_province_sees_none_of_the_dashboard(cast, world, login):
    client = login(cast.commune_c_officer)
    assert client.get(dashboard(cast.province_a)).status_code == 404
    assert client.get(dashboard(cast.commune_a)).status_code == 404


# -- the staffing API ------------------------------------------------------------------------------


def test_the_staffing_api_returns_the_selector_figures(cast, world, login):
    response = login(cast.province_leader).get("/api/v1/units/51/staffing", {"as_of": "2025-09-01"})

    assert response.status_code == 200
    data = response.json()
    s = staffing_summary(actor=cast.province_leader, unit=cast.province_a, as_of=AS_OF)
    assert data["unit_code"] == "51"
    assert data["as_of"] == "2025-09-01"
    assert (data["communes"], data["covered"], data["coverage_percent"]) == (s.communes, 2, s.coverage_percent)
    assert (data["head_count"], data["female"], data["male"]) == (16, 1, 15)
    assert [(u["code"], u["head_count"], u["minimum"], u["shortfall"]) for u in data["below_norm"]] == [
        (u.code, u.head_count, u.norm.minimum, u.shortfall) for u in s.below_norm
    ]
    assert data["below_norm"][-1] == {
        "code": "23293",
        "name": cast.commune_b.name,
        "type": cast.commune_b.unit_type.code,
        "head_count": 3,
        "female": 0,
        "minimum": 12,
        "target": 12,
        "shortfall": 9,
        "chiefs": 0,
        "investigators": 0,
    }
    assert data["without_chief"] == [u.code for u in s.without_chief]
    assert "23500" not in data["without_chief"]
    assert data["without_investigator"] == [u.code for u in s.without_investigator]
    assert data["without_language_speaker"] == ["23293"]
    assert [(c["type"], c["covered"], c["total"]) for c in data["coverage_by_type"]] == [
        (c.type_code, c.covered, c.total) for c in s.coverage
    ]
    assert [(c["code"], c["head_count"]) for c in data["children"]] == [(c.unit.code, c.head_count) for c in s.children]
    assert data["monthly_head_counts"][-1] == ["2025-09-01", 16]
    assert (data["party_cells"], data["executive_committee_seats"], data["standing_committee_seats"]) == (0, 0, 0)


def test_the_staffing_api_is_404_outside_scope(cast, world, login):
    client = login(cast.commune_c_officer)
    response = client.get("/api/v1/units/51/staffing")
    assert response.status_code == 404
    assert "Quảng Ngãi" not in response.content.decode()
    assert client.get("/api/v1/units/23500/staffing").status_code == 404

    client = login(cast.commune_chief)
    assert client.get("/api/v1/units/51/staffing").status_code == 404
    assert client.get("/api/v1/units/23293/staffing").status_code == 404
    own = client.get("/api/v1/units/23500/staffing", {"as_of": "2025-09-01"})
    assert (own.status_code, own.json()["head_count"]) == (200, 13)


def test_the_staffing_api_refuses_a_bad_date(cast, world, login):
    response = login(cast.province_leader).get("/api/v1/units/51/staffing", {"as_of": "01/09/2025x"})
    assert response.status_code == 422


# -- officers and postings in the API --------------------------------------------------------------


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["service_number"] for item in response.json()["items"]}


def test_the_officer_api_lists_only_officers_in_scope(cast, world, login):
    hanoi = posted(cast.commune_c)
    a_numbers = {o.service_number for o in world.commune_a_officers}
    b_numbers = {o.service_number for o in world.commune_b_officers}
    page = {"page_size": 500}

    assert numbers(login(cast.commune_c_officer).get("/api/v1/officers", page)) == {hanoi.service_number}
    assert numbers(login(cast.commune_chief).get("/api/v1/officers", page)) == a_numbers
    assert numbers(login(cast.province_leader).get("/api/v1/officers", page)) == a_numbers | b_numbers
    assert numbers(login(cast.admin).get("/api/v1/officers", page)) >= a_numbers | b_numbers | {hanoi.service_number}
    # Filtering by a unit outside scope is 404, not an empty list that confirms the code exists.
    assert login(cast.commune_c_officer).get("/api/v1/officers", {"unit": "23500"}).status_code == 404


def test_officer_detail_in_the_api_is_404_outside_scope(cast, world, login):
    number = world.woman.service_number

    assert login(cast.commune_c_officer).get(f"/api/v1/officers/{number}").status_code == 404
    assert (
        login(cast.commune_chief).get(f"/api/v1/officers/{world.commune_b_officers[0].service_number}").status_code
        == 404
    )
    inside = login(cast.commune_chief).get(f"/api/v1/officers/{number}")
    assert inside.status_code == 200
    assert (inside.json()["full_name"], inside.json()["sex"], inside.json()["unit_code"]) == (
        "Nguyễn Thị Hoa",
        "female",
        "23500",
    )


def test_the_posting_api_lists_only_postings_in_scope(cast, world, login):
    hanoi = posted(cast.commune_c)
    hanoi_posting = Posting.objects.get(officer=hanoi)
    a_posting = Posting.objects.get(officer=world.woman)

    client = login(cast.commune_c_officer)
    assert numbers(client.get("/api/v1/postings", {"page_size": 500})) == {hanoi.service_number}
    assert client.get(f"/api/v1/postings/{a_posting.pk}").status_code == 404
    assert client.get(f"/api/v1/postings/{hanoi_posting.pk}").status_code == 200

    client = login(cast.commune_chief)
    listed = client.get("/api/v1/postings", {"page_size": 500, "active_on": "2025-09-01"})
    assert numbers(listed) == {o.service_number for o in world.commune_a_officers}
    assert client.get(f"/api/v1/postings/{hanoi_posting.pk}").status_code == 404
    detail = client.get(f"/api/v1/postings/{a_posting.pk}").json()
    assert (detail["unit_code"], detail["start_date"], detail["end_date"]) == ("23500", "2025-07-01", None)


PERSONAL = {"date_of_birth": D(1990, 3, 15), "family_notes": "Mẹ già ốm nặng, con nhỏ", "ethnicity": "Giẻ Triêng"}
PERSONAL_TEXT = ["1990-03-15", "15/03/1990", "Mẹ già ốm nặng", "Giẻ Triêng"]


def test_personal_fields_of_officers_outside_scope_never_appear(cast, world, login):
    officer_upsert(actor=None, service_number=world.woman.service_number, dependants=3, has_hardship=True, **PERSONAL)
    a_posting = Posting.objects.get(officer=world.woman)
    number, pk = world.woman.service_number, world.woman.pk
    client = login(cast.commune_c_officer)

    responses = [
        client.get("/api/v1/officers", {"page_size": 500}),
        client.get("/api/v1/officers", {"q": number}),
        client.get(f"/api/v1/officers/{number}"),
        client.get("/api/v1/postings", {"page_size": 500}),
        client.get(f"/api/v1/postings/{a_posting.pk}"),
        client.get("/api/v1/units/23500/staffing"),
        client.get(reverse("personnel:list"), {"q": "Hoa"}),
        client.get(reverse("personnel:list"), {"format": "xlsx"}),
        client.get(reverse("personnel:detail", args=[pk])),
        client.get(dashboard(cast.commune_c)),
    ]

    for response in responses:
        content = response.content
        if response.get("Content-Type") == XLSX_MIME:
            content = repr(sheet_rows(response)).encode()
        text = content.decode()
        for secret in [*PERSONAL_TEXT, "Nguyễn Thị Hoa", number]:
            assert secret not in text, (response.request, secret)

    # Inside scope the same file is shown.
    inside = login(cast.commune_chief).get(f"/api/v1/officers/{number}").json()
    assert (inside["date_of_birth"], inside["dependants"], inside["has_hardship"]) == ("1990-03-15", 3, True)


def test_a_past_posting_in_scope_does_not_open_the_officers_file(cast, world, login):
    # An officer who served in Hoàn Kiếm and now serves in Quảng Ngãi: Hoàn Kiếm keeps the
    # posting in its history but not the officer's personal file.
    mover = posted(cast.commune_c, **PERSONAL)
    posting_transfer(actor=None, officer=mover, to_unit=cast.commune_a, on=D(2025, 10, 1))
    client = login(cast.commune_c_officer)

    postings = client.get("/api/v1/postings", {"service_number": mover.service_number}).json()["items"]
    assert [(p["unit_code"], p["end_date"]) for p in postings] == [("00070", "2025-09-30")]
    assert client.get(f"/api/v1/officers/{mover.service_number}").status_code == 404
    assert client.get(reverse("personnel:detail", args=[mover.pk])).status_code == 404
    for text in PERSONAL_TEXT:
        assert text not in client.get("/api/v1/postings").content.decode()
