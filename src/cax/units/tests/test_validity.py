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
    assert validity_problem(ha_mon, dt.date(2018, 12, 31)) is None  # no predecessors of its own in CAX
    with pytest.raises(DomainError) as refused:
        require_valid_on(ha_mon, dt.date(2026, 1, 1), field="unit_code")
    assert refused.value.fields == {"unit_code": [refused.value.message]}


@pytest.mark.django_db
def test_before_its_start_a_unit_sends_events_to_its_predecessors_when_cax_holds_them(cast):
    assert cast.commune_a.valid_from == dt.date(2025, 7, 1)
    # No earlier tree loaded: the commune keeps its own history.
    assert validity_problem(cast.commune_a, dt.date(2019, 6, 30)) is None
    assert validity_problem(cast.commune_a, None) is None
    make_merged_commune(cast.commune_a)
    assert validity_problem(cast.commune_a, dt.date(2025, 7, 1)) is None
    assert validity_problem(cast.commune_a, dt.date(2025, 6, 30)) == (
        "Xã Đăk Hà chỉ có hiệu lực từ 01/07/2025; ngày 30/06/2025 thuộc đơn vị tiền thân: Xã Hà Mòn"
    )
