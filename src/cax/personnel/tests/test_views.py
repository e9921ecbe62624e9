"""Officer pages (#4): search without diacritics, filters, pagination, Excel, query count, scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cax.core.exports import XLSX_MIME
from cax.deployment.models import PostingRole
from cax.deployment.services import posting_transfer
from cax.deployment.tests.factories import bulk_posted, officer, posted
from cax.personnel.choices import InvestigatorGrade, Rank, Sex, SpecialityKind
from cax.personnel.views import EXPORT_HEADERS
from cax.units.models import Unit

D = dt.date
LIST = reverse("personnel:list")


@pytest.fixture
def people(cast) -> dict:
    return {
        "hoa": posted(cast.commune_a, full_name="Nguyễn Thị Hoa", sex=Sex.FEMALE, rank=Rank.FIRST_LIEUTENANT),
        "duc": posted(
            cast.commune_a,
            full_name="Đặng Văn Đức",
            rank=Rank.CAPTAIN,
            specialities=[(SpecialityKind.INVESTIGATOR, InvestigatorGrade.ELEMENTARY)],
        ),
        "y_bon": posted(cast.commune_b, full_name="Y Bơn Niê", languages=[("Xơ Đăng", True)]),
        "khanh": officer(cast.province_a, full_name="Hồ Quốc Khánh", rank=Rank.MAJOR),
        "hanoi": posted(cast.commune_c, full_name="Nguyễn Thị Hằng", sex=Sex.FEMALE),
    }


def names(response) -> list[str]:
    assert response.status_code == 200
    return [o.full_name for o in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dang van duc", ["Đặng Văn Đức"]),
        ("ĐẶNG đức", ["Đặng Văn Đức"]),
        ("nguyen hoa", ["Nguyễn Thị Hoa"]),
        ("nguyễn", ["Nguyễn Thị Hoa"]),  # not Nguyễn Thị Hằng of Hà Nội
        ("y bon nie", ["Y Bơn Niê"]),
        ("hoa nguyen", ["Nguyễn Thị Hoa"]),  # word order does not matter
        ("khong co ai", []),
    ],
)
def test_officer_search_ignores_case_and_diacritics(cast, people, login, q, expected):
    assert names(login(cast.province_leader).get(LIST, {"q": q})) == expected


def test_officer_search_finds_a_service_number(cast, people, login):
    number = people["duc"].service_number
    assert names(login(cast.province_leader).get(LIST, {"q": number})) == ["Đặng Văn Đức"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Đặng Văn Đức", "Hồ Quốc Khánh", "Nguyễn Thị Hoa", "Y Bơn Niê"]),
        ({"sex": "female"}, ["Nguyễn Thị Hoa"]),
        ({"rank": "captain"}, ["Đặng Văn Đức"]),
        ({"speciality": "investigator"}, ["Đặng Văn Đức"]),
        ({"language": "xo dang"}, ["Y Bơn Niê"]),
        ({"language": "Xơ Đăng", "sex": "female"}, []),
        ({"sex": "male", "rank": "major"}, ["Hồ Quốc Khánh"]),
    ],
)
def test_officer_list_filters(cast, people, login, params, expected):
    # Sorted here: the list orders by full_name in the database's collation, which differs by backend.
    assert sorted(names(login(cast.province_leader).get(LIST, params))) == sorted(expected)


def test_a_bad_filter_value_does_not_break_the_list(cast, people, login):
    response = login(cast.province_leader).get(LIST, {"sex": "X", "rank": "field_marshal"})
    assert response.status_code == 200


def test_the_list_is_paginated_and_keeps_the_filters(cast, login):
    bulk_posted([cast.commune_a], 60)
    client = login(cast.province_leader)

    first = client.get(LIST, {"q": "hang loat"})
    second = client.get(LIST, {"q": "hang loat", "page": 2})
    small = client.get(LIST, {"q": "hang loat", "page_size": 25, "page": 3})

    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (50, 10)
    assert first.context["page"].paginator.count == 60
    assert set(names(first)).isdisjoint(names(second))
    assert len(small.context["page"].object_list) == 10
    assert "q=hang+loat" in first.context["query"]
    assert "page=2" in first.content.decode()


def test_the_list_exports_every_matching_officer_to_xlsx(cast, people, login):
    bulk_posted([cast.commune_a], 60)
    response = login(cast.province_leader).get(LIST, {"format": "xlsx", "q": "hang loat", "page_size": 10})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [str(h) for h in EXPORT_HEADERS]
    assert len(rows) == 61  # every match, not one page


def test_the_export_row_carries_the_officers_file(cast, people, login):
    response = login(cast.province_leader).get(LIST, {"format": "xlsx", "q": "dang van duc"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, row = [list(r) for r in sheet.iter_rows(values_only=True)]
    record = dict(zip(header, row, strict=True))
    assert record["Số hiệu"] == people["duc"].service_number
    assert (record["Họ và tên"], record["Giới tính"], record["Mã đơn vị"], record["Cấp bậc hàm"]) == (
        "Đặng Văn Đức",
        "Nam",
        "23500",
        "Đại úy",
    )
    assert record["Chuyên môn"] == "Điều tra viên: Sơ cấp"
    assert record["Đảng viên"] == "Không"


def test_the_exported_list_imports_back_unchanged(cast, people, login):
    # "Đơn vị" (the unit's name) matches an alias of "Mã đơn vị": the exact header must win.
    from cax.personnel.imports import officers_import

    response = login(cast.province_staff).get(LIST, {"format": "xlsx"})

    result = officers_import(actor=cast.province_staff, filename="xuat.xlsx", content=response.content, dry_run=True)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert "Đơn vị" in result.ignored_headers


def test_the_list_query_count_is_the_same_for_1_and_200_officers(cast, login, django_assert_num_queries):
    posted(cast.commune_a, languages=[("Ba Na", True)], specialities=[(SpecialityKind.LEGAL, "")])
    client = login(cast.province_leader)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST, {"page_size": 500}).context["page"].object_list) == 1
    fixed = len(one)

    communes = list(Unit.objects.current().commune_level().filter(path__startswith=cast.province_a.path)[:20])
    bulk_posted(communes, 199)

    with django_assert_num_queries(fixed):
        response = client.get(LIST, {"page_size": 500})
    assert len(response.context["page"].object_list) == 200
    assert fixed <= 10


# -- the officer page ------------------------------------------------------------------------------


def test_the_officer_page_shows_the_posting_history(cast, people, login):
    hoa = people["hoa"]
    posting_transfer(
        actor=None,
        officer=hoa,
        to_unit=cast.commune_b,
        role=PostingRole.DEPUTY,
        on=D(2025, 10, 1),
        decision_number="77/QĐ-CAT",
        reason="Tăng cường",
    )

    response = login(cast.province_leader).get(reverse("personnel:detail", args=[hoa.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    history = body[body.index("Quá trình bố trí") :]
    assert history.index(cast.commune_b.name) < history.index(cast.commune_a.name)  # newest first
    for text in [
        "Phó Trưởng Công an",
        "Cán bộ, chiến sĩ",
        "01/10/2025",
        "01/07/2025",
        "30/09/2025",
        "77/QĐ-CAT",
        "Tăng cường",
    ]:
        assert text in history
    assert [p.start_date for p in response.context["officer"].postings.all()] == [D(2025, 10, 1), D(2025, 7, 1)]


def test_an_officer_without_postings_says_so(cast, people, login):
    response = login(cast.province_leader).get(reverse("personnel:detail", args=[people["khanh"].pk]))
    assert "Chưa có quyết định bố trí." in response.content.decode()


def test_the_officer_page_is_404_outside_scope(cast, people, login):
    hoa, y_bon = people["hoa"], people["y_bon"]

    assert login(cast.commune_c_officer).get(reverse("personnel:detail", args=[hoa.pk])).status_code == 404
    assert login(cast.commune_chief).get(reverse("personnel:detail", args=[y_bon.pk])).status_code == 404
    assert login(cast.commune_chief).get(reverse("personnel:detail", args=[hoa.pk])).status_code == 200
    assert login(cast.province_leader).get(reverse("personnel:detail", args=[people["hanoi"].pk])).status_code == 404


def test_the_list_shows_only_officers_in_scope(cast, people, login):
    assert names(login(cast.commune_c_officer).get(LIST)) == ["Nguyễn Thị Hằng"]
    assert sorted(names(login(cast.commune_chief).get(LIST))) == ["Nguyễn Thị Hoa", "Đặng Văn Đức"]


def test_signed_out_visitors_are_sent_to_the_login_page(cast, people, client):
    assert client.get(LIST).status_code == 302
    assert client.get(reverse("personnel:detail", args=[people["hoa"].pk])).status_code == 302
