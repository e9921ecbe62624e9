"""Pairings through the generic register: the form, the all-or-nothing import, the API, scoping."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from cax.core.imports import ImportRejected
from cax.core.models import ChangeLog
from cax.core.records.importing import import_records
from cax.core.testing.cast import make_user
from cax.core.testing.units import make_department
from cax.pairing.models import Pairing
from cax.pairing.registers import PAIRINGS

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_province_staff_pairs_a_department_with_a_commune_through_the_form(cast, login):
    department = make_department(cast.province_a)
    client = login(cast.province_staff)
    response = client.post(
        reverse("pairing:pairing_create"),
        {"department": department.code, "commune": cast.commune_a.code, "since": "2025-07-01", "note": ""},
    )
    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("pairing:pairing_detail", args=[pairing.pk])
    assert (pairing.department, pairing.commune) == (department, cast.commune_a)
    assert ChangeLog.objects.filter(object_type="pairing.pairing", object_id=str(pairing.pk), action="create").exists()
    page = client.get(reverse("pairing:pairing_list"), {"q": "dak ha"})
    assert "Xã Đăk Hà" in page.content.decode()


def test_a_commune_of_another_province_is_refused_with_the_field_named(cast, login):
    department = make_department(cast.province_a)
    response = login(cast.admin).post(
        reverse("pairing:pairing_create"),
        {"department": department.code, "commune": cast.commune_c.code, "since": "2025-07-01"},
    )
    assert response.status_code == 200
    assert "không thuộc tỉnh của phòng này" in response.context["form"].errors["commune"][0]
    assert not Pairing.objects.exists()


def test_import_is_all_or_nothing_and_names_row_and_column(cast):
    department = make_department(cast.province_a)
    content = _xlsx(
        [
            ["Mã phòng", "Mã xã", "Từ ngày"],
            [department.code, cast.commune_a.code, "01/07/2025"],
            [department.code, "99999", "01/07/2025"],
            [department.code, cast.commune_b.code, "not a date"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(PAIRINGS, actor=cast.province_staff, filename="p.xlsx", content=content, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "Mã xã"), (4, "Từ ngày")]
    assert not Pairing.objects.exists()
    good = _xlsx([["Mã phòng", "Mã xã", "Từ ngày"], [department.code, cast.commune_a.code, "01/07/2025"]])
    result = import_records(PAIRINGS, actor=cast.province_staff, filename="p.xlsx", content=good, dry_run=False)
    assert result.created == 1
    again = import_records(PAIRINGS, actor=cast.province_staff, filename="p.xlsx", content=good, dry_run=False)
    assert (again.created, again.unchanged) == (0, 1)


def test_the_department_user_and_the_commune_both_see_the_pairing_others_do_not(cast, client):
    department = make_department(cast.province_a)
    department_user = make_user("dept_user", "department_staff", department)
    PAIRINGS.save(
        actor=cast.province_staff,
        instance=None,
        data={"department": department, "commune": cast.commune_a, "since": __import__("datetime").date(2025, 7, 1)},
    )
    for user, expected in [(department_user, 1), (cast.commune_officer, 1), (cast.commune_c_officer, 0)]:
        client.force_login(user)
        body = client.get("/api/v1/pairing/pairings").json()
        assert body["count"] == expected, user


def test_api_create_takes_the_excel_values_and_reports_bad_fields(cast, client):
    department = make_department(cast.province_a)
    client.force_login(cast.province_staff)
    bad = client.post(
        "/api/v1/pairing/pairings",
        {"department": department.code, "commune": "nope", "since": "31/02/2025"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"since"}
    ok = client.post(
        "/api/v1/pairing/pairings",
        {"department": department.code, "commune": cast.commune_a.code, "since": "2025-07-01"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["commune"] == cast.commune_a.code


def test_list_page_query_count_does_not_grow_with_rows(cast, login, django_assert_max_num_queries):
    department = make_department(cast.province_a)
    import datetime as dt

    for i, commune in enumerate(cast.province_a.children.filter(unit_type__is_commune_level=True)[:30]):
        PAIRINGS.save(
            actor=None,
            instance=None,
            data={"department": department, "commune": commune, "since": dt.date(2025, 7, 1) + dt.timedelta(days=i)},
        )
    client = login(cast.province_staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("pairing:pairing_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("pairing:pairing_list"), {"format": "xlsx"}).status_code == 200


def test_editing_through_the_form_logs_the_value_before_the_edit(cast, login):
    import datetime as dt

    department = make_department(cast.province_a)
    pairing = PAIRINGS.save(
        actor=None,
        instance=None,
        data={"department": department, "commune": cast.commune_a, "since": dt.date(2025, 7, 1), "note": "cũ"},
    )
    response = login(cast.province_staff).post(
        reverse("pairing:pairing_edit", args=[pairing.pk]),
        {"department": department.code, "commune": cast.commune_a.code, "since": "2025-07-01", "note": "mới"},
    )
    assert response.status_code == 302
    entry = ChangeLog.objects.get(object_type="pairing.pairing", object_id=str(pairing.pk), action="update")
    assert (entry.before["note"], entry.after["note"]) == ("cũ", "mới")


def test_the_overview_tile_counts_the_communes_of_the_periods_last_day(cast):
    import datetime as dt

    from cax.core.testing.units import make_merged_commune
    from cax.pairing.selectors import tiles
    from cax.units.models import Unit

    make_merged_commune(cast.commune_a)  # 2019 – 30/06/2025, the only commune of 51 then
    (old,) = tiles(actor=cast.province_staff, unit=cast.province_a, first=dt.date(2019, 1, 1), last=dt.date(2019, 6, 1))
    assert old.value == "0/1"
    (today,) = tiles(actor=cast.province_staff, unit=cast.province_a, first=dt.date(2026, 1, 1), last=dt.date.today())
    assert today.value.endswith(
        f"/{Unit.objects.current().commune_level().filter(path__startswith=cast.province_a.path).count()}"
    )
