"""How pairings appear in lists, Excel and the API (see cax.core.records)."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _

from cax.accounts.roles import CHANGE_PAIRING, VIEW_PAIRING
from cax.core.imports import parse_date, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import Filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register
from cax.pairing import services
from cax.pairing.models import Pairing
from cax.units.fields import units_by_code
from cax.units.kinds import is_commune_level, is_department


class PairingForm(RecordForm):
    unit_kinds = staticmethod(is_department)

    class Meta:
        model = Pairing
        fields = ["department", "commune", "since", "until", "note"]


def _current(queryset, value):
    from django.utils import timezone

    from cax.pairing.selectors import current

    today = timezone.localdate()
    return queryset.filter(current(today)) if value == "1" else queryset.exclude(current(today))


PAIRINGS = Register(
    model=Pairing,
    name="pairing",
    namespace="pairing",
    label=_("phân công phụ trách xã"),
    label_plural=_("phân công phòng phụ trách xã"),
    view_perm=VIEW_PAIRING,
    change_perm=CHANGE_PAIRING,
    fields=[
        Field(
            "department",
            _("Mã phòng"),
            value=lambda p: p.department.code,
            parse=parse_text(32),
            lookup=partial(units_by_code, kinds=is_department),
            required=True,
            example="51-PV01",
        ),
        Field("department_name", _("Phòng"), value=lambda p: p.department.name),
        Field(
            "commune",
            _("Mã xã"),
            value=lambda p: p.commune.code,
            parse=parse_text(32),
            lookup=partial(units_by_code, kinds=is_commune_level),
            required=True,
            example="23500",
        ),
        Field("commune_name", _("Xã, phường"), value=lambda p: p.commune.name),
        Field("since", _("Từ ngày"), parse=parse_date, required=True, example="01/07/2025"),
        Field("until", _("Đến ngày"), parse=parse_date),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=PairingForm,
    save=services.pairing_save,
    filters=[Filter("current", _("Đang phụ trách"), [("1", _("Có")), ("0", _("Không"))], _current)],
    natural_key=("department", "commune", "since"),
    select_related=("department", "commune"),
    export_name="phan-cong-phu-trach",
)
