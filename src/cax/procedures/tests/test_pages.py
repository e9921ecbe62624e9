"""The desk's pages as users meet them: the commune's list (search without diacritics, filters,
pages, Excel) in a constant number of queries, the dossier page revealing the applicant to the
managing commune only (each read logged), the figures for the levels above, and the API."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cax.accounts.roles import Role
from cax.core.testing.cast import make_user
from cax.procedures import services
from cax.procedures.models import Dossier, IdentityRead
from cax.procedures.tests.factories import at, declare, receive

pytestmark = pytest.mark.django_db
LIST = reverse("procedures:dossier_list")


def _many(cast, n: int):
    for i in range(n):
        receive(
            cast.commune_officer,
            cast.commune_a,
            ("thuong-tru", "tam-tru", "can-cuoc")[i % 3],
            received_at=at(2026, 11, 2 + i % 5, 8 + i % 8),
            channel=("in_person", "portal", "vneid")[i % 3],
            person_name=f"Người Số {i}",
            reference=f"HS-{i:03d}",
        )


def test_the_list_finds_without_diacritics_and_filters(cast, login):
    _many(cast, 6)
    client = login(cast.commune_officer)
    page = client.get(LIST, {"q": "dang ky thuong tru"})
    assert page.status_code == 200
    assert {obj.procedure.code for obj, _cells in page.context["rows"]} == {"thuong-tru"}
    online = client.get(LIST, {"online": "1"})
    assert {obj.channel for obj, _cells in online.context["rows"]} == {"portal", "vneid"}
    assert client.get(LIST, {"overdue": "1"}).context["page"].paginator.count == 6  # all past due by now
    assert b"Ng\xc6\xb0\xe1\xbb\x9di S\xe1\xbb\x91" not in page.content, "no name in the list"


def test_the_list_and_its_excel_keep_a_constant_query_count(cast, login, django_assert_max_num_queries):
    client = login(cast.commune_officer)
    _many(cast, 1)
    with django_assert_max_num_queries(9) as one:
        assert client.get(LIST).status_code == 200
    _many(cast, 30)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 32
    assert not any("Người Số" in str(cell) for row in rows for cell in row)


def test_the_dossier_page_shows_the_applicant_to_the_commune_and_logs_it(cast, login):
    dossier = receive(cast.commune_officer, cast.commune_a, person_name="Y Blih", person_id_number="064090001234")
    page = login(cast.commune_chief).get(reverse("procedures:dossier_detail", args=[dossier.pk]))
    assert page.status_code == 200
    assert "Y Blih" in page.content.decode()
    assert IdentityRead.objects.filter(user=cast.commune_chief, channel="web").count() == 1


@pytest.mark.parametrize(
    "who", ["province_leader", "province_staff", "auditor", "admin", "ministry_leader", "neighbour"]
)
def test_nobody_else_reads_a_name_on_any_page_or_endpoint(cast, client, who):
    dossier = receive(cast.commune_officer, cast.commune_a, person_name="Y Blih")
    notice = declare(cast.commune_officer, cast.commune_a, person_name="Khách Bí Mật")
    user = make_user("officer_b", Role.COMMUNE_OFFICER, cast.commune_b) if who == "neighbour" else getattr(cast, who)
    client.force_login(user)
    urls = [
        reverse("procedures:dossier_detail", args=[dossier.pk]),
        reverse("procedures:declaration_detail", args=[notice.pk]),
        LIST,
        LIST + "?format=xlsx&q=blih",
        reverse("procedures:declaration_list") + "?format=xlsx",
        f"/api/v1/procedures/dossiers/{dossier.pk}/applicant",
        f"/api/v1/procedures/declarations/{notice.pk}/person",
        f"/api/v1/procedures/dossiers/{dossier.pk}",
        "/api/v1/procedures/dossiers?q=blih",
        reverse("procedures:figures") + f"?unit={cast.commune_a.code}",
    ]
    for url in urls:
        response = client.get(url)
        body = (
            response.content.decode(errors="replace") if "spreadsheet" not in response.get("Content-Type", "") else ""
        )
        assert "Y Blih" not in body, url
        assert "Khách Bí Mật" not in body, url
        assert response.status_code in (200, 403, 404), url
    assert not IdentityRead.objects.exists()


def test_the_figures_page_serves_the_province_and_a_commune_officer_cannot_see_another(cast, login):
    receive(cast.commune_officer, cast.commune_a)
    period = {"first": "2026-11-01", "last": "2026-11-30"}
    page = login(cast.province_leader).get(reverse("procedures:figures"), {"unit": cast.province_a.code, **period})
    assert page.status_code == 200
    assert page.context["table"]["total"].received == 1
    assert [code for code, _name, _f in page.context["table"]["rows"]] == [cast.commune_a.code]
    other = login(cast.commune_c_officer).get(reverse("procedures:figures"), {"unit": cast.commune_a.code})
    assert other.status_code == 404


def test_the_actions_of_the_dossier_page(cast, login):
    dossier = receive(cast.commune_officer, cast.commune_a, "tam-tru", received_at=at(2026, 11, 4), complete_at=None)
    client = login(cast.commune_officer)
    detail = reverse("procedures:dossier_detail", args=[dossier.pk])
    page = client.get(detail)
    assert page.context["can_complete"]
    assert not page.context["can_resolve"]
    bad = client.post(reverse("procedures:dossier_complete", args=[dossier.pk]), {"complete_at": "2026-11-03T08:00"})
    assert bad.status_code == 200
    assert bad.context["complete_form"].errors
    client.post(reverse("procedures:dossier_complete", args=[dossier.pk]), {"complete_at": "2026-11-04T10:00"})
    client.post(
        reverse("procedures:dossier_apologize", args=[dossier.pk]),
        {"new_due_at": "2026-11-12T16:00", "reason": "Chờ xác minh"},
    )
    client.post(
        reverse("procedures:dossier_resolve", args=[dossier.pk]),
        {"resolved_at": "2026-11-12T10:00", "outcome": "approved"},
    )
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.on_time is False
    assert stored.apologies.count() == 1
    assert stored.outcome == "approved"


def test_the_api_receives_resolves_and_logs_the_applicant_read(cast, client):
    from cax.accounts.services import token_create

    _token, raw = token_create(actor=None, user=cast.commune_officer, name="desk")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    created = client.post(
        "/api/v1/procedures/dossiers",
        {
            "unit": cast.commune_a.code,
            "procedure": "tam-tru",
            "channel": "Cổng dịch vụ công",
            "received_at": "2026-11-04T08:00",
            "complete_at": "04/11/2026 08:30",
        },  # fmt: skip
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["due_at"].startswith("2026-11-09")
    client.put(
        f"/api/v1/procedures/dossiers/{pk}/applicant",
        {"full_name": "Y Blih", "id_number": "064090001234"},
        content_type="application/json",
        **auth,
    )
    resolved = client.post(
        f"/api/v1/procedures/dossiers/{pk}/resolve",
        {"resolved_at": "2026-11-09T15:00:00+07:00", "outcome": "approved"},
        content_type="application/json",
        **auth,
    )
    assert resolved.status_code == 200
    assert resolved.json()["on_time"] == "Đúng hạn"
    person = client.get(f"/api/v1/procedures/dossiers/{pk}/applicant", **auth)
    assert person.json()["full_name"] == "Y Blih"
    assert IdentityRead.objects.filter(channel="api").count() == 1
    bad = client.post(
        "/api/v1/procedures/dossiers",
        {"unit": cast.commune_a.code, "procedure": "khong-co", "channel": "x", "received_at": "hôm qua"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) >= {"channel", "received_at"}
    figures = client.get("/api/v1/procedures/figures", {"first": "2026-11-01", "last": "2026-11-30"}, **auth)
    assert figures.json()["on_time_rate"] == 100.0


def test_the_auditor_reads_who_read_a_name(cast, login):
    dossier = receive(cast.commune_officer, cast.commune_a, person_name="Y Blih")
    services.identity_reveal(
        actor=cast.commune_chief, person=Dossier.objects.get(pk=dossier.pk).applicant, channel="web"
    )
    page = login(cast.auditor).get(reverse("procedures:identity_reads"))
    assert page.status_code == 200
    assert "chief_a" in page.content.decode()
    assert "Y Blih" not in page.content.decode()
    assert login(cast.commune_officer).get(reverse("procedures:identity_reads")).status_code == 403


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_import_with_a_bad_row_writes_nothing_and_names_every_bad_cell(cast):
    from cax.core.imports import ImportRejected
    from cax.core.records.importing import import_records
    from cax.procedures.registers import DOSSIERS

    header = ["Mã Công an xã", "Mã thủ tục", "Hình thức nộp", "Thời điểm tiếp nhận", "Thời điểm hồ sơ đầy đủ"]
    code = cast.commune_a.code
    bad = _xlsx(
        [
            header,
            [code, "tam-tru", "Trực tiếp", "02/11/2026 08:00", "02/11/2026 08:10"],
            [code, "khong-co", "Trực tiếp", "02/11/2026 08:00", ""],
            [code, "thuong-tru", "Bồ câu", "hôm qua", ""],
            [code, "can-cuoc", "Bưu chính", "03/11/2026 08:00", "02/11/2026 08:00"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(DOSSIERS, actor=cast.commune_officer, filename="hs.xlsx", content=bad, dry_run=False)
    cells = {(e.row, e.column) for e in rejected.value.errors}
    assert {(3, "Mã thủ tục"), (4, "Hình thức nộp"), (4, "Thời điểm tiếp nhận")} <= cells
    assert any(row == 5 for row, _column in cells), "the completeness before receipt is refused on its row"
    assert not Dossier.objects.exists()
    good = _xlsx([header, [code, "tam-tru", "Cổng dịch vụ công", "02/11/2026 08:00", "02/11/2026 08:10"]])
    result = import_records(DOSSIERS, actor=cast.commune_officer, filename="hs.xlsx", content=good, dry_run=False)
    assert result.created == 1
    assert Dossier.objects.get().due_at is not None
