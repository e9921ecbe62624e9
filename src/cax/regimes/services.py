"""Writes of the regimes app: rate rows and area classifications (form, Excel import and API all
save through here), and the seeding of the classification's history from the units' flags."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cax.core import formatting as fmt
from cax.core.exceptions import refuse_if_any
from cax.core.records.services import save_record
from cax.core.text import vn_date
from cax.regimes.models import UNIT_FLAGS, AreaClassification, EntitlementRate
from cax.units.kinds import is_commune_level, is_department

CHANGE_RATES = "regimes.change_entitlementrate"
CHANGE_AREAS = "regimes.change_areaclassification"


def is_rate_owner(unit) -> bool:
    """A rate is national (the ministry, the root) or one province's (the level under it)."""
    return unit.parent_id is None or (unit.level == 1 and not is_department(unit))


def _ends_before_start(start, end) -> bool:
    return bool(start and end and end < start)


def check_rate(rate: EntitlementRate) -> None:
    fields = {}
    if rate.unit_id and not is_rate_owner(rate.unit):
        fields["unit"] = [
            _("Mức hưởng áp dụng toàn quốc (BCA) hoặc cho một tỉnh; “{u}” không phải.").format(u=rate.unit)
        ]
    if _ends_before_start(rate.effective_from, rate.effective_to):
        fields["effective_to"] = [
            _("Ngày hết hiệu lực {e} trước ngày bắt đầu {s}.").format(
                e=vn_date(rate.effective_to), s=vn_date(rate.effective_from)
            )
        ]
    if rate.amount is not None and rate.amount <= 0:
        fields["amount"] = [_("Mức hưởng phải lớn hơn 0.")]
    if not fields and rate.entitlement_type_id:
        _check_overlap(rate, fields)
    refuse_if_any(fields)


def _check_overlap(rate: EntitlementRate, fields: dict) -> None:
    """Two rows of one type, scope and conditions in force on the same day would make the owed
    amount depend on which row was read: refused, the older row must be ended first."""
    same = EntitlementRate.objects.filter(
        entitlement_type_id=rate.entitlement_type_id,
        unit_id=rate.unit_id,
        requires_remote=rate.requires_remote,
        requires_border=rate.requires_border,
        requires_ethnic_minority=rate.requires_ethnic_minority,
        role=rate.role,
        speciality=rate.speciality,
    ).exclude(pk=rate.pk)
    if rate.effective_to is not None:
        same = same.filter(effective_from__lte=rate.effective_to)
    clash = same.exclude(effective_to__lt=rate.effective_from).order_by("effective_from").first()
    if clash is not None:
        fields["effective_from"] = [
            _("Trùng thời gian với mức {a} từ {d} cùng loại, cùng phạm vi và điều kiện: kết thúc mức đó trước.").format(
                a=fmt.money(clash.amount), d=vn_date(clash.effective_from)
            )
        ]


def rate_save(*, actor, instance, data) -> EntitlementRate:
    return save_record(
        actor=actor,
        instance=instance,
        model=EntitlementRate,
        data=data,
        perm=CHANGE_RATES,
        denied=_("Bạn không có quyền cập nhật mức hưởng chế độ."),
        validate=check_rate,
    )


def check_area(area: AreaClassification) -> None:
    fields = {}
    if area.unit_id and not is_commune_level(area.unit):
        fields["unit"] = [_("Chỉ phân loại đơn vị cấp xã; “{u}” không phải.").format(u=area.unit)]
    if _ends_before_start(area.valid_from, area.valid_to):
        fields["valid_to"] = [
            _("Ngày kết thúc {e} trước ngày bắt đầu {s}.").format(e=vn_date(area.valid_to), s=vn_date(area.valid_from))
        ]
    if not fields and area.unit_id and area.attribute and area.valid_from:
        _check_area_overlap(area, fields)
    refuse_if_any(fields)


def _check_area_overlap(area: AreaClassification, fields: dict) -> None:
    same = AreaClassification.objects.filter(unit_id=area.unit_id, attribute=area.attribute).exclude(pk=area.pk)
    if area.valid_to is not None:
        same = same.filter(valid_from__lte=area.valid_to)
    clash = same.exclude(valid_to__lt=area.valid_from).order_by("valid_from").first()
    if clash is not None:
        fields["valid_from"] = [
            _("Trùng thời gian với phân loại “{a}” từ {d}: kết thúc phân loại đó trước.").format(
                a=clash.get_attribute_display(), d=vn_date(clash.valid_from)
            )
        ]


def area_save(*, actor, instance, data) -> AreaClassification:
    return save_record(
        actor=actor,
        instance=instance,
        model=AreaClassification,
        data=data,
        perm=CHANGE_AREAS,
        denied=_("Bạn không có quyền cập nhật phân loại địa bàn."),
        validate=check_area,
    )


@transaction.atomic
def areas_seed_from_flags(*, actor, units, since: dt.date, basis: str) -> int:
    """One open classification per flag a commune carries today, from ``since``, for communes that
    have no history of that attribute yet; returns how many rows were written. Run once when the
    history starts: from then on the rows, not the flags, decide what was owed."""
    units = list(units)
    known = set(AreaClassification.objects.filter(unit__in=units).values_list("unit_id", "attribute"))
    written = 0
    for unit in units:
        for attribute, flag in UNIT_FLAGS.items():
            if getattr(unit, flag) and (unit.id, attribute) not in known:
                start = max(since, unit.valid_from) if unit.valid_from else since
                area_save(
                    actor=actor,
                    instance=None,
                    data={"unit": unit, "attribute": attribute, "valid_from": start, "basis": basis},
                )
                written += 1
    return written
