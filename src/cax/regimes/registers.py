"""How rate rows and area classifications appear in lists, Excel and the API (cax.core.records)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from cax.core.imports import parse_bool, parse_choice, parse_date, parse_int, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import YES_NO, Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register, rows_for
from cax.deployment.models import PostingRole
from cax.personnel.choices import SpecialityKind
from cax.regimes import services
from cax.regimes.models import AreaAttribute, AreaClassification, EntitlementRate, EntitlementType, Kind
from cax.units.fields import unit_fields, units_by_code
from cax.units.kinds import is_commune_level


def types_by_code(keys: set, actor) -> dict:
    """Entitlement types are national reference data: every reader resolves every code."""
    return {t.code: t for t in EntitlementType.objects.filter(code__in={str(k).strip() for k in keys})}


def _still_open(end_field: str):
    """ "Có": rows without an end date (in force now or from a later date); "Không": ended rows."""

    def apply(queryset, value):
        return queryset.filter(**{f"{end_field}__isnull": value == "1"}) if value in ("1", "0") else queryset

    return apply


class RateForm(RecordForm):
    unit_kinds = staticmethod(services.is_rate_owner)

    class Meta:
        model = EntitlementRate
        fields = [
            "entitlement_type",
            "unit",
            "amount",
            "requires_remote",
            "requires_border",
            "requires_ethnic_minority",
            "role",
            "speciality",
            "effective_from",
            "effective_to",
            "basis",
            "verified",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entitlement_type"] = forms.ModelChoiceField(
            queryset=EntitlementType.objects.order_by("kind", "code"), label=_("Loại chế độ")
        )


class RateRegister(Register):
    def existing(self, actor, data: dict):
        keys = ("entitlement_type", "unit", "effective_from")
        if any(data.get(k) is None for k in keys):
            return None
        return rows_for(EntitlementRate, actor).filter(**{k: data[k] for k in keys}).first()


RATES = RateRegister(
    model=EntitlementRate,
    name="rate",
    namespace="regimes",
    label=_("mức hưởng chế độ"),
    label_plural=_("mức hưởng chế độ"),
    view_perm="regimes.view_entitlementrate",
    change_perm=services.CHANGE_RATES,
    fields=[
        Field(
            "entitlement_type",
            _("Mã chế độ"),
            value=lambda r: r.entitlement_type.code,
            parse=parse_text(32),
            lookup=types_by_code,
            required=True,
            example="HN-HOTRO-2025",
        ),
        Field("type_name", _("Chế độ"), value=lambda r: r.entitlement_type.name),
        Field("kind", _("Loại"), value=lambda r: r.entitlement_type.get_kind_display()),
        Field(
            "unit",
            _("Phạm vi (mã BCA hoặc mã tỉnh)"),
            value=lambda r: r.unit.code,
            parse=parse_text(32),
            lookup=partial(units_by_code, kinds=services.is_rate_owner),
            required=True,
            example="01",
        ),
        Field("unit_name", _("Phạm vi áp dụng"), value=lambda r: r.unit.name),
        Field("amount", _("Mức (đồng/tháng)"), parse=parse_int(1, 1_000_000_000), required=True, example="4960000"),
        Field("requires_remote", _("Chỉ vùng sâu, vùng xa"), parse=parse_bool, in_list=False, example="Không"),
        Field("requires_border", _("Chỉ xã biên giới"), parse=parse_bool, in_list=False, example="Không"),
        Field(
            "requires_ethnic_minority", _("Chỉ vùng dân tộc thiểu số"), parse=parse_bool, in_list=False, example="Không"
        ),
        Field("role", _("Chỉ chức danh"), parse=parse_choice(PostingRole.choices), in_list=False),
        Field("speciality", _("Chỉ chuyên môn"), parse=parse_choice(SpecialityKind.choices), in_list=False),
        Field("effective_from", _("Hiệu lực từ"), parse=parse_date, required=True, example="27/11/2025"),
        Field("effective_to", _("Hiệu lực đến"), parse=parse_date),
        Field(
            "basis", _("Căn cứ"), parse=parse_text(300), required=True, example="Nghị quyết HĐND TP Hà Nội 27/11/2025"
        ),
        Field("verified", _("Đã đối chiếu văn bản"), parse=parse_bool, example="Có"),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=RateForm,
    save=services.rate_save,
    filters=[
        field_filter("kind", _("Loại"), Kind.choices, lookup="entitlement_type__kind"),
        field_filter("verified", _("Đã đối chiếu văn bản"), YES_NO),
        Filter("open", _("Chưa hết hiệu lực"), YES_NO, _still_open("effective_to")),
    ],
    select_related=("unit", "entitlement_type"),
    ordering=("entitlement_type__code", "unit__path", "-effective_from"),
    export_name="muc-huong-che-do",
    help_text=_(
        "Mức hưởng theo tháng của từng chế độ, toàn quốc (BCA) hoặc của một tỉnh, có hiệu lực từ ngày đến ngày. "
        "Mức chưa đối chiếu văn bản được ghi “Không” ở cột Đã đối chiếu văn bản."
    ),
)


class AreaForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = AreaClassification
        fields = ["unit", "attribute", "valid_from", "valid_to", "basis", "note"]


AREAS = Register(
    model=AreaClassification,
    name="area",
    namespace="regimes",
    label=_("phân loại địa bàn"),
    label_plural=_("phân loại địa bàn"),
    view_perm="regimes.view_areaclassification",
    change_perm=services.CHANGE_AREAS,
    fields=[
        *unit_fields(_("Mã đơn vị"), _("Đơn vị"), kinds=is_commune_level, required=True),
        Field(
            "attribute",
            _("Đặc điểm địa bàn"),
            parse=parse_choice(AreaAttribute.choices),
            required=True,
            example=str(AreaAttribute.BORDER.label),
        ),
        Field("valid_from", _("Từ ngày"), parse=parse_date, required=True, example="01/07/2025"),
        Field("valid_to", _("Đến ngày"), parse=parse_date),
        Field("basis", _("Căn cứ"), parse=parse_text(300), required=True, example="Danh sách xã đặc biệt khó khăn"),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=AreaForm,
    save=services.area_save,
    natural_key=("unit", "attribute", "valid_from"),
    filters=[
        field_filter("attribute", _("Đặc điểm địa bàn"), AreaAttribute.choices),
        Filter("open", _("Chưa kết thúc"), YES_NO, _still_open("valid_to")),
    ],
    select_related=("unit",),
    ordering=("unit__path", "attribute", "-valid_from"),
    export_name="phan-loai-dia-ban",
    help_text=_(
        "Đặc điểm của từng xã theo thời gian: chế độ của cán bộ đọc phân loại có hiệu lực vào từng ngày, "
        "nên sửa hôm nay không làm thay đổi số đã hưởng trước đó."
    ),
)
