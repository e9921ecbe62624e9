"""The typed API schemas of a register, generated from its field list.

- **Output** (``…Out``): the record as ``api_row`` gives it (``id``, ``unit_code`` and every field
  by key), each key typed from the model field it reads; a computed ``value`` is text unless
  ``Field.api_type`` names another type. Ninja validates every answer against it.
- **Input** (``…In`` for create, ``…Patch`` for update): the Excel column keys, typed in the
  OpenAPI document from the model fields (text, integer, boolean, date, codes as text, lists of
  codes). The values themselves are checked by each field's ``parse``, exactly as the Excel cell
  is, so the API refuses what the file refuses with the same Vietnamese message, keyed by the
  field; pydantic therefore accepts any JSON value for a key (its English refusal, with another
  status, would otherwise come first, and a rule would be written twice).
- **Filters** (``…Filters``): the list's query parameters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

import pydantic
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from ninja import Schema
from pydantic import ConfigDict, WithJsonSchema, model_validator

from cax.core.records.fields import KEY, Field

if TYPE_CHECKING:
    from cax.core.records.register import Register

# A stored date-time is sent as ``isoformat()`` (``json_value``): kept as that text, not re-rendered.
DateTimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


def model_field(model: type[models.Model], key: str) -> models.Field | None:
    """The model field a key reads (``a__b`` through relations), or None if it reads no field."""
    current: Any = model
    field = None
    for part in key.split("__"):
        if current is None:
            return None
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        current = field.related_model if field.is_relation else None
    return field


def _has_code(model) -> bool:
    return any(f.name == "code" for f in model._meta.concrete_fields)


def _stored_type(field: models.Field) -> Any:
    """The Python type ``json_value`` turns a stored value of ``field`` into."""
    if field.many_to_many:
        return list[str] if _has_code(field.related_model) else list[int]
    if field.is_relation:
        return str if _has_code(field.related_model) else int
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField | models.AutoField | models.BigAutoField | models.SmallAutoField):
        return int
    if isinstance(field, models.FloatField):
        return float
    if isinstance(field, models.DateTimeField):
        return DateTimeText
    if isinstance(field, models.DateField):
        return dt.date
    return str  # text, choices (their code), decimals (their digits)


def output_type(model: type[models.Model], f: Field) -> Any:
    """The type of ``f`` in the answer; None is allowed unless the stored value can never be null."""
    if f.key == KEY and f.api_type is None:
        return int
    if f.api_type is not None or f.value is not None:
        return (f.api_type or str) | None
    field = model_field(model, f.key)
    if field is None:
        return str | None
    nullable = field.null or "__" in f.key  # past a link, the row may have none
    return _stored_type(field) | None if nullable else _stored_type(field)


# -- input: what the OpenAPI document says each key takes -------------------------------------------

_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _json_of(tp: Any) -> dict:
    if get_origin(tp) is list:
        return {"type": "array", "items": _json_of(get_args(tp)[0])}
    if tp is dt.date:
        return {"type": "string", "format": "date", "description": "YYYY-MM-DD hoặc dd/mm/yyyy"}
    if tp is dt.datetime:
        return {"type": "string", "format": "date-time"}
    return {"type": _JSON_TYPES.get(tp, "string")}


def _input_json(model: type[models.Model] | None, f: Field) -> dict:
    field = model_field(model, f.key) if model is not None else None
    if f.api_type is not None:
        schema = _json_of(f.api_type)
    elif field is None:
        schema = {"type": "string"}
    elif field.many_to_many:
        schema = {
            "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
            "description": "Các mã: danh sách, hoặc một chuỗi cách nhau bởi dấu chấm phẩy",
        }
    elif field.is_relation:
        schema = {"type": "string", "description": "Mã"}
    elif isinstance(field, models.DecimalField):
        schema = {"type": "number"}
    else:
        stored = _stored_type(field)
        schema = _json_of(dt.datetime if stored is DateTimeText else stored)
        if isinstance(field, models.BooleanField):
            schema["description"] = "true/false, hoặc Có/Không"
        if field.choices:
            codes = ", ".join(f"{code} ({label})" for code, label in field.flatchoices)
            schema["description"] = f"Mã hoặc nhãn: {codes}"
        elif isinstance(field, models.CharField) and field.max_length:
            schema["maxLength"] = field.max_length
    schema = {"title": str(f.label), **schema}
    if f.example:
        schema["examples"] = [_example(f.example, schema)]
    return schema


def _example(text: str, schema: dict) -> Any:
    if schema.get("type") == "integer" and text.lstrip("-").isdigit():
        return int(text)
    return text


def _closed(required: list[str]):
    def extra(schema: dict, cls) -> None:
        # Unknown keys are refused (by ``values_from_body``, naming them), so the document says so.
        schema["additionalProperties"] = False
        if required:
            schema["required"] = required
        for name in schema.get("properties", {}):
            schema["properties"][name].pop("default", None)

    return extra


class BodySchema(Schema):
    """A JSON body, validated as the dict it is: ninja's Schema reads attributes instead (for ORM
    objects), which would drop the keys the body should not have before ``values_from_body`` names them."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler, info) -> Any:
        return handler(values)


