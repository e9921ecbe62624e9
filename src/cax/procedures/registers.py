"""How dossiers and notices appear in lists, Excel and the API (see cax.core.records).

No column holds a person's name or number: the export file leaves CAX, the name does not. Names are
entered on the receiving form (or the API's ``person_*`` keys) and read on the record's page, by
the managing commune only, every read logged (services.identity_reveal).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core.bounds import MomentInput
from cax.core.imports import parse_choice, parse_date, parse_datetime, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import YES_NO, Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register
from cax.procedures import policy, services
from cax.procedures.models import (
    Channel,
    Declaration,
    Dossier,
    Kind,
    Outcome,
    ProcedureType,
    due_between_q,
    overdue_q,
)
from cax.units.fields import unit_fields
from cax.units.kinds import is_commune_level

CHANGE_DOSSIERS, CHANGE_DECLARATIONS = policy.CHANGE_DOSSIERS, policy.CHANGE_DECLARATIONS


def _moment_input() -> MomentInput:
    return MomentInput()


def procedures_by_code(keys: set, actor, *, kind: str) -> dict:
    return {p.code: p for p in ProcedureType.objects.filter(code__in=keys, kind=kind)}


def procedure_choices(kind: str):
    def choices():
        return [(p.code, p.name) for p in ProcedureType.objects.filter(kind=kind, is_active=True)]

    return choices


def _procedure(queryset, value):
    return queryset.filter(procedure__code=value)


def _moment(day: dt.date) -> dt.datetime:
    """The state "on ``day``": now for today, the end of a past day (the list read as of a date)."""
    if day >= timezone.localdate():
        return timezone.now()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=timezone.get_current_timezone())


def _overdue(queryset, value, day):
    q = overdue_q(_moment(day))
    return queryset.filter(q) if value == "1" else queryset.exclude(q)


def _open(queryset, value):
    return queryset.filter(resolved_at__isnull=value == "1")


def _on_time(queryset, value):
    resolved = queryset.filter(resolved_at__isnull=False, due_at__isnull=False)
    on_time = Q(resolved_at__lte=F("due_at"))
    return resolved.filter(on_time) if value == "1" else resolved.exclude(on_time)


def _due_today(queryset, value, day):
    """Open and due in what is left of ``day`` (the home page's "due today" opens this)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())
    end = start + dt.timedelta(days=1)
    q = due_between_q(max(start, min(timezone.now(), end)), end)
    return queryset.filter(q) if value == "1" else queryset.exclude(q)


def _online(queryset, value):
    from cax.procedures.models import ONLINE

    return queryset.filter(channel__in=ONLINE) if value == "1" else queryset.exclude(channel__in=ONLINE)


def _late(queryset, value):
    late = Q(declared_at__gt=F("due_at"))
    return queryset.filter(late) if value == "1" else queryset.exclude(late)


class _PersonFields(forms.Form):
    """The person's facts on the receiving form only: an edit never shows a stored name."""

    person_name = forms.CharField(label=_("Họ tên"), max_length=200, required=False)
    person_id_number = forms.CharField(label=_("Số định danh cá nhân / số hộ chiếu"), max_length=20, required=False)


class DossierForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = Dossier
        fields = ["unit", "procedure", "channel", "reference", "received_at", "complete_at", "note"]
        widgets = {"received_at": _moment_input(), "complete_at": _moment_input()}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["procedure"].queryset = ProcedureType.objects.filter(kind=Kind.DOSSIER, is_active=True)
        if not self.instance.pk:
            self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            self.fields.update(_PersonFields().fields)
            self.fields["person_name"].label = _("Họ tên người nộp")


class DeclarationForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = Declaration
        fields = ["unit", "procedure", "channel", "place", "host", "stay_from", "stay_to", "arrived_at", "declared_at"]
        widgets = {"arrived_at": _moment_input(), "declared_at": _moment_input()}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["procedure"].queryset = ProcedureType.objects.filter(kind=Kind.DECLARATION, is_active=True)
        if not self.instance.pk:
            self.fields["declared_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            self.fields.update(_PersonFields().fields)
            self.fields["person_name"].label = _("Họ tên người lưu trú")
            self.fields["person_nationality"] = forms.CharField(
                label=_("Quốc tịch (người nước ngoài)"), max_length=60, required=False
            )


def _on_time_label(dossier: Dossier) -> str:
    if dossier.on_time is None:
        return str(_("Quá hạn")) if dossier.is_overdue() else ""
    return str(_("Đúng hạn")) if dossier.on_time else str(_("Trễ hạn"))


def _procedure_fields(kind: str, code_label, name_label, example: str) -> list[Field]:
    return [
        Field(
            "procedure",
            code_label,
            value=lambda obj: obj.procedure.code,
            parse=parse_text(40),
            lookup=partial(procedures_by_code, kind=kind),
            required=True,
            example=example,
        ),
        Field("procedure_name", name_label, value=lambda obj: obj.procedure.name),
    ]


DOSSIERS = Register(
    model=Dossier,
    name="dossier",
    namespace="procedures",
    label=_("hồ sơ thủ tục hành chính"),
    label_plural=_("hồ sơ thủ tục hành chính"),
    view_perm="procedures.view_dossier",
    change_perm=CHANGE_DOSSIERS,
    fields=[
        *unit_fields(_("Mã Công an xã"), _("Công an xã"), kinds=is_commune_level, required=True, code_in_list=False),
        *_procedure_fields(Kind.DOSSIER, _("Mã thủ tục"), _("Thủ tục"), "thuong-tru"),
        Field("reference", _("Số hồ sơ"), parse=parse_text(40), example="HS-261204-0001"),
        Field("channel", _("Hình thức nộp"), parse=parse_choice(Channel.choices), required=True, example="Trực tiếp"),
        Field("received_at", _("Thời điểm tiếp nhận"), parse=parse_datetime, required=True, example="04/12/2026 08:30"),
        Field("complete_at", _("Thời điểm hồ sơ đầy đủ"), parse=parse_datetime, example="04/12/2026 08:45"),
        Field("due_at", _("Hạn trả kết quả")),
        Field("promised_at", _("Ngày hẹn lại"), in_list=False),
        Field("resolved_at", _("Thời điểm trả kết quả"), parse=parse_datetime),
        Field("outcome", _("Kết quả"), parse=parse_choice(Outcome.choices)),
        Field("on_time", _("Đúng hạn / trễ hạn"), value=_on_time_label),
        Field("outcome_note", _("Lý do từ chối / ghi chú kết quả"), parse=parse_text(500), in_list=False),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=DossierForm,
    save=services.dossier_save,
    filters=[
        Filter("procedure", _("Thủ tục"), procedure_choices(Kind.DOSSIER), _procedure),
        field_filter("channel", _("Hình thức nộp"), Channel.choices),
        field_filter("outcome", _("Kết quả"), Outcome.choices),
        Filter("open", _("Đang giải quyết"), YES_NO, _open),
        Filter("overdue", _("Quá hạn"), YES_NO, _overdue, dated=True),
        Filter("due_today", _("Đến hạn trong ngày"), YES_NO, _due_today, dated=True),
        Filter("on_time", _("Trả kết quả đúng hạn"), YES_NO, _on_time),
        Filter("online", _("Nộp trực tuyến"), YES_NO, _online),
    ],
    select_related=("unit", "procedure"),
    date_field="received_at__date",
    detail_template="procedures/dossier_detail.html",
    export_name="ho-so-tthc",
    help_text=_(
        "Hồ sơ thủ tục hành chính tại Công an xã: thời hạn giải quyết tính từ khi hồ sơ đầy đủ, hợp lệ, "
        "theo ngày làm việc (trừ ngày nghỉ lễ). Họ tên người nộp chỉ hiện ở trang hồ sơ, cho Công an xã quản lý."
    ),
)


DECLARATIONS = Register(
    model=Declaration,
    name="declaration",
    namespace="procedures",
    label=_("thông báo lưu trú, khai báo tạm trú"),
    label_plural=_("thông báo lưu trú, khai báo tạm trú của người nước ngoài"),
    view_perm="procedures.view_declaration",
    change_perm=CHANGE_DECLARATIONS,
    fields=[
        *unit_fields(_("Mã Công an xã"), _("Công an xã"), kinds=is_commune_level, required=True, code_in_list=False),
        *_procedure_fields(Kind.DECLARATION, _("Mã loại thông báo"), _("Loại thông báo"), "luu-tru"),
        Field("place", _("Nơi lưu trú"), parse=parse_text(300), required=True, example="Thôn 1, xã Đăk Hà"),
        Field("host", _("Chủ hộ / cơ sở lưu trú"), parse=parse_text(200), example="Nhà nghỉ Hoa Mai"),
        Field("stay_from", _("Lưu trú từ ngày"), parse=parse_date, required=True, example="04/12/2026"),  # fmt: skip
        Field("stay_to", _("Đến ngày"), parse=parse_date),
        Field("arrived_at", _("Thời điểm đến"), parse=parse_datetime, required=True, example="04/12/2026 19:30"),
        Field("declared_at", _("Thời điểm thông báo"), parse=parse_datetime, required=True, example="04/12/2026 20:10"),
        Field("channel", _("Hình thức"), parse=parse_choice(Channel.choices), required=True, example="Ứng dụng VNeID"),
        Field("due_at", _("Hạn thông báo")),
        Field("late", _("Thông báo muộn"), value=lambda d: d.is_late, api_type=bool),
    ],
    form_class=DeclarationForm,
    save=services.declaration_save,
    filters=[
        Filter("procedure", _("Loại thông báo"), procedure_choices(Kind.DECLARATION), _procedure),
        field_filter("channel", _("Hình thức"), Channel.choices),
        Filter("late", _("Thông báo muộn"), YES_NO, _late),
    ],
    select_related=("unit", "procedure"),
    date_field="declared_at__date",
    detail_template="procedures/declaration_detail.html",
    export_name="luu-tru",
    help_text=_(
        "Thông báo lưu trú (trước 23 giờ ngày bắt đầu lưu trú) và khai báo tạm trú của người nước ngoài "
        "(trong 12 giờ, vùng sâu vùng xa 24 giờ): đối chiếu với hạn theo quy định."
    ),
)


def dossier_detail_context(request, dossier) -> dict:
    """The applicant's name for the managing commune (the read is logged), the slips, the actions."""
    from cax.procedures.forms import ApologyForm, CompleteForm, ResolveForm

    user = request.user
    can_handle = policy.can_handle(user, dossier)
    return {
        "identity": services.identity_reveal(actor=user, person=dossier.applicant, channel="web"),
        "apologies": list(dossier.apologies.order_by("issued_at", "pk")),
        "overdue": dossier.is_overdue(),
        "can_complete": can_handle and dossier.complete_at is None and dossier.resolved_at is None,
        "can_resolve": can_handle and dossier.complete_at is not None and dossier.resolved_at is None,
        "can_apologize": can_handle and dossier.complete_at is not None and dossier.resolved_at is None,
        "complete_form": CompleteForm(),
        "resolve_form": ResolveForm(),
        "apology_form": ApologyForm(),
    }


def declaration_detail_context(request, declaration) -> dict:
    return {"identity": services.identity_reveal(actor=request.user, person=declaration.person, channel="web")}


DOSSIERS.detail_context = dossier_detail_context
DECLARATIONS.detail_context = declaration_detail_context
DOSSIERS.select_related = ("unit", "procedure", "applicant")
DECLARATIONS.select_related = ("unit", "procedure", "person")
