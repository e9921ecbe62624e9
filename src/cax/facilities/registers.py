"""How headquarters, the equipment standard and equipment appear in lists, Excel and the API
(see cax.core.records)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cax.accounts.roles import CHANGE_EQUIPMENT_STANDARD
from cax.core.imports import parse_choice, parse_date, parse_decimal, parse_int, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register
from cax.core.text import search_key
from cax.facilities import services, views
from cax.facilities.models import (
    Condition,
    Equipment,
    EquipmentCategory,
    EquipmentStandard,
    EquipmentStatus,
    FundingSource,
    Headquarters,
    HeadquartersStatus,
)
from cax.facilities.selectors import MAKESHIFT
from cax.units.fields import unit_fields, units_by_code
from cax.units.kinds import is_commune_level

# -- headquarters ------------------------------------------------------------------------------


class HeadquartersForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = Headquarters
        fields = ["unit", "status", "year", "funding_source", "amount", "address", "area", "note"]


def _hq_status(queryset, value):
    if value == MAKESHIFT:
        return queryset.filter(status__in=[HeadquartersStatus.TEMPORARY, HeadquartersStatus.BORROWED])
    return queryset.filter(status=value)


HEADQUARTERS = Register(
    model=Headquarters,
    name="headquarters",
    namespace="facilities",
    label=_("trụ sở Công an xã"),
    label_plural=_("trụ sở Công an xã"),
    view_perm="facilities.view_headquarters",
    change_perm=services.CHANGE_HEADQUARTERS,
    fields=[
        *unit_fields(_("Mã đơn vị"), _("Đơn vị"), kinds=is_commune_level, required=True),
        Field(
            "status",
            _("Tình trạng trụ sở"),
            parse=parse_choice(HeadquartersStatus.choices, {"xong": HeadquartersStatus.BUILT}),
            required=True,
            example=str(HeadquartersStatus.BUILT.label),
        ),
        Field("year", _("Năm xây dựng / khởi công"), parse=parse_int(min_value=None), example="2024"),
        Field(
            "funding_source",
            _("Nguồn kinh phí"),
            parse=parse_choice(FundingSource.choices, {"NSTW": "central", "NSDP": "local", "XHH": "socialization"}),
            example=str(FundingSource.LOCAL.label),
        ),
        Field("amount", _("Kinh phí (đồng)"), parse=parse_int(min_value=None), example="3500000000"),
        Field("area", _("Diện tích (m²)"), parse=parse_decimal(0, 1_000_000, 1), example="350", in_list=False),
        Field("address", _("Địa chỉ"), parse=parse_text(300), in_list=False),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=HeadquartersForm,
    save=services.headquarters_save,
    filters=[
        Filter(
            "status",
            _("Tình trạng"),
            lambda: [*HeadquartersStatus.choices, (MAKESHIFT, _("Tạm hoặc mượn"))],
            _hq_status,
        ),
        field_filter("funding_source", _("Nguồn kinh phí"), FundingSource.choices),
    ],
    natural_key=("unit",),
    detail_template="facilities/headquarters_detail.html",
    detail_context=views.headquarters_context,
    list_template="facilities/headquarters_list.html",
    export_name="tru-so-cong-an-xa",
    help_text=_(
        "Mỗi Công an xã một dòng. Đơn vị chưa nhập thông tin được tính là chưa có trụ sở; "
        "xem danh sách đơn vị chưa có trụ sở."
    ),
)


# -- the standard ------------------------------------------------------------------------------


class StandardForm(RecordForm):
    unit_kinds = staticmethod(services.is_standard_owner)

    class Meta:
        model = EquipmentStandard
        fields = ["unit", "code", "name", "category", "quantity", "valid_from", "note"]


class StandardRegister(Register):
    def existing(self, actor, data: dict):
        # The national rows have no unit, which the generic upsert would read as "no key given".
        if not data.get("code") or not data.get("valid_from") or "unit" not in data:
            return None
        unit = data["unit"]
        national = unit is None or unit.parent_id is None
        owner = Q(unit__isnull=True) if national else Q(unit=unit)
        return (
            EquipmentStandard.objects.visible_to(actor)
            .filter(owner, code=str(data["code"]).strip().upper(), valid_from=data["valid_from"])
            .first()
        )


NATIONAL_OWNER = _("BCA (toàn quốc)")
NATIONWIDE = _("Toàn quốc")


def parse_owner(value) -> str | None:
    """The issuing unit's code; "BCA", "Toàn quốc" or the list's "BCA (toàn quốc)" (any UI
    language) is the national standard, which has no unit, so a province's staff can re-import the
    national rows their export shows without naming the ministry, outside their subtree."""
    from django.conf import settings
    from django.utils import translation

    from cax.units.official import ROOT_CODE

    text = parse_text(32)(value)
    national = {search_key(ROOT_CODE)}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            national |= {search_key(str(NATIONAL_OWNER)), search_key(str(NATIONWIDE))}
    return None if search_key(text) in national else text


def _owner(queryset, value):
    return queryset.filter(unit__isnull=True) if value == "national" else queryset.filter(unit__isnull=False)


STANDARDS = StandardRegister(
    model=EquipmentStandard,
    name="standard",
    namespace="facilities",
    label=_("định mức trang thiết bị"),
    label_plural=_("định mức trang thiết bị"),
    view_perm="facilities.view_equipmentstandard",
    change_perm=CHANGE_EQUIPMENT_STANDARD,
    fields=[
        Field("code", _("Mã trang bị"), parse=parse_text(32), required=True, example="XMT"),
        Field("name", _("Tên trang bị"), parse=parse_text(200), required=True, example="Xe mô tô"),
        Field(
            "category",
            _("Nhóm"),
            parse=parse_choice(EquipmentCategory.choices),
            required=True,
            example=str(EquipmentCategory.VEHICLE.label),
        ),
        Field("quantity", _("Số lượng mỗi Công an xã"), parse=parse_int(0, 10_000), required=True, example="3"),
        Field(
            "unit",
            _("Đơn vị ban hành"),
            value=lambda s: s.owner_label,
            parse=parse_owner,
            lookup=partial(units_by_code, kinds=services.is_standard_owner),
            example="BCA",
        ),
        Field("valid_from", _("Áp dụng từ"), parse=parse_date, required=True, example="01/07/2025"),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=StandardForm,
    save=services.standard_save,
    filters=[
        field_filter("category", _("Nhóm"), EquipmentCategory.choices),
        Filter("owner", _("Phạm vi"), [("national", NATIONWIDE), ("province", _("Riêng của tỉnh"))], _owner),
    ],
    select_related=("unit",),
    ordering=("category", "code", "unit__path", "-valid_from"),
    export_name="dinh-muc-trang-thiet-bi",
    help_text=_(
        "Định mức trang bị cho mỗi Công an xã. Để trống đơn vị ban hành (hoặc ghi BCA) là định mức toàn quốc; "
        "tỉnh ghi mã tỉnh để thay định mức toàn quốc cho một mục (số lượng 0: tỉnh không yêu cầu mục đó)."
    ),
)


# -- equipment ---------------------------------------------------------------------------------


class EquipmentForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = Equipment
        fields = [
            "unit",
            "standard",
            "name",
            "quantity",
            "condition",
            "status",
            "acquired_on",
            "funding_source",
            "identifier",
            "note",
        ]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["standard"] = forms.ModelChoiceField(
            queryset=EquipmentStandard.objects.visible_to(actor).select_related("unit"),
            required=False,
            label=self.fields["standard"].label,
            help_text=_("Để trống nếu trang bị không thuộc định mức, khi đó ghi tên trang bị."),
        )


def standards_by_code(keys: set, actor) -> dict:
    """Item codes → a standard row: the national one if any, else the actor's province's."""
    found: dict = {}
    rows = (
        EquipmentStandard.objects.visible_to(actor)
        .filter(code__in={str(k).strip().upper() for k in keys})
        .select_related("unit")
        .order_by("-valid_from")
    )
    for row in sorted(rows, key=lambda r: r.unit_id is not None):
        found.setdefault(row.code, row)
    return {key: found[str(key).strip().upper()] for key in keys if str(key).strip().upper() in found}


EQUIPMENT = Register(
    model=Equipment,
    name="equipment",
    namespace="facilities",
    label=_("trang thiết bị"),
    label_plural=_("trang thiết bị"),
    view_perm="facilities.view_equipment",
    change_perm=services.CHANGE_EQUIPMENT,
    fields=[
        Field("display_name", _("Trang bị"), value=lambda e: e.display_name),
        *unit_fields(_("Mã đơn vị"), _("Đơn vị"), kinds=is_commune_level, required=True),
        Field(
            "standard",
            _("Mã trang bị"),
            value=lambda e: e.standard.code if e.standard_id else "",
            parse=parse_text(32),
            lookup=standards_by_code,
            example="XMT",
        ),
        Field("name", _("Tên trang bị"), parse=parse_text(200), in_list=False),
        Field("quantity", _("Số lượng"), parse=parse_int(min_value=None), example="1"),
        Field(
            "condition",
            _("Chất lượng"),
            parse=parse_choice(Condition.choices),
            example=str(Condition.GOOD.label),
        ),
        Field(
            "status",
            _("Trạng thái"),
            parse=parse_choice(EquipmentStatus.choices),
            example=str(EquipmentStatus.IN_SERVICE.label),
        ),
        Field("acquired_on", _("Ngày tiếp nhận"), parse=parse_date, example="15/03/2024", in_list=False),
        Field(
            "funding_source",
            _("Nguồn kinh phí"),
            parse=parse_choice(FundingSource.choices),
            in_list=False,
        ),
        Field("identifier", _("Biển số / số hiệu"), parse=parse_text(64), example="76B1-123.45"),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=EquipmentForm,
    save=services.equipment_save,
    filters=[
        field_filter("category", _("Nhóm"), EquipmentCategory.choices, lookup="standard__category"),
        field_filter("status", _("Trạng thái"), EquipmentStatus.choices),
        field_filter("condition", _("Chất lượng"), Condition.choices),
    ],
    # Rows with a plate or serial are updated on re-import; rows without one are always added.
    natural_key=("unit", "identifier"),
    select_related=("unit", "standard"),
    detail_template="facilities/equipment_detail.html",
    detail_context=views.equipment_context,
    list_template="facilities/equipment_list.html",
    export_name="trang-thiet-bi",
)
