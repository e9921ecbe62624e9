"""The scope matrix (#3): every role × a unit inside and outside its scope × every way to read a unit.

The expectations are data (``MATRIX``), not code: one row per (role, unit, visible?). Each row is
checked through the HTML list, the HTML detail page, the API detail and the API list, the API
calls authenticated with a personal Bearer token only (no session), so token and session scoping
are both covered.

Scopes in the cast: root-unit users (administrator, ministry leader, auditor) see the whole
Bộ Công an tree but not a second top-level unit made here (``elsewhere``); province users (51,
Quảng Ngãi) see its communes but not Hà Nội's or the ministry above them; commune users (23500)
see their own commune only, not the neighbour or their own province.
"""

import pytest
from django.test import Client
from django.urls import reverse

from cax.accounts.roles import Role
from cax.accounts.services import token_create
from cax.units.models import Unit, UnitType
from cax.units.services import unit_create

ELSEWHERE_CODE = "BQP"

ROOT_ROLES = (Role.ADMINISTRATOR, Role.MINISTRY_LEADER, Role.AUDITOR)
PROVINCE_ROLES = (Role.PROVINCE_LEADER, Role.PROVINCE_STAFF, Role.DEPARTMENT_STAFF)
COMMUNE_ROLES = (Role.COMMUNE_CHIEF, Role.COMMUNE_OFFICER)

# (role, unit named on the cast or "elsewhere", visible?)
MATRIX = [
    *[
        row
        for role in ROOT_ROLES
        for row in (
            (role, "commune_c", True),
            (role, "commune_a", True),
            (role, "elsewhere", False),
        )
    ],
    *[
        row
        for role in PROVINCE_ROLES
        for row in (
            (role, "province_a", True),
            (role, "commune_a", True),
            (role, "commune_b", True),
            (role, "commune_c", False),
            (role, "province_b", False),
            (role, "root", False),
            (role, "elsewhere", False),
        )
    ],
    *[
        row
        for role in COMMUNE_ROLES
        for row in (
            (role, "commune_a", True),
            (role, "commune_b", False),
            (role, "province_a", False),
            (role, "commune_c", False),
            (role, "elsewhere", False),
        )
    ],
]


def test_the_matrix_covers_every_role_inside_and_outside_its_scope():
    for role in Role.values:
        outcomes = {visible for r, _unit, visible in MATRIX if r == role}
        assert outcomes == {True, False}, role


@pytest.fixture
def elsewhere(db) -> Unit:
    """A second top-level unit, outside even the ministry's tree."""
    return unit_create(
        actor=None, code=ELSEWHERE_CODE, name="Bộ Quốc phòng", unit_type=UnitType.objects.get(code="ministry")
    )


def _unit(cast, elsewhere, name: str) -> Unit:
    return elsewhere if name == "elsewhere" else getattr(cast, name)


def _bearer(user) -> dict[str, str]:
    _token, raw = token_create(actor=None, user=user, name="scope matrix")
    return {"Authorization": f"Bearer {raw}"}


def sees_in_html_list(user, unit) -> bool:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("units:list"), {"q": unit.code, "page_size": 500})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count <= 500  # everything matching is on this one page
    return unit.code in [u.code for u in page.object_list]


def sees_html_detail(user, unit) -> bool:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("units:detail", args=[unit.pk]))
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response.context["unit"].pk == unit.pk
    else:
        assert unit.name not in response.content.decode()
    return response.status_code == 200


def sees_api_detail(user, unit) -> bool:
    response = Client().get(f"/api/v1/units/{unit.code}", headers=_bearer(user))
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response.json()["code"] == unit.code
    else:
        assert unit.name not in response.content.decode()
    return response.status_code == 200


def sees_in_api_list(user, unit) -> bool:
    response = Client().get("/api/v1/units", {"q": unit.code, "page_size": 500}, headers=_bearer(user))
    assert response.status_code == 200
    body = response.json()
    codes = [item["code"] for item in body["items"]]
    assert body["count"] == len(codes)  # everything matching is on this one page
    if len(unit.code) >= 3:  # count 1 or 0: a commune's or ministry's code finds that unit alone
        assert codes in ([], [unit.code]), codes
    else:  # a province code such as "01" also matches the longer codes containing it
        assert codes.count(unit.code) <= 1
    return unit.code in codes


CHANNELS = {
    "html_list": sees_in_html_list,
    "html_detail": sees_html_detail,
    "api_detail": sees_api_detail,
    "api_list": sees_in_api_list,
}


@pytest.mark.parametrize(("role", "unit_name", "visible"), MATRIX)
def test_scope_matrix(cast, elsewhere, role, unit_name, visible):
    """One row, every channel; a failure shows which channels disagree, e.g. {'api_list': True, ...}."""
    user = cast.by_role(role)
    assert user.role == role
    unit = _unit(cast, elsewhere, unit_name)
    seen = {channel: sees(user, unit) for channel, sees in CHANNELS.items()}
    assert seen == dict.fromkeys(CHANNELS, visible)


