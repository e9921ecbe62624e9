"""Events in a unit merged away in 2025 (issue 14): kept there for dates inside its validity, by
form, import and API; refused after it with the unit, its end and its successors named."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from cax.core.imports import ImportRejected
from cax.core.records.importing import import_records
from cax.core.records.model import RecordModel
from cax.core.testing.units import make_merged_commune
from cax.honours.models import Casualty
from cax.honours.registers import CASUALTIES
from cax.petitions.models import Petition

CLOSED = "Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà"


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ha_mon(cast):
    return make_merged_commune(cast.commune_a)


def test_an_import_keeps_a_2019_event_in_the_merged_commune_and_names_its_successor_after(cast, ha_mon):
    header = ["Họ và tên", "Hình thức", "Ngày xảy ra", "Mã đơn vị", "Nhóm nguyên nhân"]
    late = _xlsx(
        [
            header,
            ["Võ Thanh Sơn", "Bị thương", "12/04/2019", "23501", "crime"],
            ["Hồ Văn Nam", "Bị thương", "02/07/2025", "23501", "crime"],
        ]
    )

    with pytest.raises(ImportRejected) as refused:
        import_records(CASUALTIES, actor=cast.province_staff, filename="c.xlsx", content=late, dry_run=False)

    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [(3, "Ngày xảy ra", CLOSED)]
    assert not Casualty.objects.exists()
    good = _xlsx([header, ["Võ Thanh Sơn", "Bị thương", "12/04/2019", "23501", "crime"]])
    assert import_records(CASUALTIES, actor=cast.province_staff, filename="c.xlsx", content=good, dry_run=False).created
    assert Casualty.objects.get().unit == ha_mon


def test_the_api_and_the_form_take_the_closed_unit_inside_its_validity(cast, ha_mon, login):
    client = login(cast.province_staff)
    body = {"full_name": "Võ Thanh Sơn", "kind": "injured", "date": "2020-10-28", "unit": "23501", "cause": "rescue"}

    created = client.post("/api/v1/honours/casualties", body, content_type="application/json")
    late = client.post("/api/v1/honours/casualties", {**body, "date": "2025-07-02"}, content_type="application/json")

    assert created.status_code == 201, created.content
    assert late.status_code == 400
    assert late.json()["message"] == CLOSED
    form = client.post(
        CASUALTIES.url("create"),
        {"full_name": "Hồ Văn Nam", "kind": "injured", "date": "2025-08-01", "unit": "23501", "cause": "crime"},
    )
    assert form.status_code == 200
    assert CLOSED in form.content.decode()
    assert Casualty.objects.filter(unit=ha_mon).count() == 1


def test_every_register_with_event_dates_names_real_date_fields():
    """A register that records events says which dates are the event's; each is a real date field."""
    from django.apps import apps

    models = [m for m in apps.get_models() if issubclass(m, RecordModel) and m.event_date_fields]
    assert Casualty in models
    assert Petition in models
    for model in models:
        for name in model.event_date_fields:
            assert model._meta.get_field(name).get_internal_type() == "DateField", (model, name)


def test_party_cells_and_seats_follow_the_merged_communes_validity(cast, ha_mon):
    import datetime as dt

    from cax.core.exceptions import DomainError
    from cax.deployment.services import committee_seat_record, party_cell_record
    from cax.deployment.tests.factories import officer

    cell, action = party_cell_record(
        actor=None, unit=ha_mon, founded_on=dt.date(2019, 5, 19), dissolved_on=dt.date(2025, 6, 30)
    )
    assert action == "create"
    with pytest.raises(DomainError, match=CLOSED):
        party_cell_record(actor=None, unit=ha_mon, founded_on=dt.date(2025, 9, 2))
    member = officer(cast.province_a)
    seat, _action = committee_seat_record(
        actor=None,
        officer=member,
        unit=ha_mon,
        committee="executive",
        start_date=dt.date(2020, 9, 1),
        end_date=dt.date(2025, 6, 30),
    )
    assert seat.pk
    with pytest.raises(DomainError, match=CLOSED):
        committee_seat_record(
            actor=None, officer=member, unit=ha_mon, committee="standing", start_date=dt.date(2025, 8, 1)
        )
