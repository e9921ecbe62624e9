from django import forms
from django.utils.translation import gettext_lazy as _

from cax.accounts.forms import AnyUnitCodeField
from cax.cases.choices import (
    AttachmentKind,
    Channel,
    Kind,
    NonProsecutionGround,
    ReporterKind,
    Status,
    SuspensionGround,
)
from cax.cases.models import OffenceCategory, ReceivingBody
from cax.core.bounds import DayField, MomentInput
from cax.core.uploads import LimitedFileField
from cax.personnel.models import Officer

ALL = [("", _("Tất cả"))]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm trong nội dung"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=ALL + list(Status.choices))
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=ALL + list(Kind.choices))
    received_from = DayField(label=_("Tiếp nhận từ ngày"), required=False)
    received_to = DayField(label=_("đến ngày"), required=False)
    overdue = forms.BooleanField(label=_("Quá hạn"), required=False)
    due_within_days = forms.IntegerField(label=_("Đến hạn trong (ngày)"), required=False, min_value=0, max_value=365)
    procuracy_overdue = forms.BooleanField(label=_("Quá hạn gửi Viện kiểm sát"), required=False)
    as_of = DayField(
        label=_("Hạn tính đến ngày"),
        required=False,
        help_text=_("Để trống: bây giờ. Ngày đã qua: tình trạng cuối ngày đó"),
    )

    def selector_kwargs(self) -> dict:
        return {k: v for k, v in (self.cleaned_data if self.is_valid() else {}).items() if v not in (None, "", False)}


class CaseRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại nguồn tin"), choices=Kind.choices)
    channel = forms.ChoiceField(label=_("Hình thức tiếp nhận"), choices=Channel.choices)
    received_at = forms.DateTimeField(label=_("Thời điểm tiếp nhận"), widget=MomentInput())
    reporter_kind = forms.ChoiceField(label=_("Người báo tin là"), choices=ReporterKind.choices)
    reporter_name = forms.CharField(label=_("Họ tên / tên cơ quan"), max_length=200)
    reporter_id_number = forms.CharField(label=_("Số định danh / CCCD"), max_length=20, required=False)
    reporter_contact = forms.CharField(label=_("Liên hệ"), max_length=200, required=False)
    reporter_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    is_confidential = forms.BooleanField(label=_("Người báo tin yêu cầu giữ bí mật"), required=False)
    summary = forms.CharField(label=_("Nội dung tóm tắt"), widget=forms.Textarea(attrs={"rows": 4}))
    incident_at = forms.DateTimeField(label=_("Thời điểm xảy ra"), required=False, widget=MomentInput())
    category = forms.ModelChoiceField(label=_("Nhóm tội danh"), queryset=OffenceCategory.objects.all(), required=False)
    incident_unit = AnyUnitCodeField(
        label=_("Mã đơn vị nơi xảy ra"), required=False, help_text=_("Để trống nếu xảy ra tại địa bàn tiếp nhận")
    )
    receiving_officer = forms.ModelChoiceField(
        label=_("Cán bộ tiếp nhận"), queryset=Officer.objects.none(), required=False
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["receiving_officer"].queryset = officers


# What each step asks for besides the time and a note; the form shows only these, so an officer on a
# phone sees two or three boxes, not all eleven. The service still checks each step (workflow.REQUIRED).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    Status.TRANSFERRED: ("to_unit", "to_body", "transferred_to"),
    Status.EXTENDED: ("new_due", "extended_by", "requested_at"),
    Status.NOT_PROSECUTED: ("non_prosecution_ground",),
    Status.SUSPENDED: ("suspension_ground",),
}
COMMON_STEP_FIELDS = ("to_status", "version", "at", "note")


def chosen_step(allowed, wanted: str | None) -> str | None:
    """The step whose form is shown: the one asked for if it may follow, else the first that may."""
    if wanted in allowed:
        return wanted
    return min(allowed) if allowed else None


class StepChoiceForm(forms.Form):
    """Picks the step; its form then carries only that step's fields (GET, so it works without JS)."""

    step = forms.ChoiceField(label=_("Bước tiếp theo"), choices=())

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s, Status(s).label) for s in sorted(allowed)]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(widget=forms.HiddenInput, choices=Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    at = forms.DateTimeField(
        label=_("Thời điểm"), required=False, widget=MomentInput(), help_text=_("Để trống: bây giờ")
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    to_unit = AnyUnitCodeField(
        label=_("Chuyển đến đơn vị trong CAX (mã)"),
        required=False,
        help_text=_("Nguồn tin được ghi vào sổ của đơn vị nhận; hạn của đơn vị chuyển dừng lại"),
    )
    to_body = forms.ModelChoiceField(
        label=_("hoặc cơ quan ngoài CAX"), queryset=ReceivingBody.objects.filter(is_active=True), required=False
    )
    transferred_to = forms.CharField(label=_("Ghi rõ cơ quan nhận"), required=False, max_length=150)
    new_due = forms.DateTimeField(label=_("Hạn mới (gia hạn)"), widget=MomentInput())
    extended_by = forms.ChoiceField(
        label=_("Gia hạn bởi"),
        choices=[("", "—"), ("investigation", _("Cơ quan điều tra")), ("procuracy", _("Viện kiểm sát"))],
    )
    requested_at = forms.DateTimeField(label=_("Ngày gửi đề nghị gia hạn"), required=False, widget=MomentInput())
    non_prosecution_ground = forms.ChoiceField(
        label=_("Căn cứ không khởi tố (Điều 157)"), choices=[("", "—"), *NonProsecutionGround.choices]
    )
    suspension_ground = forms.ChoiceField(
        label=_("Căn cứ tạm đình chỉ (Điều 148)"), choices=[("", "—"), *SuspensionGround.choices]
    )

    def __init__(self, *args, allowed=(), step: str | None = None, **kwargs):
        """The form of one ``step`` (one of ``allowed``): the other steps' fields are dropped, so they
        are neither shown nor validated; a submitted step that may not follow is refused."""
        super().__init__(*args, **kwargs)
        self.step = step
        self.allowed_choices = [(s, Status(s).label) for s in sorted(allowed)]
        self.initial.setdefault("to_status", step)
        keep = set(COMMON_STEP_FIELDS) | set(STEP_FIELDS.get(step or "", ()))
        for name in [name for name in self.fields if name not in keep]:
            del self.fields[name]

    def clean(self):
        data = super().clean()
        wanted = data.get("to_status")
        if wanted and wanted != self.step:
            # A stale page (the case moved on since) or a hand-made request: say what may follow now.
            raise forms.ValidationError(
                _("Không thể chuyển sang “{b}” lúc này. Bước tiếp theo hợp lệ: {n}.").format(
                    b=Status(wanted).label,
                    n=", ".join(str(label) for _value, label in self.allowed_choices) or "—",
                )
            )
        return data


class ProcuracyNoticeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    at = forms.DateTimeField(
        label=_("Thời điểm gửi"), required=False, widget=MomentInput(), help_text=_("Để trống: bây giờ")
    )
    note = forms.CharField(label=_("Số văn bản, ghi chú"), required=False, max_length=500)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tệp"), choices=AttachmentKind.choices)
    file = LimitedFileField(label=_("Tệp"), limit="CAX_ATTACHMENT_MAX_BYTES")
