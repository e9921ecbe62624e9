"""The action forms of a dossier's page: complete, resolve, apology slip (thin: services decide)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core.bounds import MomentInput
from cax.procedures.models import Outcome


def _moment(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=MomentInput(),
    )


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


class CompleteForm(forms.Form):
    complete_at = _moment(_("Thời điểm hồ sơ đầy đủ, hợp lệ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complete_at"].initial = _now


class ResolveForm(forms.Form):
    resolved_at = _moment(_("Thời điểm trả kết quả"))
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices)
    note = forms.CharField(label=_("Lý do từ chối / ghi chú"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolved_at"].initial = _now


class ApologyForm(forms.Form):
    new_due_at = _moment(_("Ngày hẹn trả kết quả mới"))
    reason = forms.CharField(label=_("Lý do chậm"), max_length=500)


class PersonForm(forms.Form):
    person_name = forms.CharField(label=_("Họ tên"), max_length=200)
    person_id_number = forms.CharField(label=_("Số định danh cá nhân / số hộ chiếu"), max_length=20, required=False)
