"""A department's page lists its communes' open problems (seed 000)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.core.testing.cast import make_user
from cax.core.testing.units import make_department
from cax.pairing import selectors
from cax.pairing.registers import PAIRINGS
from cax.petitions import services as petition_services
from cax.petitions.registers import PETITIONS

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _pair(department, commune, since=dt.date(2025, 7, 1), until=None):
    return PAIRINGS.save(
        actor=None, instance=None, data={"department": department, "commune": commune, "since": since, "until": until}
    )


def test_department_user_sees_the_problems_of_its_communes_only(cast, login, django_assert_max_num_queries):
    department = make_department(cast.province_a)
    user = make_user("phong_tm", "department_staff", department)
    _pair(department, cast.commune_a)
    _pair(department, cast.commune_b, until=dt.date(2025, 12, 31) if TODAY > dt.date(2025, 12, 31) else None)
    petition = PETITIONS.save(
        actor=cast.commune_chief,
        instance=None,
        data={"unit": cast.commune_a, "raised_on": TODAY, "topic": "staffing", "text": "Thiếu cán bộ"},
    )
    petition_services.petition_assign(
        actor=cast.province_staff, petition=petition, department=department, due_on=TODAY + dt.timedelta(days=10)
    )
    page = selectors.department_page(actor=user, department=department, today=TODAY)
    by_code = {row.commune.code: row for row in page.communes}
    assert cast.commune_a.code in by_code
    row = by_code[cast.commune_a.code]
    # No officer is posted in the test tree: the commune is below its norm and has no chief.
    assert row.head_count == 0
    assert row.shortfall == row.minimum > 0
    assert row.without_chief
    assert row.open_requests == 1
    assert [p.pk for p in page.assigned_open] == [petition.pk]
    client = login(user)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("pairing:department", args=[department.pk]))
    assert response.status_code == 200
    assert "Xã Đăk Hà" in response.content.decode()
    # Another province's commune officer cannot open the department page.
    client.force_login(cast.commune_c_officer)
    assert client.get(reverse("pairing:department", args=[department.pk])).status_code == 404


def test_pairing_tile_counts_communes_with_a_department(cast):
    department = make_department(cast.province_a)
    before = selectors.tiles(actor=cast.province_leader, unit=cast.province_a, first=TODAY, last=TODAY)[0]
    _pair(department, cast.commune_a)
    after = selectors.tiles(actor=cast.province_leader, unit=cast.province_a, first=TODAY, last=TODAY)[0]
    paired_before, total = (int(x) for x in before.value.split("/"))
    paired_after, _total = (int(x) for x in after.value.split("/"))
    assert (paired_before, paired_after) == (0, 1)
    assert total > 1
    assert after.state == "warn"
