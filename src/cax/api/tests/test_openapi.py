"""Every operation of /api/v1 documents a typed answer and, when it reads a body, a typed body (#15).

Generic over the OpenAPI document, so an endpoint added later with ``response=dict`` or a
``dict`` body fails here without being listed. The registers' schemas are generated from their
fields: the last tests check a few of them against the fields they come from.
"""

from __future__ import annotations

import pytest
from django.test import Client
from ninja import Body, NinjaAPI, Schema

from cax.core.records.registry import all_registers

pytestmark = pytest.mark.django_db

# Actions whose URL says everything: they read no body at all (and declare none).
WITHOUT_BODY = {
    ("post", "/api/v1/reports/{submission_id}/approve"),
    ("post", "/api/v1/reports/{submission_id}/lock"),
    ("post", "/api/v1/library/documents/{document_id}/acknowledgement"),  # the path says it all
    ("post", "/api/v1/notices/{notice_id}/read"),
}
WRITES = ("post", "put", "patch")


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def typed(schema: dict | None, document: dict) -> bool:
    """An object with named properties, a list of typed items, or a file: not a bare ``dict``."""
    if not schema:
        return False
    schema = _resolve(schema, document)
    if "anyOf" in schema:  # an optional body: the schema or nothing
        parts = [part for part in schema["anyOf"] if part.get("type") != "null"]
        return bool(parts) and all(typed(part, document) for part in parts)
    if schema.get("type") == "array":
        return typed(schema.get("items"), document)
    if schema.get("type") == "string" and schema.get("format") == "binary":
        return True
    return schema.get("type") == "object" and bool(schema.get("properties"))


def _content_schemas(part: dict) -> list[dict | None]:
    return [media.get("schema") for media in part.get("content", {}).values()] or [None]


def untyped_operations(document: dict) -> list[str]:
    problems = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            answers = {code: r for code, r in operation.get("responses", {}).items() if str(code).startswith("2")}
            if not answers:
                problems.append(f"{where}: no 2xx answer")
            for code, answer in answers.items():
                if not all(typed(s, document) for s in _content_schemas(answer)):
                    problems.append(f"{where}: answer {code} untyped")
            if method not in WRITES:
                continue
            body = operation.get("requestBody")
            if (method, path) in WITHOUT_BODY:
                if body is not None:
                    problems.append(f"{where}: declared without a body, has one")
            elif body is None or not all(typed(s, document) for s in _content_schemas(body)):
                problems.append(f"{where}: request body untyped")
    return problems


@pytest.fixture(scope="module")
def document():
    return Client().get("/api/v1/openapi.json").json()


def test_every_operation_has_a_typed_answer_and_every_write_a_typed_body(document):
    assert untyped_operations(document) == []
    # The check ran over the whole API, the six apps of #8 included.
    operation_ids = {op.get("operationId") for ops in document["paths"].values() for op in ops.values()}
    for kind in ("grassroots_team", "facilities_equipment", "petitions_petition", "honours_campaign"):
        assert {f"{kind}_list", f"{kind}_get", f"{kind}_create", f"{kind}_update"} <= operation_ids
    assert {"training_participant_create", "pairing_pairing_update"} <= operation_ids


class Ok(Schema):
    name: str


def test_the_check_refuses_untyped_answers_and_bodies():
    api = NinjaAPI(urls_namespace="planted")

    @api.get("/untyped", response=dict)
    def untyped_answer(request):
        return {}

    @api.post("/typed", response=Ok)
    def untyped_body(request, payload: dict = Body(...)):  # noqa: B008
        return payload

    @api.post("/fine", response=Ok)
    def fine(request, payload: Ok):
        return payload

    document = api.get_openapi_schema(path_prefix="")
    assert sorted(untyped_operations(document)) == [
        "GET /untyped: answer 200 untyped",
        "POST /typed: request body untyped",
    ]


