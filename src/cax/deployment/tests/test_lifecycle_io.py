"""The posting lifecycle as a user meets it (issue 14): forms on the officer's page, API endpoints and
the postings file with its row types — all through the same services."""

from __future__ import annotations

import datetime as dt

import pytest

from cax.core.imports import ImportRejected
from cax.core.testing.units import make_merged_commune
from cax.deployment.imports import postings_import
from cax.deployment.models import Posting, PostingRole
from cax.deployment.tests.factories import officer, posted
from cax.personnel.choices import OfficerStatus
from cax.personnel.models import Officer
from cax.personnel.tests.test_imports import postings_xlsx

D = dt.date


def open_at(o: Officer) -> tuple[str, str, dt.date] | None:
    p = Posting.objects.filter(officer=o, end_date__isnull=True).select_related("unit").first()
    return (p.unit.code, p.role, p.start_date) if p else None


# -- forms on the officer's page ------------------------------------------------------------------


def test_the_officer_page_transfers_an_officer(cast, login):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    client = login(cast.province_staff)

    response = client.post(
        f"/officers/{o.pk}/transfer/",
        {"unit_code": cast.commune_b.code, "role": "Trưởng CA phường", "on": "2026-02-01", "decision_number": "3/QĐ"},
    )

    assert response.status_code == 302
    assert open_at(o) == (cast.commune_b.code, PostingRole.CHIEF, D(2026, 2, 1))
    page = client.get(f"/officers/{o.pk}/").content.decode()
    assert f"Đã điều động đến {cast.commune_b.name}." in page
    assert "Điều động đến đơn vị khác" in page  # the transfer arrives with its end decision in the history


def test_a_refused_transfer_comes_back_with_the_reason_beside_the_field(cast, login):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    response = login(cast.province_staff).post(
        f"/officers/{o.pk}/transfer/", {"unit_code": "99999", "role": "Cán bộ", "on": "2026-02-01"}
    )
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị mã “99999”" in response.content.decode()
    assert open_at(o) == (cast.commune_a.code, PostingRole.OFFICER, D(2025, 8, 1))


def test_the_officer_page_ends_a_posting_and_records_a_retirement(cast, login):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    client = login(cast.province_staff)

    response = client.post(
        f"/officers/{o.pk}/status/", {"status": OfficerStatus.RETIRED, "on": "2026-06-01", "decision_number": "8/QĐ"}
    )

    assert response.status_code == 302
    posting = Posting.objects.get(officer=o)
    assert (posting.end_date, posting.end_reason, posting.end_decision_number) == (D(2026, 5, 31), "retirement", "8/QĐ")
    page = client.get(f"/officers/{o.pk}/").content.decode()
    assert "Nghỉ hưu · 8/QĐ" in page


def test_the_lifecycle_forms_are_shown_only_to_those_who_may_use_them(cast, login):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    assert "Điều động đến đơn vị khác" in login(cast.province_staff).get(f"/officers/{o.pk}/").content.decode()
    page = login(cast.commune_officer).get(f"/officers/{o.pk}/")
    assert page.status_code == 200
    assert "Điều động đến đơn vị khác" not in page.content.decode()
    assert login(cast.commune_officer).post(f"/officers/{o.pk}/transfer/", {}).status_code == 403


def test_the_officer_page_costs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    from cax.deployment.services import officer_status_change, posting_transfer

    o = posted(cast.commune_a, start=D(2025, 8, 1))
    client = login(cast.province_staff)
    client.get(f"/officers/{o.pk}/")
    posting_transfer(actor=None, officer=o, to_unit=cast.commune_b, on=D(2026, 1, 1))
    officer_status_change(actor=None, officer=o, status=OfficerStatus.ON_LEAVE, on=D(2026, 3, 1))
    officer_status_change(actor=None, officer=o, status=OfficerStatus.ACTIVE, on=D(2026, 4, 1))
    with django_assert_max_num_queries(14):
        assert client.get(f"/officers/{o.pk}/").status_code == 200


# -- API ------------------------------------------------------------------------------------------


