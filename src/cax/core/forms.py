from django import forms
from django.utils.translation import gettext_lazy as _

from cax.core.bounds import DayField
from cax.core.models import ChangeLog


class ChangeLogFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    action = forms.ChoiceField(
        label=_("Thao tác"), required=False, choices=[("", _("Tất cả"))] + list(ChangeLog.Action.choices)
    )
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False)
    actor_name = forms.CharField(label=_("Người thực hiện"), required=False)
    request_id = forms.CharField(label=_("Mã yêu cầu"), required=False)
    date_from = DayField(label=_("Từ ngày"), required=False)
    date_to = DayField(label=_("Đến ngày"), required=False)
