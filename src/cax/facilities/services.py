"""The rules of headquarters, the equipment standard, equipment and its events: every write goes
through here (form, Excel import, API, demo data)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_EQUIPMENT_STANDARD
from cax.core.changelog import record_change, snapshot
from cax.core.exceptions import refuse_if_any
from cax.core.records.services import save_record
from cax.core.scoping import is_under
from cax.core.text import search_key, vn_date
from cax.facilities import policy
from cax.facilities.models import (
    Condition,
    Equipment,
    EquipmentEvent,
    EquipmentStandard,
    EquipmentStatus,
    EventKind,
    Headquarters,
    HeadquartersStatus,
)
from cax.units.kinds import is_commune_level

CHANGE_HEADQUARTERS = policy.CHANGE_HEADQUARTERS
CHANGE_EQUIPMENT = policy.CHANGE_EQUIPMENT
CHANGE_EVENTS = policy.CHANGE_EVENTS
EARLIEST_YEAR = 1945  # the people's police was founded in 1945; an earlier year is a typing error


def is_standard_owner(unit) -> bool:
    """The ministry (national standard) or a province (its override)."""
    return unit.parent_id is None or unit.unit_type.code == "province"


# -- headquarters --------------------------------------------------------------------------------


def _check_headquarters(hq: Headquarters) -> None:
    fields: dict[str, list[str]] = {}
    if not is_commune_level(hq.unit):
        fields["unit"] = [_("“{u}” không phải là đơn vị cấp xã; chỉ ghi trụ sở của Công an xã.").format(u=hq.unit)]
    this_year = timezone.localdate().year
    if hq.status == HeadquartersStatus.BUILT and hq.year is None:
        fields["year"] = [_("Trụ sở đã xây dựng xong phải có năm xây dựng.")]
    elif hq.year is not None and hq.year > this_year:
        fields["year"] = [_("Năm {y} ở tương lai (năm nay là {now}).").format(y=hq.year, now=this_year)]
    elif hq.year is not None and hq.year < EARLIEST_YEAR:
        fields["year"] = [_("Năm {y} không hợp lệ: phải từ {min} trở đi.").format(y=hq.year, min=EARLIEST_YEAR)]
    if hq.amount is not None and hq.amount < 0:
        fields["amount"] = [_("Kinh phí không được âm (đã nhập {v}).").format(v=hq.amount)]
    if hq.area is not None and hq.area <= 0:
        fields["area"] = [_("Diện tích phải lớn hơn 0 m².")]
    refuse_if_any(fields)


def headquarters_save(*, actor, instance, data) -> Headquarters:
    before = instance.status if instance is not None else None
    return save_record(
        actor=actor,
        instance=instance,
        model=Headquarters,
        data=data,
        perm=CHANGE_HEADQUARTERS,
        denied=_("Bạn không có quyền cập nhật trụ sở Công an xã."),
        validate=_check_headquarters,
        message=_status_message(before, data.get("status")),
    )


def _status_message(before: str | None, after: str | None) -> str:
    # The message makes a status change stand out in the history, next to ordinary edits.
    if after is None or before == after:
        return ""
    label = HeadquartersStatus(after).label
    if before is None:
        return _("Tình trạng: {to}").format(to=label)
    return _("Tình trạng: {frm} → {to}").format(frm=HeadquartersStatus(before).label, to=label)


# -- the standard --------------------------------------------------------------------------------


def _check_standard(standard: EquipmentStandard) -> None:
    fields: dict[str, list[str]] = {}
    if standard.unit_id and not is_standard_owner(standard.unit):
        fields["unit"] = [
            _("“{u}” không ban hành định mức: chỉ Bộ Công an (để trống) hoặc Công an tỉnh.").format(u=standard.unit)
        ]
    standard.code = standard.code.strip().upper()
    if not standard.code:
        fields["code"] = [_("Mã trang bị là bắt buộc.")]
    refuse_if_any(fields)


def standard_save(*, actor, instance, data) -> EquipmentStandard:
    data = dict(data)
    unit = data.get("unit")
    if unit is not None and unit.parent_id is None:
        data["unit"] = None  # "BCA" in a file or a form means the national standard
    if "unit" in data or instance is None:
        national = data.get("unit") is None
    else:
        national = instance.unit_id is None
    touches_national = national or (instance is not None and instance.unit_id is None)
    if touches_national:
        policy.require_national_keeper(actor)
    return save_record(
        actor=actor,
        instance=instance,
        model=EquipmentStandard,
        data=data,
        perm=CHANGE_EQUIPMENT_STANDARD,
        denied=_("Bạn không có quyền sửa định mức trang thiết bị."),
        validate=_check_standard,
    )


# -- equipment -----------------------------------------------------------------------------------


def _check_equipment(item: Equipment) -> None:
    fields: dict[str, list[str]] = {}
    if not is_commune_level(item.unit):
        fields["unit"] = [_("“{u}” không phải là đơn vị cấp xã.").format(u=item.unit)]
    if item.standard_id is None and not item.name.strip():
        fields["name"] = [_("Chọn mục định mức hoặc ghi tên trang bị.")]
    if item.standard_id and item.standard.unit_id and not is_under(item.unit, item.standard.unit):
        fields["standard"] = [
            _("Mục “{s}” là định mức riêng của {owner}, không áp dụng cho {u}.").format(
                s=item.standard, owner=item.standard.unit, u=item.unit
            )
        ]
    if item.quantity is not None and item.quantity < 1:
        fields["quantity"] = [_("Số lượng phải từ 1 trở lên.")]
    elif item.identifier and item.quantity != 1:
        fields["quantity"] = [
            _("Trang bị có biển số / số hiệu “{i}” là một chiếc: số lượng phải là 1.").format(i=item.identifier)
        ]
    if item.acquired_on and item.acquired_on > timezone.localdate():
        fields["acquired_on"] = [_("Ngày tiếp nhận {d} ở tương lai.").format(d=vn_date(item.acquired_on))]
    refuse_if_any(fields)


def equipment_save(*, actor, instance, data) -> Equipment:
    return save_record(
        actor=actor,
        instance=instance,
        model=Equipment,
        data=data,
        perm=CHANGE_EQUIPMENT,
        denied=_("Bạn không có quyền cập nhật trang thiết bị."),
        validate=_check_equipment,
    )


# -- events --------------------------------------------------------------------------------------

# What each event does to the equipment it concerns (status, condition; None: unchanged).
EFFECTS: dict[str, tuple[str | None, str | None]] = {
    EventKind.ASSIGNED: (EquipmentStatus.IN_SERVICE, None),
    EventKind.SENT_FOR_REPAIR: (EquipmentStatus.UNDER_REPAIR, None),
    EventKind.REPAIRED: (EquipmentStatus.IN_SERVICE, Condition.GOOD),
    EventKind.LOST: (EquipmentStatus.LOST, None),
    EventKind.WRITTEN_OFF: (EquipmentStatus.WRITTEN_OFF, None),
    EventKind.TRANSFERRED: (None, None),
}


def _check_event(event: EquipmentEvent, item: Equipment) -> None:
    fields: dict[str, list[str]] = {}
    if item.status == EquipmentStatus.WRITTEN_OFF:
        fields["kind"] = [_("“{e}” đã thanh lý: không ghi thêm sự kiện được.").format(e=item)]
    if event.kind == EventKind.REPAIRED and item.status != EquipmentStatus.UNDER_REPAIR:
        fields["kind"] = [_("“{e}” không ở trạng thái đang sửa chữa.").format(e=item)]
    if event.date is None:
        fields["date"] = [_("Ngày là bắt buộc.")]
    elif event.date > timezone.localdate():
        fields["date"] = [_("Ngày {d} ở tương lai.").format(d=vn_date(event.date))]
    elif item.acquired_on and event.date < item.acquired_on:
        fields["date"] = [
            _("Ngày {d} trước ngày tiếp nhận trang bị ({a}).").format(
                d=vn_date(event.date), a=vn_date(item.acquired_on)
            )
        ]
    if not event.quantity or event.quantity < 1:
        fields["quantity"] = [_("Số lượng phải từ 1 trở lên.")]
    elif event.quantity > item.quantity:
        fields["quantity"] = [
            _("Đơn vị chỉ có {n} trang bị này, không thể ghi {q}.").format(n=item.quantity, q=event.quantity)
        ]
    if event.kind == EventKind.TRANSFERRED:
        if event.to_unit is None:
            fields["to_unit"] = [_("Điều chuyển phải ghi đơn vị nhận.")]
        elif not is_commune_level(event.to_unit):
            fields["to_unit"] = [_("“{u}” không phải là đơn vị cấp xã.").format(u=event.to_unit)]
        elif event.to_unit.pk == item.unit_id:
            fields["to_unit"] = [_("Đơn vị nhận trùng với đơn vị đang giữ trang bị.")]
        elif item.standard_id and item.standard.unit_id and not is_under(event.to_unit, item.standard.unit):
            # The same rule as when the row is saved: a province's own standard item stays there.
            fields["to_unit"] = [
                _("Mục “{s}” là định mức riêng của {owner}, không áp dụng cho {u}.").format(
                    s=item.standard, owner=item.standard.unit, u=event.to_unit
                )
            ]
    elif event.to_unit is not None:
        fields["to_unit"] = [_("Chỉ ghi đơn vị nhận khi điều chuyển.")]
    refuse_if_any(fields)


def event_record(*, actor, equipment: Equipment, data: dict) -> EquipmentEvent:
    """Records an event and applies it to the equipment in one transaction, both change-logged.

    An event about part of a row (1 of 3 radios lost) splits the row: the affected items become a
    row of their own with the new status, so in-service counts stay right; the event is recorded
    on that new row and the split is noted in the original's history.
    """
    policy.require_event_recorder(actor)
    with transaction.atomic():
        item = Equipment.objects.select_for_update(of=("self",)).select_related("unit", "standard").get(pk=equipment.pk)
        policy.require_event_recorder(actor, item.unit)
        event = EquipmentEvent(equipment=item, **{k: v for k, v in data.items() if k != "equipment"})
        if data.get("quantity") is None:
            event.quantity = item.quantity  # an event about the row as a whole
        _check_event(event, item)
        status, condition = EFFECTS[event.kind]
        changes: dict = {}
        if status is not None:
            changes["status"] = status
        if condition is not None:
            changes["condition"] = condition
        if event.kind == EventKind.TRANSFERRED:
            policy.require_event_recorder(actor, event.to_unit)
            changes["unit"] = event.to_unit
        target = item
        if event.quantity < item.quantity and changes:
            target = _split(actor, item, event.quantity, event)
        before = snapshot(target)
        for key, value in changes.items():
            setattr(target, key, value)
        target.save()
        record_change(actor=actor, obj=target, action="update", before=before, message=_event_message(event))
        return _save_event(actor, target, event)


_EVENT_FIELDS = ("kind", "date", "quantity", "to_unit", "document", "note")


def _save_event(actor, target: Equipment, event: EquipmentEvent) -> EquipmentEvent:
    # Not save_record: after a transfer the row belongs to the receiving unit, which the sender
    # may not otherwise write; the actor's right on both units was checked by the caller.
    saved = EquipmentEvent(equipment=target, **{k: getattr(event, k) for k in _EVENT_FIELDS})
    try:
        saved.full_clean()
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        refuse_if_any(fields)
    saved.search_key = search_key(saved.search_text())[:500]
    saved.save()
    record_change(actor=actor, obj=saved, action="create")
    return saved


def _event_message(event: EquipmentEvent) -> str:
    text = _("Sự kiện: {kind}, {q} chiếc, ngày {d}").format(
        kind=event.get_kind_display(), q=event.quantity, d=vn_date(event.date)
    )
    return f"{text} ({event.document})" if event.document else text


def _split(actor, item: Equipment, quantity: int, event: EquipmentEvent) -> Equipment:
    before = snapshot(item)
    item.quantity -= quantity
    item.save()
    part = Equipment.objects.get(pk=item.pk)
    part.pk = None
    part._state.adding = True  # a new row: its own created_at, not the original's
    part.quantity = quantity
    part.identifier = ""
    part.save()
    record_change(
        actor=actor, obj=part, action="create", message=_("Tách {q} chiếc từ #{id}").format(q=quantity, id=item.pk)
    )
    record_change(
        actor=actor,
        obj=item,
        action="update",
        before=before,
        message=_("Tách {q} chiếc sang #{id}: {kind}").format(q=quantity, id=part.pk, kind=event.get_kind_display()),
    )
    return part
