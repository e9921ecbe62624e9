from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core.bounds import DayField, DayInput, MomentInput
from cax.core.uploads import LimitedFileField
from cax.reports import periods
from cax.reports.models import ReportForm, Status


def period_choices(form: ReportForm, count: int = 60) -> list[tuple[str, str]]:
    return [(p.key, p.label()) for p in periods.recent(form.periodicity, form.calendar, timezone.localdate(), count)]


class RangeForm(forms.Form):
    """Which form and which periods: the selectors of the completeness and roll-up pages."""

    form = forms.ChoiceField(label=_("Biểu mẫu"))
    first = forms.CharField(label=_("Từ kỳ"))
    last = forms.CharField(label=_("Đến kỳ"))

    def __init__(self, data, *, report_forms: list[ReportForm], **kwargs):
        data = data.copy()
        super().__init__(data, **kwargs)
        self.fields["form"].choices = [(f.code, f.name) for f in report_forms]
        code = data.get("form") or (report_forms[0].code if report_forms else "")
        self.report_form = next((f for f in report_forms if f.code == code), report_forms[0] if report_forms else None)
        if self.report_form is None:
            return
        self.is_daily = self.report_form.periodicity == periods.DAILY
        today = timezone.localdate()
        current = self.report_form.period_of(today)
        default_first = self.report_form.period_of(today.replace(day=1)) if self.is_daily else current
        data.setdefault("form", self.report_form.code)
        data.setdefault("first", default_first.start.isoformat() if self.is_daily else default_first.key)
        data.setdefault("last", current.start.isoformat() if self.is_daily else current.key)
        if self.is_daily:
            for name in ("first", "last"):
                self.fields[name].widget = DayInput()
        else:
            choices = period_choices(self.report_form)
            for name in ("first", "last"):
                self.fields[name].widget = forms.Select(choices=choices)
        self.data = data


class SplitRangeForm(RangeForm):
    split = forms.BooleanField(label=_("Tách theo kỳ (theo tháng với báo cáo ngày)"), required=False)


class SubmissionFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm đơn vị"), required=False)
    form = forms.ModelChoiceField(
        label=_("Biểu mẫu"), queryset=ReportForm.objects.all(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=[("", "—"), *Status.choices], required=False)
    first = DayField(label=_("Kỳ bắt đầu từ ngày"), required=False, widget=DayInput())
    last = DayField(label=_("đến ngày"), required=False, widget=DayInput())
    late_only = forms.BooleanField(label=_("Chỉ báo cáo muộn"), required=False)

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "form": data.get("form"),
            "status": data.get("status") or "",
            "first": data.get("first"),
            "last": data.get("last"),
            "late_only": bool(data.get("late_only")),
        }


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Lý do trả lại, nội dung cần sửa"), widget=forms.Textarea(attrs={"rows": 3}))


class LockExceptionForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Cho phép đến"),
        widget=MomentInput(),
    )
    reason = forms.CharField(label=_("Lý do mở khóa"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = timezone.localtime() + dt.timedelta(days=2)


class ExchangeUploadForm(forms.Form):
    file = LimitedFileField(label=_("Tệp CSV hoặc JSON (dataValueSets)"), limit="CAX_IMPORT_MAX_BYTES")
