"""The home page, "Việc cần làm" (issue 17)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ("commune_officer", "commune_chief", "province_leader", "ministry_leader", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_home_renders_for_every_role(cast, login, role, django_assert_max_num_queries):
    client = login(cast.by_role(role))
    with django_assert_max_num_queries(80):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Việc cần làm" in body
