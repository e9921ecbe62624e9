import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from cax.core.bounds import DayField, DayInput
from cax.deployment.planning import SETTING_FIELDS
from cax.units.widgets import UnitPicker


class AsOfForm(forms.Form):
    as_of = DayField(label=_("Số liệu tại ngày"), required=False)

    def day(self) -> dt.date:
        from django.utils import timezone

        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class FigureForm(forms.Form):
    """Which figure colours the leaders' map."""

    figure = forms.ChoiceField(label=_("Tô màu theo"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from cax.deployment.leader import FIGURES

        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = list(FIGURES.items())

    def chosen(self) -> str:
        return (self.cleaned_data.get("figure") if self.is_valid() else "") or "below_norm"


class PlanScenarioForm(forms.ModelForm):
    """The scenario's settings; volunteers are typed as service numbers, one per line or comma."""

    volunteer_numbers = forms.CharField(
        label=_("Số hiệu cán bộ tự nguyện điều động"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "10000001, 10000002"}),
        help_text=_("Chỉ dùng khi nguồn là “cán bộ được chọn”."),
    )
    target_codes = forms.CharField(
        label=_("Mã các xã cần bố trí"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "23500, 23293"}),
        help_text=_("Để trống: mọi đơn vị cấp xã thuộc đơn vị lập phương án."),
    )

    class Meta:
        from cax.deployment.models import PlanScenario

        model = PlanScenario
        fields = list(SETTING_FIELDS)
        widgets = {"start_date": DayInput()}

    def __init__(self, *args, scope_path: str = "", **kwargs):
        from cax.personnel.choices import Rank

        super().__init__(*args, **kwargs)
        self.scope_path = scope_path
        for name in ("chief_min_rank", "chief_max_rank"):
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label, choices=Rank.choices, initial=self.fields[name].initial
            )
        for name in (*self.WEIGHT_FIELDS, "hardship_max_km"):
            self.fields[name].min_value = 0
            self.fields[name].validators.append(_non_negative)
        if self.instance.pk:
            numbers = self.instance.volunteers.values_list("service_number", flat=True)
            self.fields["volunteer_numbers"].initial = ", ".join(numbers)
            self.fields["target_codes"].initial = ", ".join(self.instance.target_units.values_list("code", flat=True))

    WEIGHT_FIELDS = (
        "km_weight",
        "hardship_km_weight",
        "unused_skill_cost",
        "missing_skill_cost",
        "move_cost",
        "chief_change_cost",
        "tree_km_near",
        "tree_km_mid",
        "tree_km_far",
    )

    def rule_fields(self):
        return [field for field in self if field.name not in self.WEIGHT_FIELDS]

    def weight_fields(self):
        return [self[name] for name in self.WEIGHT_FIELDS]

    def clean_target_codes(self):
        from cax.units.models import Unit

        codes = _split(self.cleaned_data.get("target_codes", ""))
        found = {
            u.code: u
            for u in Unit.objects.current()
            .commune_level()
            .in_subtree(self.scope_path)
            .filter(code__in=codes)
            .select_related("unit_type")
        }
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Không có đơn vị cấp xã đang hiệu lực với mã: {codes}").format(codes=", ".join(unknown[:20]))
            )
        return list(found.values())

    def clean_volunteer_numbers(self):
        from cax.personnel.models import Officer

        numbers = _split(self.cleaned_data.get("volunteer_numbers", ""))
        found = {
            o.service_number: o for o in Officer.objects.in_subtree(self.scope_path).filter(service_number__in=numbers)
        }
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("Không tìm thấy cán bộ có số hiệu: {numbers}").format(numbers=", ".join(unknown[:20]))
            )
        return list(found.values())

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _split(text: str) -> list[str]:
    """Codes or service numbers typed one per line or separated by commas."""
    import re

    return [part for part in re.split(r"[\s,;]+", text) if part]


def _non_negative(value):
    if value is not None and value < 0:
        raise forms.ValidationError(_("Không được âm."))


class AssignmentForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    role = forms.ChoiceField(label=_("Chức danh"))

    def __init__(self, *args, units=(), **kwargs):
        from cax.deployment.models import PostingRole

        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["role"].choices = PostingRole.choices


class ApproveForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50)
    decision_date = DayField(label=_("Ngày quyết định"), required=False)


# -- the posting lifecycle on the officer's page (issue 14) ---------------------------------------


def _date_field(label, required=True):
    return DayField(label=label, required=required)


class _DecisionFields(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50, required=False)
    decision_date = _date_field(_("Ngày quyết định"), required=False)


class PostingCreateForm(_DecisionFields):
    """Bổ nhiệm: a posting typed by unit code; the role as people write it."""

    unit_code = forms.CharField(
        label=_("Mã đơn vị"), max_length=32, help_text=_("Mã đơn vị cấp xã, ví dụ 23500."), widget=UnitPicker
    )
    role = forms.CharField(label=_("Chức danh"), max_length=60, initial=_("Cán bộ, chiến sĩ"))
    start_date = _date_field(_("Từ ngày"))
    end_date = _date_field(_("Đến ngày"), required=False)
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)
    field_order = ["unit_code", "role", "start_date", "end_date", "decision_number", "decision_date", "reason"]


class TransferForm(_DecisionFields):
    """Điều động: the open posting ends the day before ``on``, the next starts on it."""

    unit_code = forms.CharField(label=_("Điều động đến (mã đơn vị)"), max_length=32, widget=UnitPicker)
    role = forms.CharField(label=_("Chức danh"), max_length=60, initial=_("Cán bộ, chiến sĩ"))
    on = _date_field(_("Từ ngày"))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)
    field_order = ["unit_code", "role", "on", "decision_number", "decision_date", "reason"]


class PostingEndForm(_DecisionFields):
    end_date = _date_field(_("Ngày kết thúc (ngày làm việc cuối cùng)"))
    end_reason = forms.ChoiceField(label=_("Lý do kết thúc"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)
    field_order = ["end_date", "end_reason", "decision_number", "decision_date", "note"]

    def __init__(self, *args, **kwargs):
        from cax.deployment.models import PostingEndReason

        super().__init__(*args, **kwargs)
        self.fields["end_reason"].choices = [c for c in PostingEndReason.choices if c[0] != PostingEndReason.TRANSFER]


class StatusChangeForm(_DecisionFields):
    status = forms.ChoiceField(label=_("Trạng thái mới"))
    on = _date_field(_("Có hiệu lực từ"))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)
    field_order = ["status", "on", "decision_number", "decision_date", "reason"]

    def __init__(self, *args, current: str = "", **kwargs):
        from cax.personnel.choices import OfficerStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in OfficerStatus.choices if c[0] != current]
