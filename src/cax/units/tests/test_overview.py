"""The overview page gathers every app's tiles for a unit and a period (#8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cax.core import tiles
from cax.core.registry import registry

pytestmark = pytest.mark.django_db


def test_every_provider_is_importable_and_answers_for_a_province(cast):
    import datetime as dt

    from django.utils.module_loading import import_string

    # cases, the six programme apps (#8), the desk and supervision (#18), the movement (#19)
    assert len(registry.tiles) == 10
    for contribution in registry.tiles:
        dotted = contribution.dotted
        provider = import_string(dotted)  # a renamed function must fail here, not vanish from the page
        found = provider(
            actor=cast.province_leader, unit=cast.province_a, first=dt.date(2025, 1, 1), last=dt.date.today()
        )
        assert all(isinstance(t, tiles.Tile) for t in found), dotted


def test_overview_page_shows_the_groups_and_keeps_a_constant_query_count(cast, login, django_assert_max_num_queries):
    client = login(cast.province_leader)
    with django_assert_max_num_queries(60):
        response = client.get(reverse("overview:unit", args=[cast.province_a.pk]), {"first": "2025-01-01"})
    assert response.status_code == 200
    body = response.content.decode()
    for group in ("Kiến nghị của Công an xã", "Phòng nghiệp vụ phụ trách xã"):
        assert group in body
    # Another province's unit is not visible.
    client.force_login(cast.commune_c_officer)
    assert client.get(reverse("overview:unit", args=[cast.province_a.pk])).status_code == 404


def test_swapped_period_is_put_in_order(cast, login):
    response = login(cast.province_leader).get(
        reverse("overview:unit", args=[cast.province_a.pk]), {"first": "2025-12-31", "last": "2025-01-01"}
    )
    assert (response.context["first"].isoformat(), response.context["last"].isoformat()) == ("2025-01-01", "2025-12-31")
