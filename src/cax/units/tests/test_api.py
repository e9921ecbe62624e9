"""The unit API: authentication, the one error shape, pagination, filters, OpenAPI and docs, query count."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from cax.accounts.services import token_create, token_revoke
from cax.units.models import Unit

UNITS = "/api/v1/units"


@pytest.fixture
def bearer(cast):
    """Authorization headers for a fresh token of ``user`` (the province leader by default)."""

    def _bearer(user=None, **token_kwargs) -> dict[str, str]:
        _token, raw = token_create(actor=None, user=user or cast.province_leader, name="api test", **token_kwargs)
        return {"Authorization": f"Bearer {raw}"}

    return _bearer


def assert_error_shape(body: dict) -> dict:
    """``{"message": str, "extra": {"fields": {...}}}`` and nothing else; returns the fields."""
    assert set(body) == {"message", "extra"}, body
    assert isinstance(body["message"], str)
    assert body["message"].strip()
    assert set(body["extra"]) == {"fields"}, body
    assert isinstance(body["extra"]["fields"], dict)
    return body["extra"]["fields"]


def codes_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# -- authentication --------------------------------------------------------------------------------


def _revoked(cast) -> str:
    token, raw = token_create(actor=None, user=cast.province_leader, name="revoked")
    token_revoke(actor=None, token=token)
    return f"Bearer {raw}"


def _expired(cast) -> str:
    _token, raw = token_create(
        actor=None, user=cast.province_leader, name="expired", expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    return f"Bearer {raw}"


BAD_AUTHORIZATIONS = {
    "none": lambda cast: None,
    "empty bearer": lambda cast: "Bearer ",
    "garbage": lambda cast: "Bearer not-a-token",
    "garbage with prefix": lambda cast: "Bearer cax_" + "x" * 43,
    "basic scheme": lambda cast: "Basic YWRtaW46YWRtaW4=",
    "revoked": _revoked,
    "expired": _expired,
}


@pytest.mark.parametrize("path", [UNITS, f"{UNITS}/51", f"{UNITS}/51/children", f"{UNITS}/51/subtree"])
@pytest.mark.parametrize("kind", list(BAD_AUTHORIZATIONS))
def test_api_refuses_missing_or_bad_credentials_with_401_in_the_error_shape(cast, kind, path):
    authorization = BAD_AUTHORIZATIONS[kind](cast)
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = Client().get(path, headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert assert_error_shape(response.json()) == {}
    assert "Quảng Ngãi" not in response.content.decode()


def test_valid_token_is_accepted_and_an_unexpired_one_too(cast, bearer):
    assert Client().get(UNITS, headers=bearer()).status_code == 200
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert Client().get(UNITS, headers=bearer(expires_at=tomorrow)).status_code == 200


def test_token_is_case_sensitive(cast, bearer):
    headers = bearer()
    prefix, raw = headers["Authorization"].split(" ", 1)
    swapped = raw[:4] + raw[4:].swapcase()
    assert swapped != raw
    assert Client().get(UNITS, headers={"Authorization": f"{prefix} {swapped}"}).status_code == 401


def test_browser_session_works_for_the_api(cast, login):
    client = login(cast.commune_officer)
    assert codes_of(client.get(UNITS)) == [cast.commune_a.code]


def test_session_of_a_deactivated_user_is_refused(cast, login):
    client = login(cast.commune_officer)
    type(cast.commune_officer).objects.filter(pk=cast.commune_officer.pk).update(is_active=False)
    response = client.get(UNITS)
    assert response.status_code == 401
    assert_error_shape(response.json())


def test_unknown_or_outside_unit_is_404_in_the_error_shape(cast, bearer):
    for code in ("KHONG-CO", cast.commune_c.code):
        response = Client().get(f"{UNITS}/{code}", headers=bearer())
        assert response.status_code == 404
        assert assert_error_shape(response.json()) == {}


def test_api_refuses_writes_it_does_not_offer(cast, bearer):
    response = Client().post(UNITS, {}, content_type="application/json", headers=bearer())
    assert response.status_code == 405


# -- pagination ------------------------------------------------------------------------------------


def test_list_is_paginated_as_items_count_page_page_size(cast, bearer):
    response = Client().get(UNITS, headers=bearer())
    body = response.json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert body["page"] == 1
    assert body["page_size"] == 50  # settings.CAX_PAGE_SIZE
    expected = Unit.objects.current().filter(path__startswith=cast.province_a.path).count()
    assert body["count"] == expected
    assert expected > 50
    assert len(body["items"]) == 50


def test_pages_follow_each_other_without_overlap_or_gap(cast, bearer):
    headers = bearer()
    client = Client()
    everything = codes_of(client.get(UNITS, {"page_size": 500}, headers=headers))
    first = codes_of(client.get(UNITS, {"page_size": 20, "page": 1}, headers=headers))
    second = codes_of(client.get(UNITS, {"page_size": 20, "page": 2}, headers=headers))
    assert first + second == everything[:40]
    assert first[0] == cast.province_a.code  # ordered by level, then name


def test_a_page_past_the_end_is_refused_with_the_last_page(cast, bearer):
    """Issue 16.4: a page past the last is a 422 that names the last page, not an empty list."""
    answer = Client().get(UNITS, {"page": 999}, headers=bearer())
    assert answer.status_code == 422
    assert answer.json()["extra"]["fields"]["page"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 1000}, "page_size"),
        ({"page_size": 501}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "abc"}, "page"),
        ({"level": "abc"}, "level"),
        ({"is_border": "maybe"}, "is_border"),
    ],
)
def test_out_of_bounds_or_malformed_parameters_are_422_in_the_error_shape(cast, bearer, params, field):
    response = Client().get(UNITS, params, headers=bearer())
    assert response.status_code == 422
    fields = assert_error_shape(response.json())
    assert field in fields, fields
    assert all(isinstance(m, str) and m for m in fields[field])


def test_page_size_500_is_allowed(cast, bearer):
    body = Client().get(UNITS, {"page_size": 500}, headers=bearer()).json()
    assert body["page_size"] == 500
    assert len(body["items"]) == body["count"]


# -- filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["dak ha", "ĐĂK HÀ", "Đăk Hà", "  dak   ha "])
def test_q_ignores_case_and_diacritics(cast, bearer, q):
    response = Client().get(UNITS, {"q": q}, headers=bearer())
    items = response.json()["items"]
    assert [(i["code"], i["name"]) for i in items] == [("23500", "Xã Đăk Hà")]


def test_q_finds_by_code_and_needs_every_word(cast, bearer):
    headers = bearer()
    assert "23500" in codes_of(Client().get(UNITS, {"q": "23500"}, headers=headers))
    assert codes_of(Client().get(UNITS, {"q": "dak ha kon tum"}, headers=headers)) == []


def test_type_filter_keeps_only_that_type(cast, bearer):
    headers = bearer()
    items = Client().get(UNITS, {"type": "xa", "page_size": 500}, headers=headers).json()["items"]
    assert items
    assert {i["type"] for i in items} == {"xa"}
    assert "23500" in {i["code"] for i in items}  # Xã Đăk Hà
    assert "23293" not in {i["code"] for i in items}  # Phường Kon Tum
    assert codes_of(Client().get(UNITS, {"type": "khong-co"}, headers=headers)) == []


def test_level_filter(cast, bearer):
    items = Client().get(UNITS, {"level": 1}, headers=bearer(cast.admin)).json()
    assert items["count"] == 34  # provinces
    assert {i["parent_code"] for i in items["items"]} == {"BCA"}


@pytest.mark.parametrize("flag", ["is_border", "is_ethnic_minority", "is_remote", "is_key_security"])
def test_flag_filters_keep_only_flagged_units(cast, bearer, flag):
    Unit.objects.filter(pk=cast.commune_a.pk).update(**{flag: True})
    Unit.objects.filter(pk=cast.commune_c.pk).update(**{flag: True})  # flagged, but outside the leader's scope
    headers = bearer()
    items = Client().get(UNITS, {flag: "true"}, headers=headers).json()["items"]
    assert [i["code"] for i in items] == [cast.commune_a.code]
    assert items[0][flag] is True
    assert Client().get(UNITS, {flag: "false"}, headers=headers).json()["count"] > 1  # false means "any"


def test_closed_units_are_listed_only_when_asked(cast, bearer):
    Unit.objects.filter(pk=cast.commune_b.pk).update(valid_to=dt.date(2025, 12, 31))
    headers = bearer()
    assert codes_of(Client().get(UNITS, {"q": "kon tum phuong"}, headers=headers)) == []
    items = Client().get(UNITS, {"q": "kon tum phuong", "include_closed": "true"}, headers=headers).json()["items"]
    assert [(i["code"], i["valid_to"]) for i in items] == [(cast.commune_b.code, "2025-12-31")]


def test_detail_carries_counts_type_and_parent(cast, bearer):
    body = Client().get(f"{UNITS}/{cast.province_a.code}", headers=bearer()).json()
    communes = Unit.objects.current().commune_level().filter(parent=cast.province_a).count()
    assert body["code"] == "51"
    assert body["type"] == "province"
    assert body["parent_code"] == "BCA"
    assert body["child_count"] == communes
    assert body["commune_count"] == communes


# -- OpenAPI and docs ------------------------------------------------------------------------------


def test_openapi_schema_is_served_and_lists_the_unit_paths():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/units/{code}/children",
        "/api/v1/units/{code}/subtree",
    ):
        assert path in paths, sorted(paths)
    assert set(paths["/api/v1/units"]) == {"get"}


def test_docs_use_only_local_static_assets():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html, flags=re.IGNORECASE)
    urls = [m.group(2) for tag in tags for m in re.finditer(r"\b(src|href)\s*=\s*[\"']([^\"']+)", tag)]
    assert any(url.endswith(".js") for url in urls)
    assert any(url.endswith(".css") for url in urls)
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file of the project"
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)[^\"'\s>]+\.(?:js|css)", html)


# -- query count -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 500])
def test_list_query_count_does_not_depend_on_page_size_with_a_session(
    cast, login, django_assert_num_queries, page_size
):
    client = login(cast.admin)
    # session, user (with unit), page, the tree's counts (one query, or the revision's), count
    with django_assert_num_queries(5):
        response = client.get(UNITS, {"page_size": page_size})
    body = response.json()
    assert len(body["items"]) == page_size


@pytest.mark.parametrize("page_size", [1, 500])
def test_list_query_count_does_not_depend_on_page_size_with_a_token(cast, bearer, django_assert_num_queries, page_size):
    headers = bearer(cast.admin)
    client = Client()
    client.get(UNITS, {"page_size": 1}, headers=headers)  # first use stamps last_used_at
    # token (with user and unit), page, the tree's counts (one query, or the revision's), count
    with django_assert_num_queries(4):
        response = client.get(UNITS, {"page_size": page_size}, headers=headers)
    body = response.json()
    assert len(body["items"]) == page_size
