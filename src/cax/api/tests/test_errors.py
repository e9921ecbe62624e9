"""The API's error answers (#16.4): the known causes of 500 are 422 now, and every error under /api/
is the documented JSON shape, whoever answered it."""

from __future__ import annotations

import pytest
from django.test import Client

from cax.accounts.services import token_create

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    "/api/v1/training/participants?completed=has_predecessors",
    "/api/v1/postings?page=2800270671408688128",
    "/api/v1/officers?page=1000001",
    "/api/v1/cases?due_within_days=99999999999",
    "/api/v1/cases?due_within_days=-1",
    "/api/v1/units/51/staffing?as_of=0001-01-01",
    "/api/v1/units/51/staffing?as_of=9999-12-31",
    "/api/v1/cases?as_of=9999-12-31",
    "/api/v1/units?page=99999",
]


@pytest.fixture
def api(cast):
    _, raw = token_create(actor=None, user=cast.admin, name="errors")
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")


def _is_error_shape(response) -> bool:
    body = response.json()
    return isinstance(body["message"], str) and body["message"] and isinstance(body["extra"]["fields"], dict)


@pytest.mark.parametrize("url", OUT_OF_RANGE)
def test_out_of_range_input_is_422_in_the_error_shape(api, url):
    response = api.get(url)
    assert response.status_code == 422
    assert _is_error_shape(response)


@pytest.mark.parametrize("url", ["/api/v1/cases/99999999999999999999999", "/api/v1/reports/99999999999999999999999"])
def test_a_path_id_past_the_database_integers_is_an_error_not_a_500(api, url):
    response = api.get(url)
    assert response.status_code in (404, 422)
    assert _is_error_shape(response)


def test_a_page_past_the_last_names_the_last_page(api):
    response = api.get("/api/v1/units?page=99999&page_size=500")
    assert response.status_code == 422
    assert "trang cuối là" in response.json()["message"]


def test_an_empty_to_status_is_422(api, cast):
    response = api.post("/api/v1/cases/1/steps", {"to_status": "", "version": 1}, content_type="application/json")
    assert response.status_code in (404, 422)
    assert _is_error_shape(response)


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/reports/-5", 404),
        ("get", "/api/v1/no-such-thing", 404),
        ("delete", "/api/v1/units", 405),
    ],
)
def test_djangos_own_errors_are_json_under_the_api(api, method, url, status):
    response = getattr(api, method)(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert _is_error_shape(response)


def test_401_says_bearer_and_is_json(db):
    response = Client().get("/api/v1/units")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _is_error_shape(response)


@pytest.mark.parametrize("url", ["/api/v1/units?q=a%00b", "/api/v1/units/5%001", "/api/v1/units?q=%ff%fe"])
def test_nul_or_non_utf8_is_400(api, url):
    response = api.get(url)
    assert response.status_code == 400
    assert _is_error_shape(response)


def test_nul_in_a_json_body_is_400(api):
    response = api.post("/api/v1/cases", '{"summary": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400


def test_nul_on_a_page_is_400_with_the_sites_page(login, cast):
    client = login(cast.admin)
    response = client.get("/units/?q=a%00b")
    assert response.status_code == 400
    assert b"<html" in response.content


def test_every_operation_documents_its_errors():
    document = Client().get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "404", "422"):
                assert code in operation["responses"], (method, path, code)
            if method in ("post", "put", "patch"):
                assert "413" in operation["responses"], (method, path)
