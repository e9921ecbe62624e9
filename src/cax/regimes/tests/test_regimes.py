"""The issue's check end to end: post an officer to a remote border commune, move them to a city
ward, and the province's monthly list totals match a hand count. Plus scoping, the officer's page,
imports, rotation and the home line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.deployment.services import posting_transfer
from cax.deployment.tests.factories import officer, post
from cax.regimes import selectors
from cax.regimes.models import AreaClassification, EntitlementType, RotationRule
from cax.regimes.registers import AREAS, RATES

pytestmark = pytest.mark.django_db
D = dt.date


def _rate(unit, code, amount, start, **extra):
    return RATES.save(
        actor=None,
        instance=None,
        data={
            "entitlement_type": EntitlementType.objects.get(code=code),
            "unit": unit,
            "amount": amount,
            "effective_from": start,
            "basis": "thử nghiệm",
            **extra,
        },
    )


def _area(unit, attribute, start, end=None):
    return AREAS.save(
        actor=None,
        instance=None,
        data={"unit": unit, "attribute": attribute, "valid_from": start, "valid_to": end, "basis": "QĐ"},
    )


@pytest.fixture
def moved(cast):
    """Commune A (Đăk Hà) is remote and on the border; the officer serves there from 10/08/2025
    and is moved to ward B (Kon Tum) on 20/10/2025. A second officer stays in ward B all along."""
    _rate(cast.root, "VUNG-DBKK", 1_638_000, D(2024, 7, 1), requires_remote=True, requires_border=True)
    _area(cast.commune_a, "remote", D(2025, 7, 1))
    _area(cast.commune_a, "border", D(2025, 7, 1))
    first = officer(cast.province_a, full_name="Y Nhăm")
    post(first, cast.commune_a, start=D(2025, 8, 10))
    posting_transfer(actor=None, officer=first, to_unit=cast.commune_b, on=D(2025, 10, 20))
    second = officer(cast.province_a, full_name="A Thái")
    post(second, cast.commune_b, start=D(2025, 7, 1))
    return first, second


def test_the_allowance_starts_on_the_posting_date_and_ends_on_the_move(cast, moved):
    first, second = moved
    _officer, lines = selectors.officer_history(actor=cast.province_staff, officer_id=first.pk, today=D(2025, 12, 1))

    assert [(line.entitlement_type.code, line.start, line.end, line.unit) for line in lines] == [
        ("VUNG-DBKK", D(2025, 8, 10), D(2025, 10, 19), cast.commune_a)
    ]


def test_the_province_list_totals_match_a_hand_count(cast, moved):
    first, second = moved
    august = selectors.month_list(actor=cast.province_staff, unit=cast.province_a, year=2025, month=8)
    october = selectors.month_list(actor=cast.province_staff, unit=cast.province_a, year=2025, month=10)
    november = selectors.month_list(actor=cast.province_staff, unit=cast.province_a, year=2025, month=11)

    # August: 22 of 31 days (10–31/8) → 1,638,000 × 22 / 31 = 1,162,451.6; October: 19 days → 1,003,935.5.
    assert {r.officer.pk: r.total for r in august.rows} == {first.pk: 1_162_452, second.pk: 0}
    assert august.grand_total == 1_162_452
    assert {r.officer.pk: r.total for r in october.rows} == {first.pk: 1_003_935, second.pk: 0}
    assert november.grand_total == 0


def test_editing_a_flag_today_does_not_change_a_past_month(cast, moved):
    area = AreaClassification.objects.get(unit=cast.commune_a, attribute="remote")
    AREAS.save(actor=None, instance=area, data={"valid_to": D(2025, 8, 31)})

    august = selectors.month_list(actor=cast.province_staff, unit=cast.province_a, year=2025, month=8)
    september = selectors.month_list(actor=cast.province_staff, unit=cast.province_a, year=2025, month=9)

    assert august.grand_total == 1_162_452
    assert september.grand_total == 0


def test_only_the_highest_hanoi_rate_applies(cast):
    _rate(cast.province_b, "HN-NQ38-2024", 1_800_000, D(2025, 1, 1), speciality="criminal_police", verified=True)
    _rate(cast.province_b, "HN-HOTRO-2025", 4_960_000, D(2025, 11, 27), verified=True)
    hn = officer(cast.province_b, specialities=[("criminal_police", "")])
    post(hn, cast.commune_c, start=D(2025, 7, 1))

    november = selectors.month_list(actor=cast.admin, unit=cast.province_b, year=2025, month=11)
    december = selectors.month_list(actor=cast.admin, unit=cast.province_b, year=2025, month=12)

    assert november.rows[0].amounts == {"HN-NQ38-2024": 1_560_000, "HN-HOTRO-2025": 661_333}
    assert december.grand_total == 4_960_000


def test_a_commune_chief_sees_their_commune_only_and_an_officer_no_amounts(cast, moved):
    with pytest.raises(NotVisible):
        selectors.month_list(actor=cast.commune_chief, unit=cast.province_a, year=2025, month=8)
    own = selectors.month_list(actor=cast.commune_chief, unit=cast.commune_a, year=2025, month=8)
    assert own.grand_total == 1_162_452
    with pytest.raises(PermissionDenied):
        selectors.month_list(actor=cast.commune_officer, unit=cast.commune_a, year=2025, month=8)
    with pytest.raises(NotVisible):
        selectors.month_list(actor=cast.province_staff, unit=cast.province_b, year=2025, month=8)


def test_monthly_page_and_excel_show_the_total(cast, moved, login, django_assert_max_num_queries):
    client = login(cast.province_staff)
    url = reverse("regimes:monthly")
    with django_assert_max_num_queries(14):
        page = client.get(url, {"unit": "51", "month": "2025-08"})
    assert page.status_code == 200
    assert "1.162.452 đ" in page.content.decode()
    export = client.get(url, {"unit": "51", "month": "2025-08", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][-1] == 1_162_452
    assert client.get(url, {"month": "2025-13"}).status_code in (404, 422)


def test_monthly_list_queries_do_not_grow_with_officers(cast, moved, login, django_assert_max_num_queries):
    for _n in range(6):
        post(officer(cast.province_a), cast.commune_a, start=D(2025, 8, 1))
    client = login(cast.province_staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("regimes:monthly"), {"unit": "51", "month": "2025-08"}).status_code == 200


def test_officer_page_shows_the_history_to_personnel_not_to_an_officer(cast, moved, login):
    first, _second = moved
    page = login(cast.province_staff).get(reverse("personnel:detail", args=[first.pk]))
    assert "Quá trình hưởng chế độ, phụ cấp" in page.content.decode()
    page = login(cast.commune_officer).get(reverse("personnel:detail", args=[first.pk]))
    assert "Quá trình hưởng chế độ, phụ cấp" not in page.content.decode()


def test_overlapping_rates_and_classifications_are_refused(cast):
    _rate(cast.root, "VUNG-DBKK", 1_638_000, D(2024, 7, 1), requires_remote=True)
    with pytest.raises(DomainError) as refused:
        _rate(cast.root, "VUNG-DBKK", 1_700_000, D(2025, 1, 1), requires_remote=True)
    assert "effective_from" in refused.value.fields
    _area(cast.commune_a, "remote", D(2025, 7, 1))
    with pytest.raises(DomainError):
        _area(cast.commune_a, "remote", D(2025, 9, 1))
    with pytest.raises(DomainError):
        _area(cast.province_a, "border", D(2025, 9, 1))
    with pytest.raises(DomainError):
        _rate(cast.commune_a, "TIEN-AN", 100_000, D(2025, 1, 1))


def test_rotation_is_due_after_the_rule_years_in_one_commune(cast, login):
    RotationRule.objects.update(years=5)
    old = officer(cast.province_a, full_name="Lâu Năm")
    post(old, cast.commune_a, start=D(2019, 3, 1))
    new = officer(cast.province_a, full_name="Mới Đến")
    post(new, cast.commune_a, start=D(2025, 7, 1))

    rule, lines = selectors.rotation_list(actor=cast.province_staff, unit=cast.province_a, today=D(2025, 12, 1))

    assert [(x.officer.pk, x.due, x.is_due) for x in lines] == [
        (old.pk, D(2024, 3, 1), True),
        (new.pk, D(2030, 7, 1), False),
    ]
    assert not rule.verified
    home = login(cast.province_staff).get("/").content.decode()
    assert "đến hạn luân chuyển" in home