# -- the acceptance check: a token sees exactly what its owner's session sees ---------------


def _all_codes(client: Client, headers: dict | None = None) -> list[str]:
    codes: list[str] = []
    page = 1
    while True:
        response = client.get("/api/v1/units", {"page_size": 500, "page": page}, headers=headers or {})
        assert response.status_code == 200
        body = response.json()
        codes += [item["code"] for item in body["items"]]
        if len(codes) >= body["count"] or not body["items"]:
            assert len(codes) == body["count"]
            return codes
        page += 1


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.COMMUNE_CHIEF, Role.PROVINCE_LEADER, Role.AUDITOR])
def test_api_token_sees_exactly_what_the_owners_session_sees(cast, elsewhere, role):
    user = cast.by_role(role)
    session = Client()
    session.force_login(user)

    with_session = _all_codes(session)
    with_token = _all_codes(Client(), _bearer(user))

    assert with_token == with_session  # same units, same order
    expected = set(Unit.objects.current().filter(path__startswith=user.unit.path).values_list("code", flat=True))
    assert set(with_token) == expected
    assert ELSEWHERE_CODE not in with_token


def test_commune_officer_token_lists_only_their_commune(cast):
    response = Client().get("/api/v1/units", {"page_size": 500}, headers=_bearer(cast.commune_officer))
    assert [item["code"] for item in response.json()["items"]] == [cast.commune_a.code]


# -- children and subtree ----------------------------------------------------------------------------

# (role, unit whose children / subtree is asked for, visible?)
TREE_MATRIX = [
    (Role.ADMINISTRATOR, "root", True),
    (Role.ADMINISTRATOR, "elsewhere", False),
    (Role.MINISTRY_LEADER, "elsewhere", False),
    (Role.AUDITOR, "province_b", True),
    (Role.PROVINCE_LEADER, "province_a", True),
    (Role.PROVINCE_LEADER, "province_b", False),
    (Role.PROVINCE_STAFF, "root", False),
    (Role.DEPARTMENT_STAFF, "commune_c", False),
    (Role.COMMUNE_OFFICER, "commune_a", True),
    (Role.COMMUNE_OFFICER, "province_a", False),
    (Role.COMMUNE_CHIEF, "commune_b", False),
]


def _walk(client: Client, url: str, headers: dict) -> tuple[int, list[dict]]:
    items: list[dict] = []
    page = 1
    while True:
        response = client.get(url, {"page_size": 500, "page": page}, headers=headers)
        if response.status_code != 200:
            return response.status_code, items
        body = response.json()
        items += body["items"]
        if len(items) >= body["count"] or not body["items"]:
            return 200, items
        page += 1


@pytest.mark.parametrize(("role", "unit_name", "visible"), TREE_MATRIX)
def test_children_of_a_unit_are_404_outside_scope_and_all_visible_inside(cast, elsewhere, role, unit_name, visible):
    user = cast.by_role(role)
    unit = _unit(cast, elsewhere, unit_name)
    status, items = _walk(Client(), f"/api/v1/units/{unit.code}/children", _bearer(user))
    if not visible:
        assert status == 404
        return
    assert status == 200
    expected = set(Unit.objects.current().filter(parent=unit).values_list("code", flat=True))
    assert {item["code"] for item in items} == expected
    assert all(item["parent_code"] == unit.code for item in items)


@pytest.mark.parametrize(("role", "unit_name", "visible"), TREE_MATRIX)
def test_subtree_of_a_unit_is_404_outside_scope_and_within_scope_inside(cast, elsewhere, role, unit_name, visible):
    user = cast.by_role(role)
    unit = _unit(cast, elsewhere, unit_name)
    status, items = _walk(Client(), f"/api/v1/units/{unit.code}/subtree", _bearer(user))
    if not visible:
        assert status == 404
        return
    assert status == 200
    codes = {item["code"] for item in items}
    expected = set(Unit.objects.current().filter(path__startswith=unit.path).values_list("code", flat=True))
    assert codes == expected
    assert unit.code in codes
    assert ELSEWHERE_CODE not in codes


def test_commune_officer_subtree_of_own_commune_is_just_that_commune(cast):
    status, items = _walk(Client(), f"/api/v1/units/{cast.commune_a.code}/subtree", _bearer(cast.commune_officer))
    assert status == 200
    assert [item["code"] for item in items] == [cast.commune_a.code]


def test_province_leader_children_of_province_exclude_other_provinces(cast):
    status, items = _walk(Client(), f"/api/v1/units/{cast.province_a.code}/children", _bearer(cast.province_leader))
    codes = {item["code"] for item in items}
    assert status == 200
    assert {cast.commune_a.code, cast.commune_b.code} <= codes
    assert cast.commune_c.code not in codes
