from django import forms
from django.utils.translation import gettext_lazy as _

from cax.core.bounds import DayField
from cax.core.uploads import LimitedFileField
from cax.units.models import UnitType

FLAG_CHOICES = [
    ("is_border", _("Biên giới")),
    ("is_ethnic_minority", _("Vùng dân tộc thiểu số")),
    ("is_remote", _("Vùng sâu, vùng xa")),
    ("is_key_security", _("Trọng điểm ANTT")),
]


class UnitFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tên hoặc mã"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("vd: dak ha"), "type": "search"}),
    )
    type = forms.ModelChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        queryset=UnitType.objects.all(),
        to_field_name="code",
        empty_label=_("Tất cả"),
    )
    flags = forms.MultipleChoiceField(
        label=_("Đặc điểm"), required=False, choices=FLAG_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    include_closed = forms.BooleanField(label=_("Gồm cả đơn vị đã hết hiệu lực"), required=False)
    as_of = DayField(label=_("Cây đơn vị tại ngày"), required=False)

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "unit_type": data["type"].code if data.get("type") else "",
            "flags": tuple(data.get("flags", ())),
            "include_closed": data.get("include_closed", False),
            "as_of": data.get("as_of"),
        }


class UnitImportForm(forms.Form):
    file = LimitedFileField(label=_("Tệp Excel (.xlsx) hoặc CSV"), limit="CAX_IMPORT_MAX_BYTES")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        return upload
