"""The registers' API through its generated schemas (#15): every register, discovered.

Ninja validates each answer against the register's output schema, so a key typed wrong there (a
count typed as text) answers 500 here; and the answer must still be exactly ``api_row``, the
values the API sent before it had schemas. Bodies are checked by the fields' parsers, not by
pydantic: a value of the wrong type gets the file's Vietnamese message, keyed by the field.
"""

from __future__ import annotations

import pytest
from django.test import Client

from cax.core.records.api import api_row
from cax.core.records.register import Register
from cax.core.records.registry import all_registers
from cax.core.tests.test_roundtrip import SAMPLES

pytestmark = pytest.mark.django_db

NOT_IN_THE_API = {"facilities.standard"}  # the equipment standard is edited on the web only


def _kind(register: Register) -> str:
    return register.kind


def _list_path(register: Register) -> str | None:
    document = Client().get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        if operations.get("get", {}).get("operationId") == f"{register.namespace}_{register.name}_list":
            return path
    return None


@pytest.mark.parametrize("register", all_registers(), ids=_kind)
def test_the_api_answers_each_record_as_api_row(register, cast, client):
    path = _list_path(register)
    if path is None:
        assert register.kind in NOT_IN_THE_API
        return
    actor = SAMPLES[register.kind](cast)
    client.force_login(actor)
    expected = [api_row(register, obj) for obj in register.search(actor, {})]
    assert expected, f"the samples of {register.kind} give the actor no row"
    listed = client.get(path, {"page_size": 500})
    assert listed.status_code == 200, listed.content
    assert listed.json() == {"items": expected, "count": len(expected), "page": 1, "page_size": 500}
    for row in expected:
        # A reason: opening a managed person's file asks one (supervision); the others ignore it.
        detail = client.get(f"{path}/{row['id']}", {"reason": "Kiểm tra API"})
        assert detail.status_code == 200, detail.content
        assert detail.json() == row


def test_register_lists_use_the_one_pagination(cast, client):
    from cax.grassroots.registers import MEMBERS

    actor = SAMPLES["grassroots.member"](cast)
    client.force_login(actor)
    every = [api_row(MEMBERS, obj) for obj in MEMBERS.search(actor, {})]
    assert len(every) == 3
    second = client.get("/api/v1/grassroots/members", {"page": 2, "page_size": 2}).json()
    assert second == {"items": every[2:], "count": 3, "page": 2, "page_size": 2}
    too_many = client.get("/api/v1/grassroots/members", {"page_size": 501})
    assert too_many.status_code == 422
    assert set(too_many.json()["extra"]["fields"]) == {"page_size"}
    # The filters are typed query parameters now, and still filter.
    left = client.get("/api/v1/grassroots/members", {"active": "0", "q": "binh"}).json()
    assert [row["full_name"] for row in left["items"]] == ["Lê Văn Bình"]


def test_a_body_is_checked_by_the_fields_parsers_not_by_its_schema(cast, client):
    client.force_login(cast.province_staff)
    wrong_type = client.post(
        "/api/v1/facilities/headquarters",
        {"unit": cast.commune_a.code, "status": "Đã xây dựng xong", "year": "năm ngoái"},
        content_type="application/json",
    )
    # The schema says integer; the answer is the Excel column's own refusal, not pydantic's.
    assert wrong_type.status_code == 400
    assert wrong_type.json()["extra"]["fields"] == {"year": ["“nămngoái” không phải là số nguyên"]}
    missing = client.post("/api/v1/facilities/headquarters", {"year": 2024}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["extra"]["fields"] == {
        "unit": ["thiếu giá trị bắt buộc"],
        "status": ["thiếu giá trị bắt buộc"],
    }
    numbers_as_text = client.post(
        "/api/v1/facilities/headquarters",
        {"unit": cast.commune_a.code, "status": "built", "year": "2024", "area": "350,5"},
        content_type="application/json",
    )
    assert numbers_as_text.status_code == 201, numbers_as_text.json()
    assert (numbers_as_text.json()["year"], numbers_as_text.json()["area"]) == (2024, "350.5")
