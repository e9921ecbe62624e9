"""How a managed person's file appears in the list, Excel (export and import) and the API
(cax.core.records), and the forms of the events. The list and the file's page are this app's own
views (views.py): the names they show are read through ``names_q``, an export asks a reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core.bounds import DayField, DayInput, MomentInput
from cax.core.imports import CellError, parse_date, parse_int, parse_text
from cax.core.records import filters as record_filters
from cax.core.records.fields import Field
from cax.core.records.filters import YES_NO, Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register
from cax.core.text import search_key
from cax.supervision import services
from cax.supervision.models import (
    CHANGE_FILES,
    VIEW_NAMES,
    Category,
    CourtOutcome,
    EventKind,
    Proposal,
    Status,
    SupervisionFile,
)
from cax.units.fields import unit_fields
from cax.units.kinds import is_commune_level


def categories_by_key(keys: set, actor) -> dict:
    """Categories named by code or by name (reference data, the same for everyone)."""
    found = {}
    for category in Category.objects.all():
        for key in keys:
            if key in (category.code, category.name) or search_key(key) == search_key(category.name):
                found[key] = category
    return found


def parse_items(value: Any) -> list[str]:
    """Dossier items separated by ";" (an item's own name may hold a comma)."""
    text = "" if value is None else str(value)
    return [item.strip() for item in text.split(";") if item.strip()]


def parse_term(value: Any) -> int:
    number = parse_int(0, 600)(value)
    if number is None:
        raise CellError(_("thiếu giá trị"))
    return number


def _identity(key: str):
    def value(file):
        identity = getattr(file, "identity", None)
        return getattr(identity, key, None) if identity is not None else None

    return value


def category_choices() -> list[tuple[str, str]]:
    return [(str(c.pk), c.name) for c in Category.objects.order_by("sort_order", "code")]


def _overdue(queryset, value, day):
    has = Q(duties__due_on__lt=day)
    late = queryset.filter(pk__in=SupervisionFile.objects.filter(has).values("pk"))
    return late if value == "1" else queryset.exclude(pk__in=late.values("pk"))


DUE_WITHIN = [("7", _("Trong 7 ngày")), ("30", _("Trong 30 ngày"))]


def _due_within(queryset, value, day):
    """A duty falling due from ``day`` within ``value`` days (the home page's line opens this)."""
    import datetime as dt

    last = day + dt.timedelta(days=int(value))
    soon = SupervisionFile.objects.filter(duties__due_on__gte=day, duties__due_on__lte=last).values("pk")
    return queryset.filter(pk__in=soon)


class FileForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    personal_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    date_of_birth = DayField(label=_("Ngày sinh"), required=False, widget=DayInput())
    address = forms.CharField(label=_("Nơi cư trú"), max_length=500, required=False)
    dossier = forms.MultipleChoiceField(
        label=_("Hồ sơ đã có"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = SupervisionFile
        fields = [
            "unit",
            "category",
            "decision_number",
            "decision_date",
            "issuer",
            "legal_basis",
            "received_on",
            "start_date",
            "term_months",
            "term_days",
            "custody_days",
            "supervisor",
        ]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        items = sorted({item for c in Category.objects.all() for item in c.dossier_items})
        self.fields["dossier"].choices = [(i, i) for i in items]
        identity = getattr(self.instance, "identity", None) if self.instance.pk else None
        if identity is not None:
            for key in ("full_name", "personal_id", "date_of_birth", "address"):
                self.fields[key].initial = getattr(identity, key)
            self.fields["dossier"].initial = list(self.instance.dossier or [])
        if not self.instance.pk:
            self.fields["received_on"].initial = timezone.localdate()


class FileRegister(Register):
    """The files' register: its search box finds a person by name or personal ID (the identity
    table) or a file by its decision number, diacritics ignored."""

    def search(self, actor, params):
        q = (params.get("q") or "").strip()
        rest = {k: params.get(k) for k in params if k != "q"}
        qs = record_filters.search(self, actor, rest)
        for word in search_key(q).split():
            qs = qs.filter(Q(identity__search_key__contains=word) | Q(search_key__contains=word))
        return qs


FILES = FileRegister(
    model=SupervisionFile,
    name="file",
    namespace="supervision",
    label=_("hồ sơ đối tượng"),
    label_plural=_("đối tượng quản lý"),
    view_perm=VIEW_NAMES,
    change_perm=CHANGE_FILES,
    fields=[
        *unit_fields(_("Mã Công an xã"), _("Công an xã quản lý"), kinds=is_commune_level, required=True),
        Field(
            "full_name",
            _("Họ và tên"),
            value=_identity("full_name"),
            parse=parse_text(200),
            required=True,
            example="Nguyễn Văn A",
            api_type=str,
        ),  # fmt: skip
        Field(
            "personal_id",
            _("Số định danh cá nhân"),
            value=_identity("personal_id"),
            parse=parse_text(20),
            example="051090001234",
            api_type=str,
        ),  # fmt: skip
        Field(
            "date_of_birth",
            _("Ngày sinh"),
            value=_identity("date_of_birth"),
            parse=parse_date,
            in_list=False,
            example="01/05/1990",
        ),  # fmt: skip
        Field(
            "address", _("Nơi cư trú"), value=_identity("address"), parse=parse_text(500), in_list=False, api_type=str
        ),  # fmt: skip
        Field(
            "category",
            _("Loại đối tượng"),
            value=lambda f: f.category.name,
            parse=parse_text(200),
            lookup=categories_by_key,
            required=True,
            example="Người được hưởng án treo",
            api_type=str,
        ),  # fmt: skip
        Field(
            "decision_number", _("Số quyết định, bản án"), parse=parse_text(100), required=True, example="12/2026/QĐ-CA"
        ),  # fmt: skip
        Field("decision_date", _("Ngày quyết định"), parse=parse_date, required=True, example="10/01/2026"),
        Field(
            "issuer",
            _("Cơ quan ra quyết định"),
            parse=parse_text(300),
            required=True,
            in_list=False,
            example="Tòa án nhân dân khu vực 1",
        ),  # fmt: skip
        Field("legal_basis", _("Căn cứ pháp lý"), parse=parse_text(500), in_list=False),
        Field(
            "received_on",
            _("Ngày nhận quyết định"),
            parse=parse_date,
            required=True,
            in_list=False,
            example="12/01/2026",
        ),  # fmt: skip
        Field("start_date", _("Ngày bắt đầu"), parse=parse_date, required=True, example="15/01/2026"),
        Field("term_months", _("Thời hạn (tháng)"), parse=parse_term, in_list=False, example="12"),
        Field("term_days", _("Thời hạn (ngày)"), parse=parse_term, in_list=False, example="0"),
        Field("custody_days", _("Số ngày tạm giữ, tạm giam được trừ"), parse=parse_term, in_list=False, example="0"),
        Field("end_date", _("Ngày hết hạn")),
        Field("supervisor", _("Người được giao giám sát, giáo dục"), parse=parse_text(200), in_list=False),
        Field("status", _("Trạng thái")),
        Field("violations", _("Số lần vi phạm"), in_list=False),
        Field(
            "dossier",
            _("Hồ sơ đã có"),
            value=lambda f: "; ".join(f.dossier or []),
            parse=parse_items,
            in_list=False,
            api_type=str,
        ),  # fmt: skip
    ],
    form_class=FileForm,
    save=services.file_save,
    filters=[
        Filter("category", _("Loại đối tượng"), category_choices, lambda qs, v: qs.filter(category_id=v)),
        field_filter("status", _("Trạng thái"), Status.choices),
        Filter("overdue", _("Có nghĩa vụ quá hạn"), YES_NO, _overdue, dated=True),
        Filter("due_within", _("Nghĩa vụ đến hạn"), DUE_WITHIN, _due_within, dated=True),
    ],
    natural_key=("unit", "category", "decision_number"),
    select_related=("unit", "category", "identity"),
    date_field="start_date",
    export_name="doi-tuong-quan-ly",
    help_text=_(
        "Người chấp hành án, biện pháp tại cộng đồng do Công an xã quản lý. Chỉ Công an xã quản lý và "
        "phòng nghiệp vụ phụ trách xem được họ tên; mỗi lần mở hồ sơ, xuất danh sách đều ghi nhật ký."
    ),
)


# -- the forms of the events --------------------------------------------------------------------------


def _day(label, **kwargs):
    return DayField(label=label, widget=DayInput(), **kwargs)


class EventForm(forms.Form):
    on = _day(_("Ngày"))
    document_ref = forms.CharField(label=_("Số văn bản, biên bản"), max_length=200, required=False)
    note = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"on": data["on"], "note": data.get("note", ""), "document_ref": data.get("document_ref", "")}


class AbsenceForm(EventForm):
    first_day = _day(_("Vắng từ ngày"))
    last_day = _day(_("Đến ngày"))
    destination = forms.CharField(label=_("Nơi đến"), max_length=300)
    reason = forms.CharField(label=_("Lý do"), max_length=300)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        extra = {k: data[k] for k in ("first_day", "last_day", "destination", "reason")}
        return {**super().service_kwargs(), "data": extra}


class ProposalForm(EventForm):
    outcome = forms.ChoiceField(label=_("Nội dung đề nghị"), choices=Proposal.choices)

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "outcome": self.cleaned_data["outcome"]}


class CourtForm(EventForm):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=CourtOutcome.choices)
    term_months = forms.IntegerField(label=_("Thời hạn mới (tháng)"), min_value=0, max_value=600, required=False)
    term_days = forms.IntegerField(label=_("Thời hạn mới (ngày)"), min_value=0, max_value=600, required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        extra = {"term_months": data.get("term_months"), "term_days": data.get("term_days") or 0}
        return {**super().service_kwargs(), "outcome": data["outcome"], "data": extra}


class EndForm(EventForm):
    early = forms.BooleanField(label=_("Kết thúc trước hạn (theo quyết định)"), required=False)

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "data": {"early": bool(self.cleaned_data.get("early"))}}