def body_schema(name: str, model: type[models.Model] | None, fields: list[Field], *, partial: bool = False):
    """A request body of ``fields`` (their keys, typed from ``model``), checked by their ``parse``.

    The body's dict is ``payload.model_dump(exclude_unset=True)``: the keys sent, unknown ones included."""
    annotations = {f.key: Annotated[Any, WithJsonSchema(_input_json(model, f))] for f in fields}
    required = [] if partial else [f.key for f in fields if f.required]
    namespace = {
        "__annotations__": annotations,
        "__module__": __name__,
        "__doc__": None,
        "model_config": ConfigDict(extra="allow", json_schema_extra=_closed(required)),
        **dict.fromkeys(annotations),
    }
    return type(name, (BodySchema,), namespace)


def output_schema(name: str, register: Register):
    annotations: dict[str, Any] = {"id": int, "unit_code": str | None}
    for f in register.fields:
        if f.key != KEY:
            annotations[f.key] = Annotated[output_type(register.model, f), pydantic.Field(title=str(f.label))]
    return type(name, (Schema,), {"__annotations__": annotations, "__module__": __name__, "__doc__": None})


def _text(description: str, json_format: str = "") -> Any:
    schema = {"type": "string", "description": description}
    if json_format:
        schema["format"] = json_format
    return Annotated[str, WithJsonSchema(schema)]


def filters_schema(name: str, register: Register):
    """The list's query parameters: ``q``, ``unit`` (its subtree), the period of ``date_field``, the filters."""
    annotations: dict[str, Any] = {
        "q": _text("Tìm theo từ, không cần dấu"),
        "unit": _text("Mã đơn vị: cả cây đơn vị dưới nó"),
    }
    if register.date_field:
        annotations["first"] = _text(f"Từ ngày (YYYY-MM-DD), theo `{register.date_field}`", "date")
        annotations["last"] = _text(f"Đến ngày (YYYY-MM-DD), theo `{register.date_field}`", "date")
    for flt in register.filters:
        description = str(flt.label)
        if not callable(flt.choices) and flt.choices:
            description += ": " + ", ".join(f"{code} ({label})" for code, label in flt.choices)
        annotations.setdefault(flt.key, _text(description))
    namespace = {
        "__annotations__": annotations,
        "__module__": __name__,
        "__doc__": None,
        **dict.fromkeys(annotations, ""),
    }
    return type(name, (Schema,), namespace)


@dataclass(frozen=True)
class RegisterSchemas:
    output: type[Schema]
    create: type[Schema]
    update: type[Schema]
    filters: type[Schema]


_SCHEMAS: dict[str, RegisterSchemas] = {}


def schemas_for(register: Register) -> RegisterSchemas:
    """The register's schemas, made once (their names are the OpenAPI components')."""
    if register.kind not in _SCHEMAS:
        stem = "".join(part.capitalize() for part in re.split(r"[._]", register.kind))
        fields = register.importable()
        _SCHEMAS[register.kind] = RegisterSchemas(
            output=output_schema(f"{stem}Out", register),
            create=body_schema(f"{stem}In", register.model, fields),
            update=body_schema(f"{stem}Patch", register.model, fields, partial=True),
            filters=filters_schema(f"{stem}Filters", register),
        )
    return _SCHEMAS[register.kind]
