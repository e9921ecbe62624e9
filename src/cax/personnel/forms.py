from django import forms
from django.utils.translation import gettext_lazy as _

from cax.core.uploads import LimitedFileField
from cax.personnel.choices import OfficerStatus, Rank, Sex, SpecialityKind

ALL = [("", _("Tất cả"))]


class OfficerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tên hoặc số hiệu"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    sex = forms.ChoiceField(label=_("Giới tính"), required=False, choices=ALL + list(Sex.choices))
    rank = forms.ChoiceField(label=_("Cấp bậc"), required=False, choices=ALL + list(Rank.choices))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=ALL + list(OfficerStatus.choices))
    speciality = forms.ChoiceField(label=_("Chuyên môn"), required=False, choices=ALL + list(SpecialityKind.choices))
    language = forms.CharField(label=_("Ngôn ngữ"), required=False)

    def selector_kwargs(self) -> dict:
        return {k: v for k, v in (self.cleaned_data if self.is_valid() else {}).items() if v}


class OfficerImportForm(forms.Form):
    file = LimitedFileField(label=_("Tệp Excel (.xlsx) hoặc CSV"), limit="CAX_IMPORT_MAX_BYTES")