EVENT_FORMS: dict[str, type[EventForm]] = {
    EventKind.ABSENCE: AbsenceForm,
    EventKind.PROPOSAL: ProposalForm,
    EventKind.COURT_DECISION: CourtForm,
    EventKind.END: EndForm,
}
# The kinds a user records by hand (a move has its own form; the acceptance and reminders are the system's).
RECORDED_KINDS = [
    EventKind.RECEPTION,
    EventKind.COMMITMENT,
    EventKind.REPORT,
    EventKind.ASSESSMENT,
    EventKind.RESIDENCE_CHECK,
    EventKind.INCOME_DEDUCTION,
    EventKind.ABSENCE,
    EventKind.RETURN,
    EventKind.VIOLATION,
    EventKind.PROPOSAL,
    EventKind.COURT_DECISION,
    EventKind.END,
]


def event_form(kind: str, *args, **kwargs) -> EventForm:
    return EVENT_FORMS.get(kind, EventForm)(*args, **kwargs)


class HandoverForm(forms.Form):
    to_unit = forms.CharField(
        label=_("Mã Công an xã nơi đến"), max_length=32, help_text=_("Mã đơn vị hành chính, ví dụ 23293.")
    )
    moved_at = forms.DateTimeField(
        label=_("Chuyển đi lúc"),
        widget=MomentInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    new_address = forms.CharField(label=_("Nơi cư trú mới"), max_length=500, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moved_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=300,
        help_text=_("Ghi vào nhật ký truy cập cùng tên bạn và thời điểm."),
    )