def test_the_api_posts_transfers_ends_and_changes_status(cast, login):
    o = officer(cast.province_a)
    api = login(cast.province_staff)
    json = "application/json"

    created = api.post(
        f"/api/v1/officers/{o.service_number}/postings",
        {"unit_code": cast.commune_a.code, "role": "Phó trưởng", "start_date": "2025-08-01"},
        content_type=json,
    )
    assert created.status_code == 201, created.content
    assert (created.json()["role"], created.json()["unit_code"]) == ("deputy", cast.commune_a.code)

    moved = api.post(
        f"/api/v1/officers/{o.service_number}/transfer",
        {"unit_code": cast.commune_b.code, "on": "2026-01-01", "decision_number": "4/QĐ"},
        content_type=json,
    )
    assert moved.status_code == 201
    first = api.get(f"/api/v1/postings/{created.json()['id']}").json()
    assert (first["end_date"], first["end_reason"], first["end_decision_number"]) == ("2025-12-31", "transfer", "4/QĐ")

    ended = api.post(
        f"/api/v1/postings/{moved.json()['id']}/end",
        {"end_date": "2026-04-30", "end_reason": "study", "decision_number": "6/QĐ"},
        content_type=json,
    )
    assert ended.status_code == 200
    assert ended.json()["end_reason"] == "study"

    status = api.post(
        f"/api/v1/officers/{o.service_number}/status", {"status": "studying", "on": "2026-05-01"}, content_type=json
    )
    assert status.status_code == 201
    assert api.get(f"/api/v1/officers/{o.service_number}/status-changes").json()[0]["status"] == "studying"


