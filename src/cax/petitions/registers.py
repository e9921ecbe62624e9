"""How conferences and requests appear in lists, Excel and the API (see cax.core.records)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.accounts.roles import CHANGE_CONFERENCES, RAISE_PETITIONS
from cax.core.bounds import DayField, DayInput, OutOfRange, check_day
from cax.core.imports import parse_choice, parse_date, parse_int, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import YES_NO, Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register
from cax.petitions import services
from cax.petitions.models import Conference, Petition, Source, Status, Topic, overdue_q, unanswered_q
from cax.units.fields import UnitCodeField, unit_fields, units_by_code
from cax.units.kinds import is_department


class ConferenceForm(RecordForm):
    class Meta:
        model = Conference
        fields = ["unit", "title", "held_on", "place", "chaired_by", "note"]


class PetitionForm(RecordForm):
    class Meta:
        model = Petition
        fields = ["unit", "conference", "source", "source_ref", "raised_on", "topic", "text"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["conference"].queryset = Conference.objects.visible_to(actor).select_related("unit")
        self.fields["raised_on"].initial = timezone.localdate()


def _conferences_by_id(keys: set, actor) -> dict:
    return {c.pk: c for c in Conference.objects.visible_to(actor).filter(pk__in=keys).select_related("unit")}


def _overdue(queryset, value, day):
    return queryset.filter(overdue_q(day)) if value == "1" else queryset.exclude(overdue_q(day))


def _answered(queryset, value, day):
    """Answered by ``day`` (today unless the list is read as of a past day)."""
    return queryset.exclude(unanswered_q(day)) if value == "1" else queryset.filter(unanswered_q(day))


def _answered_since(queryset, value):
    """Answered on or after a day (ISO): the home page's "answered this week" opens this."""
    try:
        day = check_day(dt.date.fromisoformat(str(value)))
    except ValueError:
        message = _("“{v}” không phải là ngày (YYYY-MM-DD).").format(v=value)
        raise OutOfRange(message, fields={"answered_since": [message]}) from None
    return queryset.filter(status=Status.ANSWERED, answered_on__gte=day)


ANSWERED_RECENTLY_DAYS = (7, 30)


def answered_since_choices() -> list[tuple[str, str]]:
    """The usual values: the last week (what the home page links to) and the last month."""
    today = timezone.localdate()
    days = ANSWERED_RECENTLY_DAYS
    return [((today - dt.timedelta(days=n)).isoformat(), _("Trong {n} ngày qua").format(n=n)) for n in days]


def _on_spot(queryset, value):
    return queryset.filter(status=Status.ANSWERED, answered_on_spot=value == "1")


CONFERENCES = Register(
    model=Conference,
    name="conference",
    namespace="petitions",
    label=_("hội nghị"),
    label_plural=_("hội nghị lắng nghe ý kiến Công an xã"),
    view_perm="petitions.view_conference",
    change_perm=CHANGE_CONFERENCES,
    fields=[
        # The number a request's "Số hội nghị" cell names: shown, exported, and read back as the key.
        Field("id", _("Số hội nghị"), value=lambda c: c.pk),
        Field(
            "title",
            _("Tên hội nghị"),
            parse=parse_text(300),
            required=True,
            example="Hội nghị lắng nghe ý kiến của Công an xã năm 2025",
        ),
        Field("held_on", _("Ngày tổ chức"), parse=parse_date, required=True, example="15/08/2025"),
        Field(
            "unit",
            _("Mã đơn vị tổ chức"),
            value=lambda c: c.unit.code,
            parse=parse_text(32),
            lookup=units_by_code,
            required=True,
            example="51",
        ),
        Field("place", _("Địa điểm"), parse=parse_text(300)),
        Field("chaired_by", _("Chủ trì"), parse=parse_text(300), example="Giám đốc Công an tỉnh"),
        Field("note", _("Ghi chú"), parse=parse_text(5000), in_list=False),
    ],
    form_class=ConferenceForm,
    save=services.conference_save,
    natural_key=("unit", "title", "held_on"),
    date_field="held_on",
    detail_template="petitions/conference_detail.html",
    export_name="hoi-nghi",
)


def _conference_detail(request, conference) -> dict:
    petitions = (
        Petition.objects.visible_to(request.user)
        .filter(conference=conference)
        .select_related("unit", "assigned_department")
        .order_by("pk")
    )
    return {"petitions": petitions, "today": timezone.localdate()}


CONFERENCES.detail_context = _conference_detail

department_lookup = partial(units_by_code, kinds=is_department)