def _registers_in(document) -> list:
    operation_ids = {op.get("operationId") for ops in document["paths"].values() for op in ops.values()}
    return [r for r in all_registers() if f"{r.namespace}_{r.name}_create" in operation_ids]


def _schema_of(document, register, method: str, suffix: str) -> dict:
    for operations in document["paths"].values():
        operation = operations.get(method)
        if operation and operation.get("operationId") == f"{register.namespace}_{register.name}_{suffix}":
            if method == "get":
                return _resolve(operation["responses"]["200"]["content"]["application/json"]["schema"], document)
            return _resolve(operation["requestBody"]["content"]["application/json"]["schema"], document)
    raise AssertionError(f"{register.kind} has no {suffix} operation")


def test_register_bodies_have_the_excel_keys_and_their_required_ones(document):
    registers = _registers_in(document)
    # The six apps of #8 (every register but the equipment standard), the desk's two, supervision's
    # files; issue 19: regimes' rates and area classifications, the library's documents, the
    # movement's seven.
    assert len(registers) == 27
    for register in registers:
        created = _schema_of(document, register, "post", "create")
        keys = [f.key for f in register.importable()]
        assert list(created["properties"]) == keys, register.kind
        assert created["required"] == [f.key for f in register.importable() if f.required], register.kind
        assert created["additionalProperties"] is False
        patched = _schema_of(document, register, "patch", "update")
        assert list(patched["properties"]) == keys, register.kind
        assert "required" not in patched, register.kind
        shown = _schema_of(document, register, "get", "get")
        assert list(shown["properties"]) == ["id", "unit_code", *(f.key for f in register.fields if f.key != "id")]


def _property(document, name: str, key: str) -> dict:
    return document["components"]["schemas"][name]["properties"][key]


def _types(schema: dict) -> set[str]:
    return {part.get("type") for part in schema.get("anyOf", [schema])}


def test_types_come_from_the_model_fields(document):
    # Bodies: a date, a choice (code or label), an integer, a boolean, a list of codes, a code.
    assert _property(document, "HonoursCasualtyIn", "date")["format"] == "date"
    assert _property(document, "HonoursCasualtyIn", "kind")["type"] == "string"
    assert "injured (Bị thương)" in _property(document, "HonoursCasualtyIn", "kind")["description"]
    assert _property(document, "GrassrootsTeamIn", "planned_members")["type"] == "integer"
    assert _property(document, "TrainingParticipantIn", "completed")["type"] == "boolean"
    assert _types(_property(document, "HonoursCampaignIn", "participants")) == {"array", "string"}
    assert _property(document, "PairingPairingIn", "commune")["type"] == "string"
    assert _property(document, "PetitionsPetitionIn", "conference")["type"] == "integer"
    assert _property(document, "FacilitiesHeadquartersIn", "area")["type"] == "number"
    # Answers: what api_row sends for each key.
    assert _property(document, "GrassrootsTeamOut", "id")["type"] == "integer"
    assert _types(_property(document, "GrassrootsTeamOut", "is_complete")) == {"boolean", "null"}
    assert _types(_property(document, "HonoursCampaignOut", "participant_count")) == {"integer", "null"}
    assert _types(_property(document, "HonoursCampaignOut", "participants")) == {"string", "null"}
    assert _property(document, "HonoursCasualtyOut", "date") == {
        "format": "date",
        "title": "Ngày xảy ra",
        "type": "string",
    }
    assert _types(_property(document, "GrassrootsAllowanceOut", "month")) == {"string", "null"}
    assert _property(document, "PetitionsPetitionOut", "reminders")["type"] == "integer"


def _schema_classes(base) -> list[type]:
    found = []
    for cls in base.__subclasses__():
        found.append(cls)
        found.extend(_schema_classes(cls))
    return found


def test_schema_names_are_unique(document):
    # Two schemas of one name are one component in the document: the second silently replaces the first.
    by_name: dict[str, set[str]] = {}
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("cax.") and ".tests." not in cls.__module__:
            by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}
