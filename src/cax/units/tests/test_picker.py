"""The unit picker (issue 17.4): suggestions for a typed unit code, inside the user's subtree only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cax.core.records.forms import FilterForm
from cax.core.records.registry import all_registers
from cax.units.models import Unit
from cax.units.selectors import PICK_LIMIT

pytestmark = pytest.mark.django_db

PICK = reverse("units:pick")


def _codes(response) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', response.content.decode())


def test_search_without_diacritics_finds_the_commune(cast, login):
    thanh_mien = Unit.objects.current().get(name="Xã Thanh Miện")
    response = login(cast.admin).get(PICK, {"q": "thanh mien"})
    assert response.status_code == 200
    assert thanh_mien.code in _codes(response)
    body = response.content.decode()
    assert "Xã Thanh Miện" in body
    assert thanh_mien.parent.name in body


def test_the_exact_code_comes_first_and_the_list_is_bounded(cast, login):
    client = login(cast.admin)
    assert _codes(client.get(PICK, {"q": cast.commune_a.code}))[0] == cast.commune_a.code
    assert len(_codes(client.get(PICK, {"q": "xa"}))) == PICK_LIMIT


def test_the_input_name_htmx_sends_is_read(cast, login):
    response = login(cast.admin).get(PICK, {"field": "to_unit", "to_unit": "dak ha"})
    assert cast.commune_a.code in _codes(response)


def test_a_unit_outside_the_subtree_answers_like_an_unknown_code(cast, login):
    client = login(cast.province_leader)  # Quảng Ngãi
    inside = client.get(PICK, {"q": cast.commune_a.code})
    assert _codes(inside) == [cast.commune_a.code]
    outside = client.get(PICK, {"q": cast.commune_c.code})  # Hà Nội
    unknown = client.get(PICK, {"q": "99999"})
    assert outside.status_code == unknown.status_code == 200
    assert outside.content == unknown.content
    assert _codes(outside) == []
    by_name = client.get(PICK, {"q": "hoan kiem"})
    assert by_name.content == client.get(PICK, {"q": "khong co dau"}).content
    # The JSON answer keeps the same rule.
    assert client.get(PICK, {"q": cast.commune_c.code, "format": "json"}).json() == {"results": []}
    found = client.get(PICK, {"q": cast.commune_a.code, "format": "json"}).json()["results"]
    assert found == [{"code": cast.commune_a.code, "name": cast.commune_a.name, "parent": cast.province_a.name}]


def test_a_commune_officer_is_offered_its_own_commune_only(cast, login):
    client = login(cast.commune_officer)
    assert _codes(client.get(PICK, {"q": "xa"})) == [cast.commune_a.code]
    assert _codes(client.get(PICK, {"q": cast.province_a.code})) == []


def test_an_empty_search_lists_nothing_and_asks_nothing(cast, login, django_assert_max_num_queries):
    client = login(cast.admin)
    client.get(PICK, {"q": "x"})  # the session and the user are read once per request
    with django_assert_max_num_queries(3):
        response = client.get(PICK, {"q": "  "})
    assert _codes(response) == []
    assert b"none" not in response.content


def test_the_query_count_does_not_grow_with_the_results(cast, login, django_assert_max_num_queries):
    client = login(cast.admin)
    with django_assert_max_num_queries(4):
        many = client.get(PICK, {"q": "xa"})
    with django_assert_max_num_queries(4):
        one = client.get(PICK, {"q": cast.commune_a.code})
    assert len(_codes(many)) == PICK_LIMIT
    assert len(_codes(one)) >= 1


def test_signed_out_users_get_the_login_page():
    from django.test import Client

    response = Client().get(PICK, {"q": "dak ha"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_unit_code_fields_and_filters_carry_the_picker(cast, login):
    register = next(r for r in all_registers() if r.name == "team")
    form = FilterForm(register=register)
    rendered = str(form["unit"])
    assert 'name="unit"' in rendered
    assert f'hx-get="{PICK}?field=unit"' in rendered
    assert 'aria-controls="id_unit-picks"' in rendered
    assert 'id="id_unit-picks"' in rendered
    # A register's edit form, a user's unit, a casualty summary written by hand.
    client = login(cast.admin)
    assert f'hx-get="{PICK}?field=unit"' in client.get(reverse("grassroots:team_create")).content.decode()
    assert f'hx-get="{PICK}?field=unit"' in client.get(reverse("accounts:user_create")).content.decode()
    assert f'hx-get="{PICK}?field=unit"' in client.get(reverse("honours:casualty_summary")).content.decode()


def test_the_plain_code_input_still_works_without_script(cast, login):
    # What a browser without script sends: the code typed in, as before.
    response = login(cast.admin).get(reverse("grassroots:team_list"), {"unit": cast.commune_a.code})
    assert response.status_code == 200
    assert f'value="{cast.commune_a.code}"' in response.content.decode()