PETITIONS = Register(
    model=Petition,
    name="petition",
    namespace="petitions",
    label=_("kiến nghị"),
    label_plural=_("kiến nghị của Công an xã"),
    view_perm="petitions.view_petition",
    change_perm=RAISE_PETITIONS,
    fields=[
        Field("id", _("Số"), value=lambda p: p.pk),
        *unit_fields(_("Mã đơn vị kiến nghị"), _("Đơn vị kiến nghị"), required=True, code_in_list=False),
        Field("raised_on", _("Ngày kiến nghị"), parse=parse_date, required=True, example="15/08/2025"),
        Field(
            "topic", _("Lĩnh vực"), parse=parse_choice(Topic.choices), required=True, example="Chế độ báo cáo, giấy tờ"
        ),
        Field(
            "text",
            _("Nội dung kiến nghị"),
            parse=parse_text(5000),
            required=True,
            example="Đề nghị giảm số báo cáo ngày, thống nhất mẫu báo cáo",
        ),
        Field("source", _("Nguồn"), parse=parse_choice(Source.choices), in_list=False, example="Hội nghị"),
        Field(
            "conference",
            _("Số hội nghị"),
            value=lambda p: p.conference_id,
            api_type=int,
            parse=parse_int(1),
            lookup=_conferences_by_id,
            in_list=False,
        ),
        Field("source_ref", _("Số văn bản, nơi ghi nhận"), parse=parse_text(200), in_list=False),
        Field("status", _("Trạng thái")),
        Field(
            "assigned_department",
            _("Mã phòng được giao"),
            value=lambda p: p.assigned_department.code if p.assigned_department_id else None,
            parse=parse_text(32),
            lookup=department_lookup,
            in_list=False,
        ),
        Field(
            "department_name",
            _("Phòng được giao"),
            value=lambda p: p.assigned_department.name if p.assigned_department_id else "",
        ),
        Field("due_on", _("Hạn trả lời"), parse=parse_date),
        Field("answer", _("Nội dung trả lời"), parse=parse_text(5000), in_list=False),
        Field("answered_by", _("Người trả lời"), parse=parse_text(300), in_list=False),
        Field("answered_on", _("Ngày trả lời"), parse=parse_date),
        Field("answered_on_spot", _("Trả lời tại chỗ"), in_list=False),
        Field("reminders", _("Số lần nhắc"), in_list=False),
    ],
    form_class=PetitionForm,
    save=services.petition_save,
    filters=[
        field_filter("status", _("Trạng thái"), Status.choices),
        field_filter("topic", _("Lĩnh vực"), Topic.choices),
        field_filter("source", _("Nguồn"), Source.choices),
        Filter("answered", _("Đã trả lời"), YES_NO, _answered, dated=True),
        Filter("overdue", _("Quá hạn trả lời"), YES_NO, _overdue, dated=True),
        Filter("on_spot", _("Trả lời tại chỗ"), YES_NO, _on_spot),
        Filter("answered_since", _("Trả lời từ ngày"), answered_since_choices, _answered_since, other_values=True),
    ],
    select_related=("unit", "assigned_department", "conference"),
    date_field="raised_on",
    detail_template="petitions/petition_detail.html",
    export_name="kien-nghi",
    help_text=_(
        "Kiến nghị, đề xuất của Công an xã: trả lời tại chỗ, hoặc giao phòng nghiệp vụ nghiên cứu, trả lời "
        "trong hạn. Phòng được giao thấy kiến nghị trong danh sách của mình."
    ),
)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 4}))
    answered_by = forms.CharField(label=_("Người trả lời (họ tên, chức vụ)"), max_length=300)
    answered_on = DayField(label=_("Ngày trả lời"), required=False, widget=DayInput())


class AssignForm(forms.Form):
    department = forms.CharField(label=_("Mã phòng được giao"), max_length=32)
    due_on = DayField(label=_("Hạn trả lời"), widget=DayInput())
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = UnitCodeField(
            actor=actor, kinds=is_department, label=_("Mã phòng được giao"), help_text=""
        )


class RemindForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


def petition_detail_context(request, petition) -> dict:
    """Which actions the user may take on this request, with their forms."""
    from cax.petitions import policy

    user = request.user
    today = timezone.localdate()
    return {
        "today": today,
        "overdue": petition.is_overdue(today),
        "can_assign": policy.can_assign(user, petition),
        "can_answer": policy.can_answer(user, petition),
        "can_remind": policy.can_remind(user, petition),
        "assign_form": AssignForm(actor=user),
        "answer_form": AnswerForm(initial={"answered_by": user.full_name, "answered_on": today}),
        "remind_form": RemindForm(),
    }


PETITIONS.detail_context = petition_detail_context
