"""The pages: the list and its search, a file opened with a reason, the export with a reason, the
event forms, the move and its acceptance, the figures and the overdue list, constant queries."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cax.accounts.roles import Role
from cax.core.testing.cast import make_user
from cax.supervision.models import FileAccess, Handover, Status
from cax.supervision.tests.factories import NAME, make_file, received

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_finds_a_person_without_diacritics(cast):
    make_file(cast.commune_officer, cast.commune_a)
    make_file(cast.commune_officer, cast.commune_a, full_name="Lê Thị Khác", decision_number="13/QĐ")
    client = client_for(cast.commune_officer)
    page = client.get(reverse("supervision:file_list"), {"q": "nguyen van thu"})
    assert page.status_code == 200
    body = page.content.decode()
    assert NAME in body
    assert "Lê Thị Khác" not in body
    rows = client.get(reverse("supervision:file_list"), {"q": "thu"}, headers={"HX-Request": "true"})
    assert 'id="file-rows"' in rows.content.decode()
    assert "<html" not in rows.content.decode()


def test_opening_a_file_asks_why_and_logs_it(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    client = client_for(cast.commune_chief)
    url = reverse("supervision:file_detail", args=[file.pk])
    ask = client.get(url)
    assert ask.status_code == 200
    assert NAME not in ask.content.decode()
    assert not FileAccess.objects.exists()
    shown = client.get(url, {"reason": "Kiểm tra định kỳ tháng 12"})
    assert NAME in shown.content.decode()
    row = FileAccess.objects.get()
    assert (row.user, row.file_id, row.reason, row.action) == (
        cast.commune_chief,
        file.pk,
        "Kiểm tra định kỳ tháng 12",
        "open",
    )


def test_an_export_of_names_needs_a_reason_and_is_logged(cast):
    make_file(cast.commune_officer, cast.commune_a)
    client = client_for(cast.commune_officer)
    url = reverse("supervision:file_list")
    ask = client.get(url, {"format": "xlsx"})
    assert "spreadsheetml" not in ask["Content-Type"]
    done = client.get(url, {"format": "xlsx", "reason": "Báo cáo Viện kiểm sát"})
    assert "spreadsheetml" in done["Content-Type"]
    cells = {c for row in load_workbook(io.BytesIO(done.content)).active.iter_rows(values_only=True) for c in row}
    assert NAME in cells
    log = FileAccess.objects.get()
    assert (log.action, log.rows, log.reason) == ("export", 1, "Báo cáo Viện kiểm sát")


def test_recording_events_through_the_forms(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    client = client_for(cast.commune_officer)
    url = reverse("supervision:event_record", args=[file.pk, "reception"])
    assert client.get(url).status_code == 200
    from cax.core.testing.forms import find_form

    form = find_form(client.get(url).content.decode(), url, url)
    response = client.post(url, form.data(on="2026-01-13"))
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.status == Status.ACTIVE
    absence = reverse("supervision:event_record", args=[file.pk, "absence"])
    form = find_form(client.get(absence).content.decode(), absence, absence)
    client.post(absence, form.data(on="2026-03-01", first_day="2026-03-02", last_day="2026-03-04",
                                    destination="Huế", reason="Việc gia đình"))  # fmt: skip
    file.refresh_from_db()
    assert file.status == Status.ABSENT


def test_the_receiving_commune_takes_the_file_over(cast):
    file = received(cast.commune_officer, cast.commune_a)
    client = client_for(cast.commune_officer)
    from cax.core.testing.forms import find_form

    url = reverse("supervision:handover_send", args=[file.pk])
    form = find_form(client.get(url).content.decode(), url, url)
    client.post(url, form.data(to_unit=cast.commune_b.code, moved_at="2026-11-30T08:00"))
    handover = Handover.objects.get()
    chief_b = make_user("chief_b", Role.COMMUNE_CHIEF, cast.commune_b)
    other = client_for(chief_b)
    waiting = other.get(reverse("supervision:handover_list"))
    assert NAME in waiting.content.decode()
    accept = reverse("supervision:handover_accept", args=[handover.pk])
    form = find_form(waiting.content.decode(), reverse("supervision:handover_list"), accept)
    response = other.post(accept, form.data())
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.new_file.unit == cast.commune_b
    file.refresh_from_db()
    assert file.status == Status.MOVED


def test_a_province_leader_reads_counts_only(cast):
    received(cast.commune_officer, cast.commune_a)
    client = client_for(cast.province_leader)
    assert client.get(reverse("supervision:file_list")).status_code == 403
    figures = client.get(reverse("supervision:figures"), {"unit": cast.province_a.code})
    assert figures.status_code == 200
    assert NAME not in figures.content.decode()
    overdue = client.get(reverse("supervision:overdue"), {"unit": cast.province_a.code})
    body = overdue.content.decode()
    assert cast.commune_a.name in body
    assert NAME not in body


@pytest.mark.parametrize("count", [1, 12])
def test_the_pages_read_in_constant_queries(cast, count, django_assert_max_num_queries):
    for i in range(count):
        received(cast.commune_officer, cast.commune_a, decision_number=f"{i}/QĐ")
    officer = client_for(cast.commune_officer)
    leader = client_for(cast.province_leader)
    officer.get(reverse("supervision:file_list"))
    with django_assert_max_num_queries(16):
        assert officer.get(reverse("supervision:file_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert officer.get(reverse("supervision:overdue"), {"unit": cast.commune_a.code}).status_code == 200
    with django_assert_max_num_queries(16):
        assert leader.get(reverse("supervision:figures"), {"unit": cast.province_a.code}).status_code == 200
    with django_assert_max_num_queries(16):
        assert leader.get(reverse("supervision:overdue"), {"unit": cast.province_a.code}).status_code == 200


def test_the_auditor_reads_the_access_log_without_names(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    client_for(cast.commune_chief).get(reverse("supervision:file_detail", args=[file.pk]), {"reason": "Kiểm tra"})
    page = client_for(cast.auditor).get(reverse("supervision:access_log"))
    body = page.content.decode()
    assert "Kiểm tra" in body
    assert NAME not in body
