"""A register's REST endpoints: list, detail, create, update, with schemas made from its fields."""
# No "from __future__ import annotations": django-ninja reads the generated schemas off the signatures.

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from cax.core.exceptions import DomainError
from cax.core.imports import CellError, RowError
from cax.core.pagination import PagePagination
from cax.core.records.access import require_change, require_view
from cax.core.records.register import Register
from cax.core.records.schemas import schemas_for


def values_from_body(register: Register, body: dict, *, actor, partial: bool = False) -> dict:
    """An API body (the Excel column keys) → service data; errors name the keys."""
    columns = {f.key: f for f in register.importable()}
    unknown = sorted(set(body) - set(columns))
    if unknown:
        raise DomainError(
            _("Trường không hợp lệ: {keys}.").format(keys=", ".join(unknown)),
            fields={k: [_("không có trường này")] for k in unknown},
        )
    parsed: dict[str, Any] = {}
    fields: dict[str, list[str]] = {}
    for key, f in columns.items():
        if key not in body:
            if f.required and not partial:
                fields[key] = [_("thiếu giá trị bắt buộc")]
            continue
        raw = body[key]
        if raw in (None, ""):
            if f.required:
                fields[key] = [_("thiếu giá trị bắt buộc")]
            parsed[key] = None
            continue
        try:
            parsed[key] = f.parse(raw)
        except CellError as exc:
            fields[key] = [str(exc)]
    if fields:
        raise DomainError(_("Dữ liệu gửi lên không hợp lệ."), fields=fields)
    errors: list[RowError] = []
    rows = register.rows_to_data(actor, [(1, parsed)], errors)
    if errors:
        by_label = {str(f.label): f.key for f in register.fields}
        raise DomainError(errors[0].message, fields={by_label.get(e.column, e.column): [e.message] for e in errors})
    return rows[0][1]


def json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Manager | models.QuerySet):
        return [json_value(v) for v in value.all()]
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str | dict):
        return value
    return str(value)


def api_row(register: Register, obj) -> dict:
    """One record as the API returns it: id, the unit's code, every field by key (raw values)."""
    row = {"id": obj.pk, "unit_code": obj.scope_unit.code if obj.scope_unit else None}
    for f in register.fields:
        row[f.key] = json_value(f.raw(obj))
    return row


class _Rows:
    """A register's search as the API lists it: the one pagination (``PagePagination``) slices it and
    counts it; each record of the page becomes its ``api_row``."""

    def __init__(self, register: Register, records: models.QuerySet):
        self.register, self.records = register, records

    def __getitem__(self, window: slice) -> list[dict]:
        return [api_row(self.register, obj) for obj in self.records[window]]

    def count(self) -> int:
        return self.records.count()


def add_api_routes(router, register: Register, slug: str, tag: str) -> None:
    """GET /slug (q, unit, the list's filters, page, page_size), GET /slug/{id}, POST /slug,
    PATCH /slug/{id}.

    Bodies use the keys of the Excel template's columns and accept the same values (unit codes,
    choice codes or labels, dd/mm/yyyy or ISO dates)."""
    for add in (_list_route, _get_route, _create_route, _update_route):
        add(router, register, slug, tag)


def _operation_id(register: Register, action: str) -> str:
    return f"{register.namespace}_{register.name}_{action}"


def _doc_keys(register: Register) -> str:
    return "Trường: " + ", ".join(f"`{f.key}` ({f.label})" for f in register.importable()) + "."


def _list_route(router, register: Register, slug: str, tag: str) -> None:
    schemas = schemas_for(register)

    @router.get(
        f"/{slug}",
        tags=[tag],
        response=list[schemas.output],
        operation_id=_operation_id(register, "list"),
        summary=str(register.label_plural),
        description="Lọc: `q`, `unit` (mã đơn vị: cả cây đơn vị dưới nó)"
        + (f", `first`, `last` (YYYY-MM-DD, theo `{register.date_field}`)" if register.date_field else "")
        + "".join(f", `{flt.key}`" for flt in register.filters)
        + "; `page`, `page_size`. Trả về `{items, count, page, page_size}`.",
    )
    @paginate(PagePagination)
    def list_records(request, filters: Query[schemas.filters]):
        require_view(request.auth, register)
        return _Rows(register, register.search(request.auth, filters.model_dump()))


def _get_route(router, register: Register, slug: str, tag: str) -> None:
    schemas = schemas_for(register)

    @router.get(
        f"/{slug}/{{record_id}}", tags=[tag], response=schemas.output, operation_id=_operation_id(register, "get")
    )
    def get_record(request, record_id: int):
        require_view(request.auth, register)
        return api_row(register, register.get(request.auth, record_id))


def _create_route(router, register: Register, slug: str, tag: str) -> None:
    schemas = schemas_for(register)

    @router.post(
        f"/{slug}",
        tags=[tag],
        response={201: schemas.output},
        operation_id=_operation_id(register, "create"),
        description=_doc_keys(register),
    )
    def create_record(request, payload: schemas.create):
        require_change(request.auth, register)
        data = values_from_body(register, payload.model_dump(exclude_unset=True), actor=request.auth)
        with transaction.atomic():
            obj = register.save(actor=request.auth, instance=None, data=data)
        return Status(201, api_row(register, register.get(request.auth, obj.pk)))


def _update_route(router, register: Register, slug: str, tag: str) -> None:
    schemas = schemas_for(register)

    @router.patch(
        f"/{slug}/{{record_id}}",
        tags=[tag],
        response=schemas.output,
        operation_id=_operation_id(register, "update"),
        description=_doc_keys(register),
    )
    def update_record(request, record_id: int, payload: schemas.update):
        require_change(request.auth, register)
        instance = register.get(request.auth, record_id)
        body = payload.model_dump(exclude_unset=True)
        data = values_from_body(register, body, actor=request.auth, partial=True)
        with transaction.atomic():
            obj = register.save(actor=request.auth, instance=instance, data=data)
        return api_row(register, register.get(request.auth, obj.pk))
