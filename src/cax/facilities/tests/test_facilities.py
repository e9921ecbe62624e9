"""Headquarters, the equipment standard, equipment and its events: rules, import, API, scoping,
the overview tiles and their drill-downs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from cax.core import formatting
from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.imports import ImportRejected
from cax.core.models import ChangeLog
from cax.core.records.importing import import_records
from cax.facilities import selectors, services
from cax.facilities.models import (
    Condition,
    Equipment,
    EquipmentEvent,
    EquipmentStandard,
    EquipmentStatus,
    Headquarters,
    HeadquartersStatus,
)
from cax.facilities.registers import HEADQUARTERS, STANDARDS
from cax.units.models import Unit

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 10, 1)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _tile(tiles, title: str):
    return next(t for t in tiles if str(t.title) == title)


def _hq(unit, status=HeadquartersStatus.BUILT, year=2024, **extra) -> Headquarters:
    return services.headquarters_save(
        actor=None, instance=None, data={"unit": unit, "status": status, "year": year, **extra}
    )


def _standard(code: str) -> EquipmentStandard:
    return EquipmentStandard.objects.get(unit__isnull=True, code=code)


def _equipment(unit, code: str, quantity: int, **extra) -> Equipment:
    return services.equipment_save(
        actor=None, instance=None, data={"unit": unit, "standard": _standard(code), "quantity": quantity, **extra}
    )


def _communes(unit) -> int:
    return Unit.objects.current().commune_level().filter(path__startswith=unit.path).count()


# -- the acceptance test ---------------------------------------------------------------------


def test_a_commune_finishing_its_headquarters_moves_the_province_built_percentage(cast, login):
    total = _communes(cast.province_a)
    client = login(cast.commune_chief)
    created = client.post(
        reverse("facilities:headquarters_create"),
        {"unit": cast.commune_a.code, "status": "under_construction", "year": "2025", "funding_source": "local"},
    )
    assert created.status_code == 302, created.context["form"].errors
    hq = Headquarters.objects.get(unit=cast.commune_a)

    def built_tile():
        found = selectors.tiles(actor=cast.province_leader, unit=cast.province_a, first=TODAY, last=TODAY)
        return _tile(found, "Trụ sở đã xây dựng xong")

    before = built_tile()
    assert before.detail.startswith(f"0/{formatting.number(total)} ")
    assert before.percent == 0.0
    assert "status=built" in before.url
    assert "unit=51" in before.url

    edited = client.post(
        reverse("facilities:headquarters_edit", args=[hq.pk]),
        {
            "unit": cast.commune_a.code,
            "status": "built",
            "year": "2025",
            "funding_source": "local",
            "amount": "4200000000",
        },
    )
    assert edited.status_code == 302, edited.context["form"].errors

    after = built_tile()
    assert after.detail.startswith(f"1/{formatting.number(total)} ")
    assert after.percent == round(100 / total, 1)
    assert after.value == f"{round(100 / total, 1):g}%"
    # The drill-down lists exactly that commune.
    page = login(cast.province_leader).get(after.url)
    assert [obj.unit.code for obj, _cells in page.context["rows"]] == [cast.commune_a.code]


# -- headquarters rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"status": "built", "year": None}, "year", "phải có năm xây dựng"),
        ({"status": "under_construction", "year": timezone.localdate().year + 1}, "year", "ở tương lai"),
        ({"status": "built", "year": 2020, "amount": -5}, "amount", "không được âm"),
        ({"status": "temporary", "year": 1800}, "year", "không hợp lệ"),
    ],
)
def test_headquarters_rules_name_the_field(cast, data, field, words):
    with pytest.raises(DomainError) as refused:
        services.headquarters_save(actor=cast.commune_chief, instance=None, data={"unit": cast.commune_a, **data})
    assert words in refused.value.fields[field][0]
    assert not Headquarters.objects.exists()


def test_headquarters_belong_to_commune_level_units_only(cast):
    with pytest.raises(DomainError) as refused:
        services.headquarters_save(actor=None, instance=None, data={"unit": cast.province_a, "status": "none"})
    assert "không phải là đơn vị cấp xã" in refused.value.fields["unit"][0]


def test_one_headquarters_row_per_unit(cast):
    _hq(cast.commune_a)
    with pytest.raises(DomainError) as refused:
        _hq(cast.commune_a, status=HeadquartersStatus.TEMPORARY)
    assert "unit" in refused.value.fields


def test_status_changes_show_on_the_detail_timeline(cast, login):
    hq = _hq(cast.commune_a, status=HeadquartersStatus.TEMPORARY, year=2023)
    services.headquarters_save(
        actor=cast.province_staff, instance=hq, data={"status": HeadquartersStatus.UNDER_CONSTRUCTION, "year": 2024}
    )
    services.headquarters_save(actor=cast.province_staff, instance=hq, data={"note": "sơn lại cổng"})
    services.headquarters_save(actor=cast.province_staff, instance=hq, data={"status": HeadquartersStatus.BUILT})
    page = login(cast.admin).get(reverse("facilities:headquarters_detail", args=[hq.pk]))
    assert [step["status"] for step in page.context["timeline"]] == ["Tạm", "Đang xây dựng", "Đã xây dựng xong"]
    messages = list(
        ChangeLog.objects.filter(object_type="facilities.headquarters", object_id=str(hq.pk)).values_list(
            "message", flat=True
        )
    )
    assert "Tình trạng: Đang xây dựng → Đã xây dựng xong" in messages
    assert "Diễn biến tình trạng trụ sở" in page.content.decode()


# -- import ------------------------------------------------------------------------------------

HEADER = ["Mã đơn vị", "Tình trạng trụ sở", "Năm xây dựng / khởi công", "Nguồn kinh phí", "Kinh phí (đồng)"]


def test_headquarters_import_is_all_or_nothing_with_row_and_column(cast):
    content = _xlsx(
        [
            HEADER,
            [cast.commune_a.code, "Đã xây dựng xong", 2024, "Ngân sách địa phương", 3_500_000_000],
            [cast.commune_b.code, "Đã xây dựng xong", None, None, None],
            ["99999", "Tạm", None, None, None],
            [cast.commune_a.code, "sắp xây", 2024, None, -1],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(HEADQUARTERS, actor=cast.province_staff, filename="ts.xlsx", content=content, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (3, "Năm xây dựng / khởi công"),
        (4, "Mã đơn vị"),
        (5, "Tình trạng trụ sở"),
    ]
    assert not Headquarters.objects.exists()


def test_headquarters_import_upserts_by_unit(cast):
    first = _xlsx([HEADER, [cast.commune_a.code, "Đang xây dựng", 2025, "NSDP", 1_000_000_000]])
    result = import_records(HEADQUARTERS, actor=cast.province_staff, filename="ts.xlsx", content=first, dry_run=False)
    assert result.created == 1
    second = _xlsx(
        [["Mã đơn vị", "Tình trạng trụ sở", "Năm xây dựng / khởi công"], [cast.commune_a.code, "xong", 2025]]
    )
    again = import_records(HEADQUARTERS, actor=cast.province_staff, filename="ts.xlsx", content=second, dry_run=False)
    assert (again.created, again.updated) == (0, 1)
    hq = Headquarters.objects.get()
    # The second file had no funding columns: they are kept, not blanked.
    assert (hq.status, hq.funding_source, hq.amount) == ("built", "local", 1_000_000_000)


def test_a_commune_chief_cannot_import_another_communes_headquarters(cast):
    content = _xlsx([HEADER, [cast.commune_b.code, "Tạm", None, None, None]])
    with pytest.raises(ImportRejected) as rejected:
        import_records(HEADQUARTERS, actor=cast.commune_chief, filename="ts.xlsx", content=content, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "Mã đơn vị")]


# -- scoping -----------------------------------------------------------------------------------


def test_another_province_sees_nothing_of_province_51(cast, client):
    hq = _hq(cast.commune_a)
    item = _equipment(cast.commune_a, "XMT", 3)
    client.force_login(cast.commune_c_officer)
    assert client.get("/api/v1/facilities/headquarters").json()["count"] == 0
    assert client.get("/api/v1/facilities/equipment").json()["count"] == 0
    assert client.get(f"/api/v1/facilities/headquarters/{hq.pk}").status_code == 404
    assert client.get(reverse("facilities:equipment_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("facilities:headquarters_list")).context["page"].paginator.count == 0
    assert client.get(reverse("facilities:headquarters_missing"), {"unit": "51"}).status_code == 404


def test_a_commune_chief_cannot_edit_another_commune(cast, login):
    other = _hq(cast.commune_b, status=HeadquartersStatus.TEMPORARY, year=2020)
    client = login(cast.commune_chief)
    assert client.get(reverse("facilities:headquarters_edit", args=[other.pk])).status_code == 404
    posted = client.post(
        reverse("facilities:headquarters_edit", args=[other.pk]), {"unit": cast.commune_b.code, "status": "built"}
    )
    assert posted.status_code == 404
    created = client.post(reverse("facilities:headquarters_create"), {"unit": cast.commune_b.code, "status": "none"})
    assert "trong phạm vi của bạn" in created.context["form"].errors["unit"][0]
    with pytest.raises(NotVisible):
        services.headquarters_save(actor=cast.commune_chief, instance=other, data={"status": "built", "year": 2024})
    other.refresh_from_db()
    assert other.status == HeadquartersStatus.TEMPORARY


def test_a_commune_officer_reads_but_does_not_change(cast, client):
    _hq(cast.commune_a)
    client.force_login(cast.commune_officer)
    assert client.get("/api/v1/facilities/headquarters").json()["count"] == 1
    refused = client.post(
        "/api/v1/facilities/headquarters",
        {"unit": cast.commune_a.code, "status": "none"},
        content_type="application/json",
    )
    assert refused.status_code == 403


# -- API ---------------------------------------------------------------------------------------


def test_api_create_update_and_errors(cast, client):
    client.force_login(cast.province_staff)
    bad = client.post(
        "/api/v1/facilities/headquarters",
        {"unit": cast.commune_a.code, "status": "đã xây xong", "year": "năm ngoái", "colour": "red"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"colour"}
    bad = client.post(
        "/api/v1/facilities/headquarters",
        {"unit": cast.commune_a.code, "status": "built"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "phải có năm xây dựng" in bad.json()["extra"]["fields"]["year"][0]
    ok = client.post(
        "/api/v1/facilities/headquarters",
        {"unit": cast.commune_a.code, "status": "Đang xây dựng", "year": 2025, "funding_source": "XHH"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    body = ok.json()
    assert (body["unit"], body["status"], body["funding_source"]) == ("23500", "under_construction", "socialization")
    patched = client.patch(
        f"/api/v1/facilities/headquarters/{body['id']}", {"status": "built"}, content_type="application/json"
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["status"] == "built"
    listed = client.get("/api/v1/facilities/headquarters", {"unit": "51", "status": "built"}).json()
    assert [row["unit"] for row in listed["items"]] == ["23500"]


def test_api_equipment_and_event(cast, client):
    client.force_login(cast.commune_chief)
    created = client.post(
        "/api/v1/facilities/equipment",
        {"unit": cast.commune_a.code, "standard": "bdct", "quantity": 4, "condition": "Tốt"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    item_id = created.json()["id"]
    bad = client.post(
        f"/api/v1/facilities/equipment/{item_id}/events",
        {"kind": "lost", "date": "01/01/2099", "quantity": 9},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"date", "quantity"}
    ok = client.post(
        f"/api/v1/facilities/equipment/{item_id}/events",
        {"kind": "Gửi sửa chữa", "date": "2025-09-01", "document": "BB 12/2025"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    assert Equipment.objects.get(pk=item_id).status == EquipmentStatus.UNDER_REPAIR
    events = client.get(f"/api/v1/facilities/equipment/{item_id}/events").json()
    assert [(e["kind"], e["quantity"]) for e in events["items"]] == [("sent_for_repair", 4)]


# -- equipment and events ------------------------------------------------------------------------


def test_equipment_rules(cast):
    with pytest.raises(DomainError) as refused:
        services.equipment_save(actor=cast.commune_chief, instance=None, data={"unit": cast.commune_a, "quantity": 1})
    assert "name" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        _equipment(cast.commune_a, "OTO", 2, identifier="76A-123.45")
    assert "số lượng phải là 1" in refused.value.fields["quantity"][0]
    _equipment(cast.commune_a, "OTO", 1, identifier="76A-123.45")
    with pytest.raises(DomainError) as refused:
        _equipment(cast.commune_a, "OTO", 1, identifier="76A-123.45")
    assert "biển số" in refused.value.message


def test_event_moves_status_and_condition_and_is_change_logged(cast):
    item = _equipment(cast.commune_a, "XMT", 1, identifier="76B1-000.01", condition=Condition.BROKEN)
    services.event_record(
        actor=cast.commune_chief, equipment=item, data={"kind": "sent_for_repair", "date": dt.date(2025, 8, 1)}
    )
    item.refresh_from_db()
    assert item.status == EquipmentStatus.UNDER_REPAIR
    services.event_record(
        actor=cast.commune_chief, equipment=item, data={"kind": "repaired", "date": dt.date(2025, 8, 20)}
    )
    item.refresh_from_db()
    assert (item.status, item.condition) == (EquipmentStatus.IN_SERVICE, Condition.GOOD)
    logs = ChangeLog.objects.filter(object_type="facilities.equipment", object_id=str(item.pk), action="update")
    assert logs.count() == 2
    assert logs.order_by("time").last().after["condition"] == "good"
    assert ChangeLog.objects.filter(object_type="facilities.equipmentevent", action="create").count() == 2
    assert [e.kind for e in item.events.order_by("date")] == ["sent_for_repair", "repaired"]
    with pytest.raises(DomainError) as refused:
        services.event_record(actor=cast.commune_chief, equipment=item, data={"kind": "repaired", "date": TODAY})
    assert "không ở trạng thái đang sửa chữa" in refused.value.fields["kind"][0]


def test_an_event_about_part_of_a_row_splits_it(cast):
    radios = _equipment(cast.commune_a, "BDCT", 4)
    event = services.event_record(
        actor=cast.commune_chief, equipment=radios, data={"kind": "lost", "date": dt.date(2025, 9, 1), "quantity": 1}
    )
    radios.refresh_from_db()
    lost = event.equipment
    assert (radios.quantity, radios.status) == (3, EquipmentStatus.IN_SERVICE)
    assert (lost.quantity, lost.status, lost.unit_id) == (1, EquipmentStatus.LOST, cast.commune_a.pk)


def test_a_failed_event_changes_nothing(cast):
    item = _equipment(cast.commune_a, "XMT", 2)
    with pytest.raises(DomainError):
        services.event_record(
            actor=cast.commune_chief, equipment=item, data={"kind": "transferred", "date": TODAY, "quantity": 1}
        )
    item.refresh_from_db()
    assert item.quantity == 2
    assert not EquipmentEvent.objects.exists()


def test_a_commune_chief_cannot_record_an_event_on_another_commune(cast):
    item = _equipment(cast.commune_b, "XMT", 2)
    with pytest.raises(NotVisible):
        services.event_record(actor=cast.commune_chief, equipment=item, data={"kind": "lost", "date": TODAY})
    item.refresh_from_db()
    assert item.status == EquipmentStatus.IN_SERVICE


def test_transfer_moves_the_items_to_the_receiving_commune(cast):
    bikes = _equipment(cast.commune_a, "XMT", 3)
    event = services.event_record(
        actor=cast.province_staff,
        equipment=bikes,
        data={"kind": "transferred", "date": TODAY, "quantity": 1, "to_unit": cast.commune_b, "document": "QĐ 45"},
    )
    assert event.equipment.unit_id == cast.commune_b.pk
    assert event.equipment.quantity == 1
    bikes.refresh_from_db()
    assert bikes.quantity == 2


def test_event_form_on_the_equipment_page(cast, login):
    item = _equipment(cast.commune_a, "MIN", 1)
    client = login(cast.commune_chief)
    page = client.get(reverse("facilities:equipment_detail", args=[item.pk]))
    assert page.context["event_form"] is not None
    posted = client.post(
        reverse("facilities:equipment_event_add", args=[item.pk]), {"kind": "written_off", "date": "2025-09-15"}
    )
    assert posted.status_code == 302
    item.refresh_from_db()
    assert item.status == EquipmentStatus.WRITTEN_OFF
    page = client.get(reverse("facilities:equipment_detail", args=[item.pk]))
    assert "Thanh lý" in page.content.decode()
    again = client.post(
        reverse("facilities:equipment_event_add", args=[item.pk]), {"kind": "assigned", "date": "2025-09-16"}
    )
    assert again.status_code == 200
    assert "đã thanh lý" in again.context["event_form"].errors["kind"][0]
    officer = login(cast.commune_officer)
    assert officer.get(reverse("facilities:equipment_detail", args=[item.pk])).context["event_form"] is None


# -- the standard --------------------------------------------------------------------------------


def test_the_national_standard_is_seeded_as_data(cast):
    assert _standard("OTO").quantity == 1
    assert _standard("XMT").quantity == 3
    assert EquipmentStandard.objects.filter(unit__isnull=True).count() >= 10


def test_a_province_overrides_an_item_and_cannot_change_the_national_row(cast):
    with pytest.raises(PermissionDenied) as refused:
        services.standard_save(actor=cast.province_staff, instance=_standard("XMT"), data={"quantity": 1})
    assert "định mức riêng của tỉnh" in refused.value.message
    content = _xlsx(
        [
            ["Mã trang bị", "Tên trang bị", "Nhóm", "Số lượng mỗi Công an xã", "Đơn vị ban hành", "Áp dụng từ"],
            ["XMT", "Xe mô tô", "Phương tiện đi lại", 5, "51", "01/08/2025"],
        ]
    )
    result = import_records(STANDARDS, actor=cast.province_staff, filename="dm.xlsx", content=content, dry_run=False)
    assert result.created == 1
    again = import_records(STANDARDS, actor=cast.province_staff, filename="dm.xlsx", content=content, dry_run=False)
    assert again.unchanged == 1
    resolver = selectors.StandardResolver(TODAY)
    in_51 = {r.code: r.quantity for r in resolver.for_path(cast.commune_a.path)}
    in_01 = {r.code: r.quantity for r in resolver.for_path(cast.commune_c.path)}
    assert (in_51["XMT"], in_01["XMT"]) == (5, 3)
    # Every commune reads the national rows and its own province's, not another province's.
    assert STANDARDS.queryset(cast.commune_officer).filter(unit__isnull=False).count() == 1
    assert STANDARDS.queryset(cast.commune_c_officer).filter(unit__isnull=False).count() == 0


def test_the_ministry_updates_a_national_row_by_import(cast, login):
    content = _xlsx(
        [
            ["Mã trang bị", "Tên trang bị", "Nhóm", "Số lượng mỗi Công an xã", "Đơn vị ban hành", "Áp dụng từ"],
            ["OTO", "Ô tô bán tải", "Phương tiện đi lại", 2, "BCA", "01/07/2025"],
        ]
    )
    result = import_records(STANDARDS, actor=cast.admin, filename="dm.xlsx", content=content, dry_run=False)
    assert (result.created, result.updated) == (0, 1)
    assert _standard("OTO").quantity == 2
    page = login(cast.admin).get(reverse("facilities:standard_detail", args=[_standard("OTO").pk]))
    assert page.context["can_change"]
    assert page.context["history"]
    assert not login(cast.province_staff).get(page.request["PATH_INFO"]).context["can_change"]


# -- tiles and drill-downs ---------------------------------------------------------------------


def test_tiles_follow_the_data(cast, login):
    total = _communes(cast.province_a)
    _hq(cast.commune_a)
    _hq(cast.commune_b, status=HeadquartersStatus.BORROWED, year=None)

    def figures():
        found = selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=TODAY, last=TODAY)
        return {str(t.title): t for t in found}

    tiles = figures()
    assert tiles["Trụ sở tạm, mượn"].value == "1"
    assert tiles["Chưa có trụ sở"].value == str(total - 2)
    assert tiles["Trang thiết bị đạt định mức"].value == "0%"
    assert tiles["Phương tiện đang sử dụng"].value == "0"

    pairs = total * EquipmentStandard.objects.filter(unit__isnull=True, quantity__gt=0).count()
    _equipment(cast.commune_a, "XMT", 3)
    car = _equipment(cast.commune_a, "OTO", 1, identifier="76A-000.01")
    tiles = figures()
    assert tiles["Trang thiết bị đạt định mức"].detail.startswith(f"2/{formatting.number(pairs)} ")
    assert tiles["Phương tiện đang sử dụng"].value == "4"
    services.event_record(actor=None, equipment=car, data={"kind": "sent_for_repair", "date": TODAY})
    tiles = figures()
    assert tiles["Trang thiết bị đạt định mức"].detail.startswith(f"1/{formatting.number(pairs)} ")
    assert tiles["Phương tiện đang sử dụng"].value == "3"

    client = login(cast.province_staff)
    missing = client.get(tiles["Chưa có trụ sở"].url)
    assert missing.context["page"].paginator.count == total - 2
    assert cast.commune_b.code not in {u.code for u, _hq_id in missing.context["rows"]}
    gaps = client.get(tiles["Trang thiết bị đạt định mức"].url)
    assert gaps.context["page"].paginator.count == pairs - 1
    makeshift = client.get(tiles["Trụ sở tạm, mượn"].url)
    assert [obj.unit.code for obj, _cells in makeshift.context["rows"]] == [cast.commune_b.code]
    vehicles = client.get(tiles["Phương tiện đang sử dụng"].url)
    assert [obj.quantity for obj, _cells in vehicles.context["rows"]] == [3]


def test_a_row_recorded_as_none_is_counted_once(cast):
    _hq(cast.commune_a, status=HeadquartersStatus.NONE, year=None)
    summary = selectors.headquarters_summary(actor=cast.province_staff, unit=cast.province_a)
    assert summary.by_status[HeadquartersStatus.NONE] == summary.communes
    assert (
        selectors.units_without_headquarters(actor=cast.province_staff, unit=cast.province_a).count()
        == summary.communes
    )


def test_a_user_without_facilities_rights_gets_no_tiles(cast):
    from cax.core.testing.cast import make_user

    nobody = make_user("nobody", "commune_officer", cast.commune_a)
    nobody.role = "unknown"
    assert selectors.tiles(actor=nobody, unit=cast.commune_a, first=TODAY, last=TODAY) == []


# -- query counts ------------------------------------------------------------------------------


def _many(cast, n: int) -> list[Unit]:
    communes = list(Unit.objects.current().commune_level().filter(path__startswith=cast.province_a.path)[:n])
    for i, unit in enumerate(communes):
        _hq(unit, status=[HeadquartersStatus.BUILT, HeadquartersStatus.TEMPORARY][i % 2], year=2020)
        _equipment(unit, "XMT", 1 + i % 3)
        _equipment(unit, "MTDB", 3)
    return communes


def test_list_pages_and_tiles_take_a_constant_number_of_queries(cast, login, django_assert_max_num_queries):
    # The limits are the counts measured with 3 communes; 40 communes must not need one more.
    # Every HTML page also counts the notice bell's one query.
    _many(cast, 40)
    client = login(cast.province_staff)
    limits = {
        "headquarters_list": 5,
        "equipment_list": 5,
        "standard_list": 5,
        "headquarters_missing": 6,
        "equipment_gaps": 7,
    }
    for name, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(f"facilities:{name}"), {"page_size": 200}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("facilities:equipment_list"), {"format": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/facilities/equipment", {"page_size": 200}).json()["count"] == 80
    with django_assert_max_num_queries(6):
        selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=TODAY, last=TODAY)
    with django_assert_max_num_queries(6):
        selectors.tiles(actor=cast.admin, unit=cast.root, first=TODAY, last=TODAY)


# -- demo data ---------------------------------------------------------------------------------


def test_demo_data_is_realistic_and_loads_once(cast):
    from cax.facilities.demo import load_demo

    load_demo(province=cast.province_a)
    summary = selectors.headquarters_summary(actor=cast.province_staff, unit=cast.province_a)
    assert summary.communes > 0
    assert summary.built > summary.communes // 2
    assert summary.by_status[HeadquartersStatus.UNDER_CONSTRUCTION] > 0
    assert summary.by_status[HeadquartersStatus.NONE] > 0
    equipment = selectors.equipment_summary(actor=cast.province_staff, unit=cast.province_a, day=timezone.localdate())
    assert 50 < 100 * equipment.met / equipment.pairs < 100
    assert EquipmentEvent.objects.count() > 0
    counts = (Headquarters.objects.count(), Equipment.objects.count(), EquipmentEvent.objects.count())
    load_demo(province=cast.province_a)
    assert (Headquarters.objects.count(), Equipment.objects.count(), EquipmentEvent.objects.count()) == counts
    assert not Headquarters.objects.filter(unit__path__startswith=cast.province_b.path).exists()


def test_the_overview_page_shows_the_facilities_tiles(cast, login):
    _hq(cast.commune_a)
    page = login(cast.province_leader).get(f"/overview/{cast.province_a.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Trụ sở, trang thiết bị" in body
    assert "Trụ sở đã xây dựng xong" in body
    assert "Trang thiết bị đạt định mức" in body


def test_create_and_import_pages_render(cast, login):
    client = login(cast.admin)
    for name in ("headquarters", "equipment", "standard"):
        assert client.get(reverse(f"facilities:{name}_create")).status_code == 200
        assert client.get(reverse(f"facilities:{name}_import")).status_code == 200
    standard = client.post(
        reverse("facilities:standard_create"),
        {
            "unit": "",
            "code": "may-bay",
            "name": "Thiết bị bay không người lái",
            "category": "other",
            "quantity": "1",
            "valid_from": "2025-07-01",
        },
    )
    assert standard.status_code == 302
    assert EquipmentStandard.objects.get(code="MAY-BAY").unit_id is None
    equipment = client.post(
        reverse("facilities:equipment_create"),
        {
            "unit": cast.commune_a.code,
            "standard": _standard("OTO").pk,
            "quantity": "1",
            "condition": "good",
            "status": "in_service",
            "identifier": "76A-111.11",
        },
    )
    assert equipment.status_code == 302


def test_a_provinces_own_standard_item_cannot_be_transferred_to_another_province(cast):
    own = services.standard_save(
        actor=cast.province_staff,
        instance=None,
        data={
            "code": "DRN",
            "name": "Thiết bị bay không người lái",
            "category": "support_tools",
            "quantity": 1,
            "unit": cast.province_a,
            "valid_from": dt.date(2025, 8, 1),
        },
    )
    item = services.equipment_save(
        actor=None, instance=None, data={"unit": cast.commune_a, "standard": own, "quantity": 1}
    )
    with pytest.raises(DomainError) as refused:
        services.event_record(
            actor=cast.admin,
            equipment=item,
            data={"kind": "transferred", "date": TODAY, "quantity": 1, "to_unit": cast.commune_c},
        )
    assert "định mức riêng" in refused.value.fields["to_unit"][0]
    item.refresh_from_db()
    assert item.unit_id == cast.commune_a.pk
