"""The official tree's coordinates (issue 17): filled from the committed CSV, kept when set by hand."""

from __future__ import annotations

from decimal import Decimal

from cax.units.models import Unit
from cax.units.official import load_official_units, official_coordinates


def test_every_official_unit_has_its_point(db):
    points = official_coordinates()
    assert len(points) == 34 + 3321
    commune = Unit.objects.current().get(code="23500")  # Xã Đăk Hà
    assert (commune.latitude, commune.longitude) == (Decimal("14.463400"), Decimal("107.929000"))
    province = Unit.objects.current().get(code="51")
    assert (province.latitude, province.longitude) == points["51"]
    assert not Unit.objects.current().commune_level().filter(latitude__isnull=True).exists()


def test_a_point_set_by_hand_is_kept_and_a_second_run_changes_nothing(db):
    Unit.objects.filter(code="23500", valid_to=None).update(latitude=Decimal("14.5"), longitude=Decimal("108"))
    summary = load_official_units()
    assert (summary.created, summary.updated) == (0, 0)
    commune = Unit.objects.current().get(code="23500")
    assert (commune.latitude, commune.longitude) == (Decimal("14.500000"), Decimal("108.000000"))


def test_a_unit_without_a_point_gets_it_back(db):
    Unit.objects.filter(code="23293", valid_to=None).update(latitude=None, longitude=None)
    summary = load_official_units()
    assert summary.updated == 1
    assert Unit.objects.current().get(code="23293").latitude == official_coordinates()["23293"][0]
