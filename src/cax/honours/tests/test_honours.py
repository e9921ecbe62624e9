"""Casualties, commendations and campaigns: rules, import, scoping, API, summary, tiles, query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from cax.core.exceptions import DomainError
from cax.core.imports import ImportRejected
from cax.core.models import ChangeLog
from cax.core.records.importing import import_records
from cax.core.registry import Contribution, registry
from cax.deployment.tests.factories import officer as make_officer
from cax.honours import selectors
from cax.honours.demo import load_demo
from cax.honours.models import Casualty, Commendation, EmulationCampaign
from cax.honours.registers import CAMPAIGNS, CASUALTIES, COMMENDATIONS

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def casualty(unit, *, kind="injured", day=dt.date(2024, 5, 1), name="Nguyễn Văn An", actor=None, **extra):
    data = {"unit": unit, "full_name": name, "kind": kind, "date": day, "cause": "crime", **extra}
    return CASUALTIES.save(actor=actor, instance=None, data=data)


def commendation(unit, *, number="1/QĐ", issuer="Công an tỉnh Quảng Ngãi", day=dt.date(2025, 8, 1), **extra):
    data = {"unit": unit, "form": "merit_certificate", "issuer": issuer, "decision_number": number}
    return COMMENDATIONS.save(actor=None, instance=None, data={**data, "decision_date": day, **extra})


def campaign(unit, participants, *, name="Vì an ninh Tổ quốc", first=dt.date(2025, 1, 1), last=dt.date(2025, 12, 31)):
    data = {"unit": unit, "name": name, "starts_on": first, "ends_on": last, "participants": participants}
    return CAMPAIGNS.save(actor=None, instance=None, data=data)


# -- rules ----------------------------------------------------------------------------------------


def test_the_form_takes_the_name_from_the_officer_and_logs_the_edit_with_the_old_value(cast, login):
    officer = make_officer(cast.province_a, full_name="Trần Văn Dũng")
    client = login(cast.province_staff)
    response = client.post(
        reverse("honours:casualty_create"),
        {
            "unit": cast.commune_a.code,
            "officer": officer.service_number,
            "full_name": "",
            "kind": "injured",
            "date": "2024-09-07",
            "cause": "rescue",
            "severity": "serious",
        },
    )
    record = Casualty.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    assert (record.full_name, record.officer, record.unit) == ("Trần Văn Dũng", officer, cast.commune_a)
    edit = client.post(
        reverse("honours:casualty_edit", args=[record.pk]),
        {
            "unit": cast.commune_b.code,
            "officer": officer.service_number,
            "kind": "injured",
            "date": "2024-09-07",
            "cause": "rescue",
            "severity": "light",
        },
    )
    assert edit.status_code == 302
    entry = ChangeLog.objects.get(object_type="honours.casualty", action="update")
    assert (entry.before["severity"], entry.after["severity"]) == ("serious", "light")
    assert entry.before["unit_id"] == cast.commune_a.pk
    assert "Trần Văn Dũng" in client.get(reverse("honours:casualty_list"), {"q": "tran van dung"}).content.decode()


def test_a_date_in_the_future_is_refused_with_the_date_named(cast):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        casualty(cast.commune_a, day=tomorrow)
    assert set(refused.value.fields) == {"date"}
    assert tomorrow.strftime("%d/%m/%Y") in refused.value.message
    assert casualty(cast.commune_a, day=timezone.localdate()).pk


def test_an_officer_is_recorded_killed_once_only(cast):
    officer = make_officer(cast.province_a, full_name="Lê Văn Hy")
    casualty(cast.commune_a, officer=officer, day=dt.date(2021, 3, 1))  # injured first: allowed
    casualty(cast.commune_a, officer=officer, kind="killed", day=dt.date(2021, 8, 3))
    with pytest.raises(DomainError) as refused:
        casualty(cast.commune_b, officer=officer, kind="killed", day=dt.date(2021, 8, 4))
    assert "03/08/2021" in refused.value.message
    assert set(refused.value.fields) == {"officer"}
    casualty(cast.commune_a, name="Đinh Văn Lực", kind="killed")
    with pytest.raises(DomainError, match="Đinh Văn Lực đã được ghi nhận hy sinh"):
        casualty(cast.commune_a, name="dinh van  luc", kind="killed", day=dt.date(2024, 6, 1))
    assert Casualty.objects.filter(kind="killed").count() == 2


def test_severity_is_for_injuries_only_and_a_name_is_needed_without_officer(cast):
    with pytest.raises(DomainError) as refused:
        casualty(cast.commune_a, kind="killed", severity="light")
    assert set(refused.value.fields) == {"severity"}
    with pytest.raises(DomainError) as refused:
        casualty(cast.commune_a, name="  ")
    assert set(refused.value.fields) == {"full_name"}


def test_an_officer_outside_the_actors_subtree_is_refused(cast):
    stranger = make_officer(cast.commune_c)
    with pytest.raises(DomainError) as refused:
        casualty(cast.commune_a, officer=stranger, actor=cast.province_staff)
    assert set(refused.value.fields) == {"officer"}
    assert not Casualty.objects.exists()


def test_a_decision_number_is_unique_per_issuer_and_recipient(cast):
    first, second = make_officer(cast.province_a), make_officer(cast.province_a)
    commendation(cast.commune_a, officer=first, number="12/QĐ-CAT")
    with pytest.raises(DomainError) as refused:
        commendation(cast.commune_a, officer=first, number="12/QĐ-CAT", issuer="CÔNG AN TỈNH  QUANG NGAI")
    assert set(refused.value.fields) == {"decision_number"}
    assert first.full_name in refused.value.message
    commendation(cast.commune_a, officer=second, number="12/QĐ-CAT")  # same decision, another officer
    commendation(cast.commune_a, officer=first, number="12/QĐ-CAT", issuer="UBND tỉnh Quảng Ngãi")
    commendation(cast.commune_a, number="12/QĐ-CAT")  # the unit itself
    with pytest.raises(DomainError):
        commendation(cast.commune_a, number="12/QĐ-CAT")
    assert Commendation.objects.count() == 4


def test_campaign_participants_must_lie_in_the_organisers_subtree(cast, client):
    with pytest.raises(DomainError) as refused:
        campaign(cast.province_a, [cast.commune_a, cast.commune_c])
    assert set(refused.value.fields) == {"participants"}
    assert "Phường Hoàn Kiếm (00070)" in refused.value.message
    client.force_login(cast.province_staff)
    bad = client.post(
        "/api/v1/honours/campaigns",
        {
            "unit": "51",
            "name": "Thi đua",
            "starts_on": "2025-01-01",
            "ends_on": "2025-06-30",
            "participants": "23500; 99999",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "99999" in bad.json()["extra"]["fields"]["participants"][0]
    ok = client.post(
        "/api/v1/honours/campaigns",
        {
            "unit": "51",
            "name": "Thi đua",
            "starts_on": "2025-01-01",
            "ends_on": "2025-06-30",
            "participants": ["23500"],
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["participants"] == "23500"
    patched = client.patch(
        f"/api/v1/honours/campaigns/{ok.json()['id']}", {"name": "Thi đua 2025"}, content_type="application/json"
    )
    assert patched.json()["participants"] == "23500"  # absent from the body: kept


def test_campaign_detail_shows_participants_and_linked_commendations(cast, login):
    drive = campaign(cast.province_a, [cast.commune_a, cast.commune_b])
    commendation(cast.commune_a, number="77/QĐ", campaign=drive)
    commendation(cast.commune_b, number="78/QĐ")  # not linked
    page = login(cast.province_staff).get(reverse("honours:campaign_detail", args=[drive.pk])).content.decode()
    assert "Xã Đăk Hà" in page
    assert "Phường Kon Tum" in page
    assert "77/QĐ" in page
    assert "78/QĐ" not in page
    with pytest.raises(DomainError) as refused:
        commendation(cast.commune_c, number="79/QĐ", campaign=drive)
    assert set(refused.value.fields) == {"campaign"}


# -- import ---------------------------------------------------------------------------------------


def test_casualty_import_is_all_or_nothing_and_names_row_and_column(cast):
    officer = make_officer(cast.commune_a, full_name="Phạm Quốc Bảo")
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    header = ["Số hiệu cán bộ", "Họ và tên", "Hình thức", "Ngày xảy ra", "Mã đơn vị", "Nhóm nguyên nhân"]
    content = _xlsx(
        [
            header,
            [officer.service_number, "", "Bị thương", "07/09/2024", "", "cứu nạn"],
            ["", "Võ Thanh Sơn", "Hy sinh", "03/08/2021", "23293", "Tuần tra, kiểm soát giao thông"],
            ["00000000", "", "Bị thương", "01/01/2024", "23500", "crime"],
            ["", "Hồ Văn Nam", "Bị thương", "31/02/2024", "23500", "crime"],
            ["", "Hồ Văn Bắc", "Bị thương", future, "23500", "crime"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(CASUALTIES, actor=cast.province_staff, filename="c.xlsx", content=content, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (4, "Số hiệu cán bộ"),
        (5, "Ngày xảy ra"),
        (6, "Ngày xảy ra"),
    ]
    assert not Casualty.objects.exists()
    good = _xlsx(
        [
            header,
            [officer.service_number, "", "Bị thương", "07/09/2024", "", "cứu nạn"],
            ["", "Võ Thanh Sơn", "Hy sinh", "03/08/2021", "23293", "Tuần tra, kiểm soát giao thông"],
        ]
    )
    result = import_records(CASUALTIES, actor=cast.province_staff, filename="c.xlsx", content=good, dry_run=False)
    assert result.created == 2
    by_officer = Casualty.objects.get(officer=officer)
    assert (by_officer.full_name, by_officer.unit) == ("Phạm Quốc Bảo", cast.commune_a)
    again = import_records(CASUALTIES, actor=cast.province_staff, filename="c.xlsx", content=good, dry_run=False)
    assert (again.created, again.unchanged) == (0, 2)


def test_campaign_import_reports_an_unknown_participant_code_on_its_row(cast):
    content = _xlsx(
        [
            ["Tên phong trào", "Mã đơn vị phát động", "Bắt đầu", "Kết thúc", "Đơn vị tham gia"],
            ["Vì an ninh Tổ quốc", "51", "01/01/2025", "31/12/2025", "23500; 23293"],
            ["Ngày hội toàn dân", "51", "01/08/2025", "31/08/2025", "23500; 12345"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(CAMPAIGNS, actor=cast.province_staff, filename="p.xlsx", content=content, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "Đơn vị tham gia")]
    assert "12345" in rejected.value.errors[0].message
    assert not EmulationCampaign.objects.exists()


# -- scoping and the API --------------------------------------------------------------------------


def test_another_province_sees_nothing_and_a_commune_officer_cannot_write(cast, client):
    record = casualty(cast.commune_a)
    commendation(cast.commune_a)
    campaign(cast.province_a, [cast.commune_a])
    client.force_login(cast.commune_c_officer)
    for slug in ("casualties", "commendations", "campaigns"):
        assert client.get(f"/api/v1/honours/{slug}").json()["count"] == 0, slug
    assert client.get(f"/api/v1/honours/casualties/{record.pk}").status_code == 404
    assert client.get(reverse("honours:casualty_detail", args=[record.pk])).status_code == 404
    assert client.get("/api/v1/honours/casualties/summary", {"unit": "51"}).status_code == 400
    client.force_login(cast.commune_officer)
    # The commune reads its own records and the province's campaign it takes part in.
    for slug in ("casualties", "commendations", "campaigns"):
        assert client.get(f"/api/v1/honours/{slug}").json()["count"] == 1, slug
    body = {"unit": "23500", "full_name": "A", "kind": "injured", "date": "2024-01-01", "cause": "crime"}
    assert client.post("/api/v1/honours/casualties", body, content_type="application/json").status_code == 403
    assert client.post(reverse("honours:casualty_create"), body).status_code == 403
    with pytest.raises(DomainError):
        casualty(cast.commune_a, actor=cast.commune_officer)
    assert Casualty.objects.count() == 1


def test_api_create_takes_excel_values_reports_fields_and_filters_by_period(cast, client):
    client.force_login(cast.province_staff)
    bad = client.post(
        "/api/v1/honours/casualties",
        {"full_name": "Lê Văn A", "kind": "died", "date": "31/02/2024", "unit": "23500", "cause": "crime"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"kind", "date"}
    for day in ("01/01/2024", "15/06/2024", "31/12/2024", "01/01/2025"):
        ok = client.post(
            "/api/v1/honours/casualties",
            {"full_name": f"Lê Văn {day}", "kind": "Bị thương", "date": day, "unit": "23500", "cause": "giao thông"},
            content_type="application/json",
        )
        assert ok.status_code == 201, ok.json()
    assert ok.json()["unit"] == "23500"
    assert ok.json()["cause"] == "traffic"
    listed = client.get("/api/v1/honours/casualties", {"first": "2024-01-01", "last": "2024-12-31", "unit": "51"})
    assert listed.status_code == 200, listed.json()
    assert listed.json()["count"] == 3
    assert client.get("/api/v1/honours/casualties", {"first": "2024-13-01"}).status_code == 400


# -- figures ---------------------------------------------------------------------------------------


def _seed_period(cast):
    casualty(cast.commune_a, day=dt.date(2019, 12, 31), name="Ngoài kỳ 1")
    casualty(cast.commune_a, day=dt.date(2020, 1, 1), kind="killed", name="Đầu kỳ")
    casualty(cast.commune_b, day=dt.date(2020, 6, 1), name="Giữa kỳ", cause="traffic")
    casualty(cast.commune_a, day=dt.date(2021, 12, 31), name="Cuối kỳ", cause="rescue")
    casualty(cast.commune_a, day=dt.date(2022, 1, 1), name="Ngoài kỳ 2")
    casualty(cast.commune_c, day=dt.date(2020, 6, 1), name="Tỉnh khác")


def test_summary_counts_a_period_with_both_ends_included(cast, client):
    _seed_period(cast)
    summary = selectors.casualty_summary(
        actor=cast.province_staff, unit=cast.province_a, first=dt.date(2020, 1, 1), last=dt.date(2021, 12, 31)
    )
    assert [(x.label, x.killed, x.injured) for x in summary.by_year] == [("2020", 1, 1), ("2021", 0, 1)]
    assert {x.code: (x.killed, x.injured) for x in summary.by_cause} == {
        "crime": (1, 0),
        "traffic": (0, 1),
        "rescue": (0, 1),
        "other": (0, 0),
    }
    assert summary.headline() == "1 hy sinh, 2 bị thương từ 01/01/2020 đến 31/12/2021"
    client.force_login(cast.province_staff)
    body = client.get("/api/v1/honours/casualties/summary", {"unit": "51", "last": "2021-12-31"}).json()
    assert (body["killed"], body["injured"]) == (1, 3)
    assert body["headline"].endswith("từ 2019 đến 31/12/2021")
    page = client.get(reverse("honours:casualty_summary"), {"unit": "51", "first": "2020-01-01", "last": "2021-12-31"})
    assert "1 hy sinh, 2 bị thương" in page.content.decode()
    sheet = client.get(
        reverse("honours:casualty_summary"),
        {"unit": "23293", "first": "2020-01-01", "last": "2021-12-31", "format": "xlsx"},
    )
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("Năm", "2020", 0, 1, 1)
    assert rows[-1] == ("Tổng cộng", None, 0, 1, 1)
    bad = client.get(reverse("honours:casualty_summary"), {"first": "2022-01-01", "last": "2021-01-01"})
    assert "sau đến ngày" in bad.content.decode()


def test_tiles_follow_the_data_and_drill_down_to_the_same_rows(cast, client, monkeypatch):
    _seed_period(cast)
    first, last = dt.date(2020, 1, 1), dt.date(2021, 12, 31)
    tiles = {
        t.title: t for t in selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=first, last=last)
    }
    assert (tiles["Cán bộ hy sinh"].value, tiles["Cán bộ bị thương"].value) == ("1", "2")
    client.force_login(cast.province_staff)
    listed = client.get(tiles["Cán bộ bị thương"].url)
    assert listed.context["page"].paginator.count == 2
    assert client.get(tiles["Cán bộ bị thương"].url + "&format=xlsx").status_code == 200
    commune = {
        t.title: t for t in selectors.tiles(actor=cast.province_staff, unit=cast.commune_b, first=first, last=last)
    }
    assert commune["Cán bộ bị thương"].value == "1"

    officer = make_officer(cast.province_a)
    commendation(cast.commune_a, officer=officer, day=dt.date(2021, 12, 31))
    commendation(cast.commune_a, number="2/QĐ", day=dt.date(2020, 1, 1))
    commendation(cast.commune_b, number="3/QĐ", day=dt.date(2022, 1, 1))
    campaign(cast.province_a, [cast.commune_a, cast.commune_b], first=dt.date(2021, 12, 31), last=dt.date(2022, 3, 1))
    campaign(cast.province_a, [cast.commune_a], name="Sau kỳ", first=dt.date(2022, 1, 1), last=dt.date(2022, 3, 1))
    tiles = {
        t.title: t for t in selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=first, last=last)
    }
    assert tiles["Khen thưởng (tập thể / cá nhân)"].value == "1 / 1"
    assert tiles["Phong trào thi đua đang diễn ra"].value == "1"
    assert tiles["Phong trào thi đua đang diễn ra"].detail == "2 đơn vị tham gia"
    assert client.get(tiles["Khen thưởng (tập thể / cá nhân)"].url).context["page"].paginator.count == 2
    assert client.get(tiles["Phong trào thi đua đang diễn ra"].url).context["page"].paginator.count == 1
    # The commune's overview counts the province's campaign it joined, though the province launched it.
    commune = {
        t.title: t for t in selectors.tiles(actor=cast.commune_officer, unit=cast.commune_b, first=first, last=last)
    }
    assert (commune["Phong trào thi đua đang diễn ra"].value, commune["Khen thưởng (tập thể / cá nhân)"].value) == (
        "1",
        "0 / 0",
    )
    # Only this app's provider: the overview must not depend on the other apps' state in this test.
    monkeypatch.setattr(registry, "tiles", [Contribution("cax.honours.selectors.tiles")])
    overview = client.get(
        reverse("overview:unit", args=[cast.province_a.pk]), {"first": "2020-01-01", "last": "2021-12-31"}
    )
    assert "Thương vong, khen thưởng" in overview.content.decode()


# -- query counts ----------------------------------------------------------------------------------


def _bulk(cast, n: int) -> None:
    units = [cast.commune_a, cast.commune_b]
    officers = [make_officer(cast.province_a) for _ in range(3)]
    Casualty.objects.bulk_create(
        Casualty(unit=units[i % 2], full_name=f"Cán bộ {i}", kind=("killed", "injured")[i % 2], cause="crime",
                 date=dt.date(2018, 1, 1) + dt.timedelta(days=30 * i), officer=officers[i % 3] if i % 2 else None)
        for i in range(n)
    )  # fmt: skip
    drives = [campaign(cast.province_a, units, name=f"Phong trào {i}") for i in range(n // 10)]
    Commendation.objects.bulk_create(
        Commendation(unit=units[i % 2], officer=officers[i % 3] if i % 2 else None, form="merit_certificate",
                     issuer="CA tỉnh", issuer_key="ca tinh", decision_number=str(i), decision_date=dt.date(2025, 1, 1),
                     campaign=drives[i % len(drives)])
        for i in range(n)
    )  # fmt: skip


@pytest.mark.parametrize("n", [10, 60])
def test_pages_and_tiles_run_in_a_constant_number_of_queries(cast, login, django_assert_max_num_queries, n):
    _bulk(cast, n)
    client = login(cast.province_staff)
    # session, user, [unit by code], count, page (+ participants for campaigns): whatever the rows;
    # a page adds the notices' bell, an Excel file neither it nor the count and page's unit.
    for name, pages in (("casualty", 5), ("commendation", 5), ("campaign", 6)):
        with django_assert_max_num_queries(pages + 1):
            assert client.get(reverse(f"honours:{name}_list"), {"unit": "51", "first": "2018-01-01"}).status_code == 200
        with django_assert_max_num_queries(pages - 2):
            assert client.get(reverse(f"honours:{name}_list"), {"format": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("honours:casualty_summary"), {"unit": "51", "format": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(5):  # the Excel file's 4 and the notices' bell
        assert client.get(reverse("honours:casualty_summary"), {"unit": "51"}).status_code == 200
    with django_assert_max_num_queries(3):
        selectors.tiles(
            actor=cast.province_staff, unit=cast.province_a, first=dt.date(2018, 1, 1), last=dt.date(2026, 1, 1)
        )


def test_the_demo_loads_twice_without_change(cast):
    officers = [make_officer(cast.province_a) for _ in range(2)]
    load_demo(province=cast.province_a)
    assert Commendation.objects.filter(officer__in=officers).count() == 2
    assert Commendation.objects.filter(issuer="Giám đốc Công an tỉnh Quảng Ngãi").exists()
    counts = (Casualty.objects.count(), Commendation.objects.count(), EmulationCampaign.objects.count())
    assert counts[0] >= 5
    assert counts[1] >= 3
    assert counts[2] == 1
    logged = ChangeLog.objects.count()
    load_demo(province="51")
    assert (Casualty.objects.count(), Commendation.objects.count(), EmulationCampaign.objects.count()) == counts
    assert ChangeLog.objects.count() == logged
    drive = EmulationCampaign.objects.get()
    assert drive.name == "Vì an ninh Tổ quốc"
    assert drive.participants.count() >= 2


def test_every_page_of_the_three_registers_opens(cast, login):
    drive = campaign(cast.province_a, [cast.commune_a])
    records = {"casualty": casualty(cast.commune_a), "commendation": commendation(cast.commune_a), "campaign": drive}
    client = login(cast.province_staff)
    for name, record in records.items():
        for which, args in (
            ("list", []),
            ("create", []),
            ("import", []),
            ("detail", [record.pk]),
            ("edit", [record.pk]),
        ):
            assert client.get(reverse(f"honours:{name}_{which}", args=args)).status_code == 200, (name, which)
        assert client.get(reverse(f"honours:{name}_import_template")).status_code == 200
    edit = client.get(reverse("honours:campaign_edit", args=[drive.pk])).content.decode()
    assert "23500" in edit  # participants shown as the codes the field takes back
