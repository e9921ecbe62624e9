"""The rate import (all or nothing, errors by row and column), the API, the demo and the audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from cax.core.imports import ImportRejected
from cax.core.models import ChangeLog
from cax.core.records.importing import import_records
from cax.deployment.tests.factories import officer, post
from cax.regimes import audit
from cax.regimes.models import AreaClassification, EntitlementRate
from cax.regimes.registers import AREAS, RATES
from cax.regimes.services import areas_seed_from_flags

pytestmark = pytest.mark.django_db
HEADER = [
    "Mã chế độ",
    "Phạm vi (mã BCA hoặc mã tỉnh)",
    "Mức (đồng/tháng)",
    "Chỉ vùng sâu, vùng xa",
    "Hiệu lực từ",
    "Căn cứ",
]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_rate_import_is_all_or_nothing_and_names_every_bad_row(cast):
    bad = _xlsx(
        [
            HEADER,
            ["TIEN-AN", "51", "900000", "Không", "01/07/2025", "NQ tỉnh"],
            ["KHONG-CO", "51", "900000", "Không", "01/07/2025", "NQ tỉnh"],
            ["NHA-O", "23500", "500000", "Không", "01/07/2025", "NQ tỉnh"],
            ["NHA-O", "51", "-5", "Có", "01/07/2025", "NQ tỉnh"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(RATES, actor=cast.province_staff, filename="m.xlsx", content=bad, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (3, "Mã chế độ"),
        (4, "Phạm vi (mã BCA hoặc mã tỉnh)"),
        (5, "Mức (đồng/tháng)"),
    ]
    assert not EntitlementRate.objects.exists()
    good = _xlsx([HEADER, ["TIEN-AN", "51", "900000", "Không", "01/07/2025", "NQ tỉnh"]])
    assert import_records(RATES, actor=cast.province_staff, filename="m.xlsx", content=good, dry_run=False).created == 1
    rate = EntitlementRate.objects.get()
    assert (rate.amount, rate.unit, rate.verified) == (900_000, cast.province_a, False)
    assert ChangeLog.objects.filter(object_id=str(rate.pk), action=ChangeLog.Action.CREATE).exists()


def test_a_province_cannot_write_national_rates_or_another_province(cast):
    outside = _xlsx([HEADER, ["TIEN-AN", "01", "900000", "Không", "01/07/2025", "NQ"]])
    with pytest.raises(ImportRejected):
        import_records(RATES, actor=cast.province_staff, filename="m.xlsx", content=outside, dry_run=False)
    national = _xlsx([HEADER, ["TIEN-AN", "BCA", "900000", "Không", "01/07/2025", "NQ"]])
    with pytest.raises(ImportRejected):
        import_records(RATES, actor=cast.province_staff, filename="m.xlsx", content=national, dry_run=False)


def test_api_monthly_list_and_officer_history_are_scoped(cast, client):
    RATES.save(
        actor=None,
        instance=None,
        data={
            "entitlement_type": RATES.model._meta.get_field("entitlement_type").related_model.objects.get(
                code="TIEN-AN"
            ),
            "unit": cast.province_a,
            "amount": 930_000,
            "effective_from": dt.date(2025, 7, 1),
            "basis": "NQ tỉnh",
        },
    )
    someone = officer(cast.province_a)
    post(someone, cast.commune_a, start=dt.date(2025, 9, 1))
    client.force_login(cast.province_leader)
    body = client.get("/api/v1/regimes/monthly", {"unit": "51", "month": "2025-09"}).json()
    assert body["grand_total"] == 930_000
    assert body["rows"][0]["amounts"] == [{"code": "TIEN-AN", "amount": 930_000}]
    history = client.get(f"/api/v1/regimes/officers/{someone.pk}/entitlements").json()
    assert [(i["type_code"], i["start"], i["end"], i["verified"]) for i in history["items"]] == [
        ("TIEN-AN", "2025-09-01", None, False)
    ]
    assert client.get("/api/v1/regimes/monthly", {"month": "2025-9x"}).status_code == 422
    client.force_login(cast.commune_c_officer)
    assert client.get(f"/api/v1/regimes/officers/{someone.pk}/entitlements").status_code in (403, 404)
    assert client.get("/api/v1/regimes/monthly", {"unit": "51"}).status_code in (403, 404)


def test_seeding_from_flags_writes_each_flag_once(cast):
    cast.commune_a.is_remote = True
    cast.commune_a.is_border = True
    cast.commune_a.save(update_fields=["is_remote", "is_border"])
    units = [cast.commune_a, cast.commune_b]

    first = areas_seed_from_flags(actor=None, units=units, since=dt.date(2025, 7, 1), basis="cờ")
    again = areas_seed_from_flags(actor=None, units=units, since=dt.date(2025, 7, 1), basis="cờ")

    assert (first, again) == (2, 0)
    assert set(AreaClassification.objects.values_list("attribute", flat=True)) == {"remote", "border"}


def test_the_audit_finds_an_overlap_written_around_the_services(cast):
    area = AREAS.save(
        actor=None,
        instance=None,
        data={"unit": cast.commune_a, "attribute": "remote", "valid_from": dt.date(2025, 7, 1), "basis": "QĐ"},
    )
    AreaClassification.objects.create(
        unit=area.unit, attribute="remote", valid_from=dt.date(2025, 9, 1), basis="ngoài dịch vụ"
    )

    found = list(audit.violations())

    assert found
    assert found[0].rule == "phân loại địa bàn"
