from __future__ import annotations

from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_PAIRING
from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.records.services import save_record
from cax.core.text import vn_date
from cax.pairing.models import Pairing
from cax.units.kinds import is_department, province_path


def _check(pairing: Pairing) -> None:
    if not pairing.commune_id:
        return  # model validation reports the missing commune
    fields = {}
    if not is_department(pairing.department):
        fields["department"] = [_("“{u}” không phải là phòng nghiệp vụ.").format(u=pairing.department)]
    if not pairing.commune.unit_type.is_commune_level:
        fields["commune"] = [_("“{u}” không phải là đơn vị cấp xã.").format(u=pairing.commune)]
    elif province_path(pairing.commune) != province_path(pairing.department):
        fields["commune"] = [_("Xã “{u}” không thuộc tỉnh của phòng này.").format(u=pairing.commune)]
    refuse_if_any(fields)
    overlapping = Pairing.objects.filter(department=pairing.department, commune=pairing.commune).exclude(pk=pairing.pk)
    for other in overlapping:
        if (other.until is None or other.until >= pairing.since) and (
            pairing.until is None or pairing.until >= other.since
        ):
            raise DomainError(
                _("Phòng đã phụ trách xã này trong khoảng thời gian trùng (từ {d}).").format(d=vn_date(other.since)),
                fields={"since": [_("Trùng với một phân công khác.")]},
            )


def pairing_save(*, actor, instance, data) -> Pairing:
    return save_record(
        actor=actor,
        instance=instance,
        model=Pairing,
        data=data,
        perm=CHANGE_PAIRING,
        denied=_("Bạn không có quyền phân công phòng phụ trách xã."),
        validate=_check,
    )
