"""One wording for "this unit did not exist on that date" (issue 14): events stay where they happened."""

from __future__ import annotations

import datetime as dt

import pytest

from cax.core.exceptions import DomainError
from cax.core.testing.units import make_merged_commune
from cax.units.kinds import require_valid_on, validity_problem


@pytest.mark.django_db
def test_a_merged_commune_takes_events_inside_its_validity_and_names_its_successor_outside(cast):
    ha_mon = make_merged_commune(cast.commune_a)
    assert validity_problem(ha_mon, dt.date(2019, 3, 4)) is None
    assert validity_problem(ha_mon, dt.date(2025, 6, 30)) is None
    assert validity_problem(ha_mon, dt.date(2025, 7, 1)) == "Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà"
    assert "trước khi đơn vị được thành lập" in validity_problem(ha_mon, dt.date(2018, 12, 31))
    with pytest.raises(DomainError) as refused:
        require_valid_on(ha_mon, dt.date(2026, 1, 1), field="unit_code")
    assert refused.value.fields == {"unit_code": [refused.value.message]}


@pytest.mark.django_db
def test_todays_communes_start_with_the_2025_reform(cast):
    assert cast.commune_a.valid_from == dt.date(2025, 7, 1)
    assert validity_problem(cast.commune_a, dt.date(2025, 7, 1)) is None
    assert validity_problem(cast.commune_a, None) is None
    assert validity_problem(cast.commune_a, dt.date(2025, 6, 30)) == (
        "Xã Đăk Hà chỉ có hiệu lực từ 01/07/2025; ngày 30/06/2025 trước khi đơn vị được thành lập."
    )
