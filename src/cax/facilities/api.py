"""API endpoints of the facilities app (#8), mounted at /api/v1/facilities."""
# No "from __future__ import annotations": django-ninja reads the schemas off the signatures.

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from cax.core.exceptions import DomainError
from cax.core.imports import CellError, parse_choice, parse_date, parse_int, parse_text
from cax.core.records.api import add_api_routes, json_value
from cax.core.records.fields import Field
from cax.core.records.schemas import body_schema
from cax.facilities import policy, services
from cax.facilities.models import EquipmentEvent, EventKind
from cax.facilities.registers import EQUIPMENT, HEADQUARTERS
from cax.units.fields import units_by_code
from cax.units.kinds import is_commune_level

TAG = "Trụ sở, trang thiết bị"
router = Router()
add_api_routes(router, HEADQUARTERS, "headquarters", TAG)
add_api_routes(router, EQUIPMENT, "equipment", TAG)


def _event_field(key: str, parse, *, required: bool = False) -> Field:
    return Field(key, EquipmentEvent._meta.get_field(key).verbose_name, parse=parse, required=required)


EVENT_FIELDS = [
    _event_field("kind", parse_choice(EventKind.choices), required=True),
    _event_field("date", parse_date, required=True),
    _event_field("quantity", parse_int(min_value=None)),
    _event_field("to_unit", parse_text(32)),
    _event_field("document", parse_text(200)),
    _event_field("note", parse_text(500)),
]
EventIn = body_schema("FacilitiesEquipmentEventIn", EquipmentEvent, EVENT_FIELDS)


class EquipmentEventOut(Schema):
    id: int
    equipment: int
    kind: str
    date: dt.date
    quantity: int
    to_unit: str | None
    document: str
    note: str


class EventListOut(Schema):
    items: list[EquipmentEventOut]
    count: int


def event_row(event) -> dict:
    return {
        "id": event.pk,
        "equipment": event.equipment_id,
        "kind": event.kind,
        "date": json_value(event.date),
        "quantity": event.quantity,
        "to_unit": event.to_unit.code if event.to_unit_id else None,
        "document": event.document,
        "note": event.note,
    }


@router.get(
    "/equipment/{record_id}/events", tags=[TAG], response=EventListOut, operation_id="facilities_equipment_events"
)
def list_events(request, record_id: int):
    equipment = EQUIPMENT.get(request.auth, record_id)
    events = equipment.events.select_related("to_unit").order_by("-date", "-pk")
    return {"items": [event_row(e) for e in events], "count": len(events)}


@router.post(
    "/equipment/{record_id}/events",
    tags=[TAG],
    response={201: EquipmentEventOut},
    operation_id="facilities_equipment_event_create",
    description="Ghi một sự kiện và cập nhật trạng thái trang bị. Trường: `kind` (assigned, sent_for_repair, "
    "repaired, lost, written_off, transferred — hoặc nhãn tiếng Việt), `date` (dd/mm/yyyy hoặc ISO), "
    "`quantity` (để trống: cả dòng), `to_unit` (mã đơn vị nhận, khi điều chuyển), `document`, `note`.",
)
def create_event(request, record_id: int, payload: EventIn):
    policy.require_event_recorder(request.auth)
    equipment = EQUIPMENT.get(request.auth, record_id)
    body = payload.model_dump(exclude_unset=True)
    data, fields = {}, {}
    for key in sorted(set(body) - {f.key for f in EVENT_FIELDS}):
        fields[key] = [_("không có trường này")]
    for f in EVENT_FIELDS:
        raw = body.get(f.key)
        if raw in (None, ""):
            if f.required:
                fields[f.key] = [_("thiếu giá trị bắt buộc")]
            continue
        try:
            data[f.key] = f.parse(raw)
        except CellError as exc:
            fields[f.key] = [str(exc)]
    if "to_unit" in data and "to_unit" not in fields:
        found = units_by_code({data["to_unit"]}, request.auth, kinds=is_commune_level)
        if data["to_unit"] not in found:
            fields["to_unit"] = [
                _("không tìm thấy đơn vị cấp xã “{code}” trong phạm vi của bạn").format(code=data["to_unit"])
            ]
        else:
            data["to_unit"] = found[data["to_unit"]]
    if fields:
        raise DomainError(_("Dữ liệu gửi lên không hợp lệ."), fields=fields)
    with transaction.atomic():
        event = services.event_record(actor=request.auth, equipment=equipment, data=data)
    return Status(201, event_row(event))
