"""The change log (#3): every service write is recorded, rows can never change, auditors read and export it."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cax.accounts.models import ApiToken, User
from cax.accounts.roles import Role
from cax.accounts.services import token_create, user_create, user_set_password, user_update
from cax.core.context import request_context
from cax.core.models import ChangeLog, ImmutableRecordError
from cax.core.testing.cast import PASSWORD, make_user
from cax.units.models import Unit, UnitType
from cax.units.services import unit_create, unit_update

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def only_entry(request_id: str) -> ChangeLog:
    return ChangeLog.objects.get(request_id=request_id)


def new_commune(actor, parent, code: str, name: str) -> Unit:
    return unit_create(actor=actor, code=code, name=name, unit_type=UnitType.objects.get(code="xa"), parent=parent)


def assert_no_secret(entry: ChangeLog, *secrets: str) -> None:
    for snapshot in (entry.before, entry.after):
        if snapshot is None:
            continue
        assert "password" not in snapshot
        assert "token_hash" not in snapshot
        dumped = json.dumps(snapshot)
        for secret in secrets:
            assert secret not in dumped


# -- every service write is recorded -----------------------------------------------------------------


def test_unit_create_records_actor_request_object_and_after(cast):
    with request_context("req-test-123"):
        unit = new_commune(cast.admin, cast.province_a, "T0001", "Xã Nhật Ký")

    entry = only_entry("req-test-123")
    assert (entry.actor_id, entry.actor_name, entry.action) == (cast.admin.pk, "admin", ChangeLog.Action.CREATE)
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("units.unit", str(unit.pk), "Xã Nhật Ký")
    assert entry.unit_path == unit.path
    assert entry.before is None
    assert entry.after["code"] == "T0001"
    assert entry.after["parent_id"] == cast.province_a.pk
    assert entry.after["path"] == unit.path  # the final path, not the insert placeholder
    assert "search_key" not in entry.after


def test_unit_update_records_before_and_after(cast):
    with request_context("req-test-123"):
        unit_update(actor=cast.province_staff, unit=cast.commune_a, population=4321, name="Xã Đăk Hà Mới")

    entry = only_entry("req-test-123")
    assert (entry.actor_id, entry.actor_name, entry.action) == (cast.province_staff.pk, "staff_a", "update")
    assert (entry.object_type, entry.object_id) == ("units.unit", str(cast.commune_a.pk))
    assert (entry.before["name"], entry.after["name"]) == ("Xã Đăk Hà", "Xã Đăk Hà Mới")
    assert (entry.before["population"], entry.after["population"]) == (None, 4321)


def test_an_update_that_changes_nothing_is_not_logged(cast):
    with request_context("req-test-123"):
        unit_update(actor=cast.admin, unit=cast.commune_a, name=cast.commune_a.name)
    assert not ChangeLog.objects.filter(request_id="req-test-123").exists()


def test_user_create_records_no_password(cast):
    with request_context("req-test-123"):
        user = user_create(
            actor=cast.admin,
            username="moi",
            full_name="Người Mới",
            role=Role.COMMUNE_OFFICER,
            unit=cast.commune_a,
            password=PASSWORD,
        )

    entry = only_entry("req-test-123")
    assert (entry.actor_id, entry.actor_name, entry.action) == (cast.admin.pk, "admin", "create")
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(user.pk))
    assert entry.unit_path == cast.commune_a.path
    assert entry.after["username"] == "moi"
    assert entry.after["unit_id"] == cast.commune_a.pk
    assert_no_secret(entry, PASSWORD, User.objects.get(pk=user.pk).password)


def test_user_update_and_password_reset_record_no_password(cast):
    old_hash = cast.commune_officer.password
    with request_context("req-test-123"):
        user_update(actor=cast.admin, user=cast.commune_officer, role=Role.COMMUNE_CHIEF, is_active=False)
    with request_context("req-test-456"):
        user_set_password(actor=cast.admin, user=cast.commune_officer, password="Mot-mat-khau-moi-2025")

    update = only_entry("req-test-123")
    assert (update.actor_name, update.action, update.object_id) == ("admin", "update", str(cast.commune_officer.pk))
    assert (update.before["role"], update.after["role"]) == (Role.COMMUNE_OFFICER, Role.COMMUNE_CHIEF)
    assert (update.before["is_active"], update.after["is_active"]) == (True, False)
    assert_no_secret(update, old_hash)
    reset = only_entry("req-test-456")
    assert reset.message  # "password reset" is logged even though no visible field changed
    new_hash = User.objects.get(pk=cast.commune_officer.pk).password
    assert_no_secret(reset, old_hash, new_hash, "Mot-mat-khau-moi-2025")


def test_token_create_records_no_token_hash_nor_raw_token(cast):
    with request_context("req-test-123"):
        token, raw = token_create(actor=cast.auditor, user=cast.auditor, name="Báo cáo")

    entry = only_entry("req-test-123")
    assert (entry.actor_id, entry.actor_name, entry.action) == (cast.auditor.pk, "auditor", "create")
    assert (entry.object_type, entry.object_id) == ("accounts.apitoken", str(token.pk))
    assert entry.after["name"] == "Báo cáo"
    assert entry.after["user_id"] == cast.auditor.pk
    assert_no_secret(entry, raw, ApiToken.objects.get(pk=token.pk).token_hash)


def test_a_write_without_a_user_is_logged_as_system_with_its_own_request_id(cast):
    unit = new_commune(None, cast.province_a, "T0002", "Xã Hệ Thống")
    entry = ChangeLog.objects.get(object_type="units.unit", object_id=str(unit.pk))
    assert (entry.actor_id, entry.actor_name) == (None, "system")
    assert entry.request_id.startswith("adhoc-")


def test_a_web_request_logs_its_request_id(cast, login):
    client = login(cast.admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "qua_web", "full_name": "Qua Web", "role": Role.AUDITOR, "unit": "51", "is_active": "on"},
        HTTP_X_REQUEST_ID="web-req-0001",
    )
    assert response.status_code == 302
    entry = ChangeLog.objects.get(object_type="accounts.user", after__username="qua_web")
    assert (entry.request_id, entry.actor_name) == ("web-req-0001", "admin")


# -- append-only --------------------------------------------------------------------------------------


@pytest.fixture
def entry(cast) -> ChangeLog:
    with request_context("req-immutable"):
        new_commune(cast.admin, cast.province_a, "T0003", "Xã Bất Biến")
    return only_entry("req-immutable")


def assert_untouched(entry: ChangeLog) -> None:
    fresh = ChangeLog.objects.get(pk=entry.pk)
    assert (fresh.actor_name, fresh.message, fresh.after) == (entry.actor_name, entry.message, entry.after)


def test_an_entry_cannot_be_saved_again_or_deleted(entry):
    entry.actor_name = "ke-gian"
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.delete()
    entry.actor_name = "admin"
    assert_untouched(entry)


def test_querysets_cannot_update_or_delete_entries(entry):
    with pytest.raises(ImmutableRecordError):
        ChangeLog.objects.filter(pk=entry.pk).update(actor_name="ke-gian")
    with pytest.raises(ImmutableRecordError):
        ChangeLog.objects.update(message="x")
    with pytest.raises(ImmutableRecordError):
        ChangeLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ImmutableRecordError):
        ChangeLog.objects.all().delete()
    entry.message = "x"
    with pytest.raises(ImmutableRecordError):
        ChangeLog.objects.bulk_update([entry], ["message"])
    entry.message = ""
    assert_untouched(entry)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_changelog SET actor_name = 'ke-gian' WHERE id = %s",
        "UPDATE core_changelog SET after = NULL",
        "DELETE FROM core_changelog WHERE id = %s",
        "DELETE FROM core_changelog",  # no WHERE: SQLite's truncate shortcut must not bypass the trigger
    ],
)
def test_raw_sql_cannot_update_or_delete_entries(entry, sql):
    before = ChangeLog.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk] if "%s" in sql else None)
    assert ChangeLog.objects.count() == before
    assert_untouched(entry)


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="TRUNCATE exists on PostgreSQL only")
def test_raw_sql_cannot_truncate_the_log_on_postgres(entry):
    before = ChangeLog.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_changelog")
    assert ChangeLog.objects.count() == before


# -- the change log page --------------------------------------------------------------------------------


@pytest.fixture
def history(cast):
    """One create and one update in province 51, one create in Hà Nội, each with its own request id."""
    with request_context("req-hist-create"):
        created = new_commune(cast.admin, cast.province_a, "T0101", "Xã Lịch Sử")
    with request_context("req-hist-update"):
        unit_update(actor=cast.admin, unit=created, population=777)
    with request_context("req-hist-hanoi"):
        new_commune(cast.admin, cast.province_b, "T0102", "Phường Lịch Sử Hà Nội")
    return created


def page_entries(response) -> list[ChangeLog]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_an_auditor_searches_the_log_without_diacritics(cast, login, history):
    client = login(cast.auditor)
    entries = page_entries(client.get(reverse("changelog"), {"q": "xa lich su"}))
    assert {e.request_id for e in entries} == {"req-hist-create", "req-hist-update"}
    body = client.get(reverse("changelog"), {"q": "xa lich su"}).content.decode()
    assert "Xã Lịch Sử" in body
    assert "req-hist-create"[:13] in body


def test_the_log_filters_by_action_request_and_date(cast, login, history):
    client = login(cast.auditor)
    url = reverse("changelog")
    assert [e.request_id for e in page_entries(client.get(url, {"q": "lich su", "action": "update"}))] == [
        "req-hist-update"
    ]
    assert [e.request_id for e in page_entries(client.get(url, {"request_id": "req-hist-hanoi"}))] == ["req-hist-hanoi"]
    today = timezone.localdate()
    tomorrow, yesterday = today + dt.timedelta(days=1), today - dt.timedelta(days=1)
    assert len(page_entries(client.get(url, {"q": "lich su", "date_from": today.isoformat()}))) == 3
    assert page_entries(client.get(url, {"q": "lich su", "date_from": tomorrow.isoformat()})) == []
    assert page_entries(client.get(url, {"q": "lich su", "date_to": yesterday.isoformat()})) == []
    assert len(page_entries(client.get(url, {"q": "lich su", "date_to": today.strftime("%d/%m/%Y")}))) == 3


def test_the_log_exports_to_excel_the_rows_it_shows(cast, login, history):
    client = login(cast.auditor)
    params = {"q": "lich su", "action": "create"}
    shown = page_entries(client.get(reverse("changelog"), params))

    response = client.get(reverse("changelog"), {**params, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert header[:3] == ("Thời điểm", "Người thực hiện", "Thao tác")
    column = header.index("Mã yêu cầu")
    assert [row[column] for row in data] == [e.request_id for e in shown]
    assert {row[header.index("Đối tượng")] for row in data} == {"Xã Lịch Sử", "Phường Lịch Sử Hà Nội"}
    assert all("password" not in str(row) for row in data)


def test_a_commune_officer_cannot_open_the_log(cast, login):
    client = login(cast.commune_officer)
    assert client.get(reverse("changelog")).status_code == 403
    assert client.get(reverse("changelog"), {"format": "xlsx"}).status_code == 403


def test_a_province_auditor_sees_only_their_province(cast, login, history):
    province_auditor = make_user("auditor_51", Role.AUDITOR, cast.province_a)
    client = login(province_auditor)

    entries = page_entries(client.get(reverse("changelog"), {"q": "lich su"}))
    assert {e.request_id for e in entries} == {"req-hist-create", "req-hist-update"}
    everything = page_entries(client.get(reverse("changelog"), {"page_size": 500}))
    assert everything
    assert all(e.unit_path.startswith(cast.province_a.path) for e in everything)
    assert page_entries(client.get(reverse("changelog"), {"request_id": "req-hist-hanoi"})) == []
    export = client.get(reverse("changelog"), {"q": "lich su", "format": "xlsx"})
    objects = {row[5] for row in list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[1:]}
    assert objects == {"Xã Lịch Sử"}


def test_the_log_page_query_count_is_the_same_for_1_and_500_rows(cast, login, history):
    client = login(cast.auditor)
    client.get(reverse("changelog"))  # warm up (session, translations)
    counted = []
    for params, rows in (({"request_id": "req-hist-hanoi"}, 1), ({"page_size": 500}, 500)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("changelog"), params)
        assert len(page_entries(response)) == rows
        counted.append(len(queries))
    # session, user, the notices' bell, count, page, object types for the filter
    assert counted == [6, 6]


def test_the_log_names_object_types_and_fields_by_their_labels(cast, login, history):
    """Issue 17.2: "Đơn vị", "Dân số: — → 777", not ``units.unit`` and ``{"population": 777}``."""
    client = login(cast.auditor)
    response = client.get(reverse("changelog"), {"request_id": "req-hist-update"})
    (entry,) = page_entries(response)
    assert [(c.label, c.before, c.after) for c in entry.changes] == [("Dân số", "—", "777")]
    body = response.content.decode()
    assert "<td>Dân số</td><td>—</td><td>777</td>" in body
    assert "units.unit" not in body.replace('value="units.unit"', "")
    assert "population" not in body
    client.cookies["django_language"] = "en"
    body = client.get(reverse("changelog"), {"request_id": "req-hist-update"}).content.decode()
    assert "<td>Population</td><td>—</td><td>777</td>" in body


def test_a_created_row_lists_its_filled_fields_and_choices_by_label(cast):
    from cax.core.changelog import field_changes, object_type_label

    assert object_type_label("units.unit") == "Đơn vị"
    assert object_type_label("gone.model") == "gone.model"  # a model removed since: its code, not a crash
    changes = field_changes("core.changelog", None, {"action": "update", "message": "", "before": None})
    assert [(c.label, c.before, c.after) for c in changes] == [("Thao tác", "—", "Cập nhật")]