def test_the_api_refuses_in_the_one_error_shape(cast, login):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    response = login(cast.province_staff).post(
        f"/api/v1/officers/{o.service_number}/status",
        {"status": "retired", "on": "2099-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "ở tương lai" in response.json()["message"]


def test_the_api_shows_a_planned_move(cast, login):
    from django.utils import timezone

    from cax.deployment.services import posting_transfer

    o = posted(cast.commune_a, start=D(2025, 8, 1))
    on = timezone.localdate() + dt.timedelta(days=5)
    posting_transfer(actor=None, officer=o, to_unit=cast.commune_b, on=on)
    body = login(cast.province_staff).get(f"/api/v1/officers/{o.service_number}").json()
    assert (body["unit_code"], body["next_unit_code"], body["next_unit_from"]) == (
        cast.commune_a.code,
        cast.commune_b.code,
        on.isoformat(),
    )


def test_the_list_gives_each_officer_as_the_detail_does(cast, login):
    """The list reads plain values (``_OfficerRows``), the detail model instances: the same answer."""
    from django.utils import timezone

    from cax.core.text import search_key
    from cax.deployment.services import posting_transfer
    from cax.personnel.models import Language, Speciality

    today = timezone.localdate()
    planned = posted(cast.commune_a, start=D(2025, 8, 1))
    posting_transfer(actor=None, officer=planned, to_unit=cast.commune_b, on=today + dt.timedelta(days=5))
    # A move whose date has come before the daily run applied it: today's unit is the new one.
    due = posted(cast.commune_a, start=D(2025, 8, 1))
    Officer.objects.filter(pk=due.pk).update(next_unit=cast.commune_b, next_unit_from=today - dt.timedelta(days=1))
    Speciality.objects.create(officer=due, kind="investigator", grade="intermediate")
    Speciality.objects.create(officer=due, kind="legal")
    Language.objects.create(officer=due, name="Xơ Đăng", key=search_key("Xơ Đăng"), is_ethnic_minority=True)
    posted(cast.commune_b, start=D(2025, 8, 1))
    client = login(cast.province_leader)
    items = client.get("/api/v1/officers", {"page_size": 500}).json()["items"]
    by_number = {item["service_number"]: item for item in items}
    assert by_number[due.service_number]["unit_code"] == cast.commune_b.code
    assert by_number[due.service_number]["languages"] == ["Xơ Đăng"]
    assert by_number[planned.service_number]["next_unit_code"] == cast.commune_b.code
    assert len(items) >= 3
    for item in items:
        assert item == client.get(f"/api/v1/officers/{item['service_number']}").json()


# -- the postings file -------------------------------------------------------------------------------


def run(cast, rows, dry_run=False):
    return postings_import(
        actor=cast.province_staff, filename="bo-tri.xlsx", content=postings_xlsx(rows), dry_run=dry_run
    )


def test_a_postings_file_posts_transfers_and_ends_by_row_type_and_imports_back_unchanged(cast):
    a, b = officer(cast.province_a), officer(cast.province_a)
    rows = [
        {
            "kind": "Bổ nhiệm",
            "service_number": a.service_number,
            "unit_code": cast.commune_a.code,
            "role": "Trưởng Công an xã",
            "start_date": "01/08/2025",
            "decision_number": "1/QĐ",
        },
        {
            "kind": "bổ nhiệm",
            "service_number": b.service_number,
            "unit_code": cast.commune_a.code,
            "role": "Phó trưởng CA xã",
            "start_date": "01/08/2025",
            "end_date": "31/10/2025",
        },
        {
            "kind": "Điều động",
            "service_number": a.service_number,
            "unit_code": cast.commune_b.code,
            "role": "Trưởng",
            "start_date": "01/03/2026",
            "decision_number": "2/QĐ",
        },
        {
            "kind": "Kết thúc",
            "service_number": a.service_number,
            "end_date": "30/09/2026",
            "end_reason": "Nghỉ hưu",
            "decision_number": "3/QĐ",
        },
    ]

    result = run(cast, rows)

    assert (result.created, result.updated, result.unchanged) == (3, 1, 0)
    history = list(
        Posting.objects.filter(officer=a).order_by("start_date").values_list("unit__code", "end_date", "end_reason")
    )
    assert history == [
        (cast.commune_a.code, D(2026, 2, 28), "transfer"),
        (cast.commune_b.code, D(2026, 9, 30), "retirement"),
    ]
    again = run(cast, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert Posting.objects.filter(officer__in=[a, b]).count() == 3


def test_a_postings_file_names_the_row_and_column_of_every_refusal(cast):
    ha_mon = make_merged_commune(cast.commune_a)
    a = officer(cast.province_a)
    rows = [
        {"kind": "Bổ nhiệm", "service_number": a.service_number, "unit_code": ha_mon.code, "start_date": "01/08/2025"},
        {"kind": "Kết thúc", "service_number": a.service_number},
        {
            "kind": "Bổ nhiệm",
            "service_number": a.service_number,
            "unit_code": cast.commune_a.code,
            "role": "Giám đốc",
            "start_date": "01/08/2025",
        },
    ]
    with pytest.raises(ImportRejected) as refused:
        run(cast, rows)
    errors = {(e.row, e.column): e.message for e in refused.value.errors}
    assert "bắt buộc" in errors[(3, "Đến ngày")]
    assert "Chức danh không hợp lệ" in errors[(4, "Chức danh")]
    assert not Posting.objects.filter(officer=a).exists()


def test_a_postings_file_keeps_history_in_a_merged_commune(cast):
    ha_mon = make_merged_commune(cast.commune_a)
    a = officer(cast.province_a, date_of_birth=D(1990, 1, 1))
    rows = [
        {
            "kind": "Bổ nhiệm",
            "service_number": a.service_number,
            "unit_code": ha_mon.code,
            "start_date": "01/01/2019",
            "end_date": "30/06/2025",
        },
        {"kind": "Bổ nhiệm", "service_number": a.service_number, "unit_code": ha_mon.code, "start_date": "01/07/2025"},
    ]
    with pytest.raises(ImportRejected) as refused:
        run(cast, rows)
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (3, "Mã đơn vị", "Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà")
    ]
    result = run(cast, rows[:1])
    assert result.created == 1


def test_the_postings_export_imports_back_unchanged(cast, login):
    from cax.deployment.services import officer_status_change, posting_transfer

    moved = posted(cast.commune_a, start=D(2025, 8, 1), date_of_birth=D(1990, 1, 1))
    posting_transfer(actor=None, officer=moved, to_unit=cast.commune_b, on=D(2026, 2, 1), decision_number="9/QĐ")
    retired = posted(cast.commune_a, start=D(2025, 9, 1))
    officer_status_change(actor=None, officer=retired, status=OfficerStatus.RETIRED, on=D(2026, 6, 1))
    client = login(cast.province_staff)

    exported = client.get(f"/staffing/{cast.province_a.pk}/?table=postings&format=xlsx")
    result = postings_import(actor=cast.province_staff, filename="bo-tri.xlsx", content=exported.content, dry_run=False)

    assert exported.status_code == 200
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Posting.objects.filter(officer__in=[moved, retired]).count() == 3
