"""How courses and participants appear in lists, Excel and the API (cax.core.records)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from cax.core.imports import parse_bool, parse_choice, parse_date, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import YES_NO, Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register, rows_for
from cax.grassroots.registers import members_by_id_number, parse_id_number, parse_period
from cax.personnel.lookups import OfficerNumberField, officers_by_number
from cax.training import services
from cax.training.models import Course, Participant, Result, Topic
from cax.units.fields import unit_fields


def _overlapping(queryset, value):
    first, last = parse_period(value)
    return queryset.filter(starts_on__lte=last, ends_on__gte=first)


# -- courses -----------------------------------------------------------------------------------


class CourseRegister(Register):
    def queryset(self, actor, action: str = "view"):
        return (
            super()
            .queryset(actor, action)
            .annotate(
                participant_count=Count("participants"),
                completed_count=Count("participants", filter=Q(participants__completed=True)),
            )
        )

    def existing(self, actor, data: dict):
        if not data.get("code"):
            return None
        return rows_for(Course, actor).filter(code=data["code"]).first()


class CourseForm(RecordForm):
    class Meta:
        model = Course
        fields = ["unit", "code", "title", "topic", "language", "starts_on", "ends_on", "place", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Để trống: hệ thống tự đặt theo mã đơn vị và năm.")


COURSES = CourseRegister(
    model=Course,
    name="course",
    namespace="training",
    label=_("khoá đào tạo, tập huấn"),
    label_plural=_("khoá đào tạo, tập huấn"),
    view_perm="training.view_course",
    change_perm="training.change_course",
    fields=[
        Field(
            "title", _("Tên khoá học"), parse=parse_text(250), required=True, example="Học tiếng Xơ Đăng khoá 1/2025"
        ),
        Field("code", _("Mã khoá học"), parse=parse_text(40), example="51-2025-001"),
        *unit_fields(_("Mã đơn vị tổ chức"), _("Đơn vị tổ chức"), required=True, example="51"),
        Field("topic", _("Chủ đề"), parse=parse_choice(Topic.choices), required=True, example="Tiếng dân tộc thiểu số"),
        Field("language", _("Tiếng dân tộc"), parse=parse_text(50), example="Xơ Đăng"),
        Field("starts_on", _("Từ ngày"), parse=parse_date, required=True, example="03/03/2025"),
        Field("ends_on", _("Đến ngày"), parse=parse_date, required=True, example="30/05/2025"),
        Field("place", _("Địa điểm"), parse=parse_text(250), in_list=False),
        Field(
            "participant_count", _("Số học viên"), value=lambda c: getattr(c, "participant_count", None), api_type=int
        ),
        Field("completed_count", _("Số hoàn thành"), value=lambda c: getattr(c, "completed_count", None), api_type=int),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=CourseForm,
    save=services.course_save,
    filters=[
        field_filter("topic", _("Chủ đề"), Topic.choices),
        Filter("period", _("Diễn ra trong năm"), lambda: _years(), _overlapping, other_values=True),
    ],
    select_related=("unit",),
    # Meta.ordering does not survive the counts' GROUP BY: the list needs its own for stable pages.
    ordering=("-starts_on", "code"),
    detail_template="training/course_detail.html",
    export_name="khoa-dao-tao",
)


def _years():
    import datetime as dt

    year = dt.date.today().year
    return [(str(y), str(y)) for y in range(year, year - 6, -1)]


def _course_context(request, course) -> dict:
    participants = (
        Participant.objects.visible_to(request.user)
        .filter(course=course)
        .select_related("officer", "team_member__team")
        .order_by("pk")
    )
    return {"participants": list(participants), "participant_register": PARTICIPANTS}


COURSES.detail_context = _course_context


# -- participants ------------------------------------------------------------------------------


def courses_by_code(keys: set, actor) -> dict:
    return {c.code: c for c in rows_for(Course, actor).filter(code__in=keys).select_related("unit")}


class ParticipantRegister(Register):
    def existing(self, actor, data: dict):
        course = data.get("course")
        if course is None:
            return None
        people = Participant.objects.filter(course=course)
        if data.get("officer") is not None:
            return people.filter(officer=data["officer"]).first()
        if data.get("team_member") is not None:
            return people.filter(team_member=data["team_member"]).first()
        return None


class MemberIdField(forms.CharField):
    def __init__(self, *, actor, **kwargs):
        self.actor = actor
        super().__init__(**kwargs)

    def prepare_value(self, value):
        from cax.grassroots.models import TeamMember

        if isinstance(value, int):
            member = TeamMember.objects.filter(pk=value).only("id_number").first()
            return member.id_number if member else value
        return getattr(value, "id_number", value)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        member = members_by_id_number({text}, self.actor).get(text)
        if member is None:
            raise ValidationError(
                _gettext("Không có thành viên tổ bảo vệ ANTT số căn cước “{v}” trong phạm vi của bạn.").format(v=text)
            )
        return member


class ParticipantForm(RecordForm):
    class Meta:
        model = Participant
        fields = ["course", "officer", "team_member", "completed", "completed_on", "result", "certificate_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = rows_for(Course, self.actor, "change").select_related("unit")
        # Selects of every officer or member in the province are unusable: they are typed by number.
        self.fields["officer"] = OfficerNumberField(
            actor=self.actor, required=False, label=_("Số hiệu cán bộ"), initial=self.instance.officer_id
        )
        self.fields["team_member"] = MemberIdField(
            actor=self.actor,
            required=False,
            label=_("Số căn cước thành viên tổ bảo vệ ANTT"),
            initial=self.instance.team_member_id,
        )


PARTICIPANTS = ParticipantRegister(
    model=Participant,
    name="participant",
    namespace="training",
    label=_("học viên"),
    label_plural=_("học viên các khoá đào tạo, tập huấn"),
    view_perm="training.view_participant",
    change_perm="training.change_participant",
    fields=[
        Field("person_name", _("Họ và tên"), value=lambda p: p.person_name),
        Field(
            "course",
            _("Mã khoá học"),
            value=lambda p: p.course.code,
            parse=parse_text(40),
            lookup=courses_by_code,
            required=True,
            example="51-2025-001",
        ),
        Field("course_title", _("Khoá học"), value=lambda p: p.course.title),
        Field(
            "officer",
            _("Số hiệu cán bộ"),
            value=lambda p: p.officer.service_number if p.officer_id else None,
            parse=parse_text(20),
            lookup=officers_by_number,
            example="SH-51-0001",
        ),
        Field(
            "team_member",
            _("Số căn cước thành viên"),
            value=lambda p: p.team_member.id_number if p.team_member_id else None,
            parse=parse_id_number,
            lookup=members_by_id_number,
            in_list=False,
        ),
        Field("completed", _("Hoàn thành"), parse=parse_bool, example="Có"),
        Field("completed_on", _("Ngày hoàn thành"), parse=parse_date, example="30/05/2025"),
        Field("result", _("Kết quả"), parse=parse_choice(Result.choices), example="Khá"),
        Field("certificate_number", _("Số chứng chỉ"), parse=parse_text(60), in_list=False),
    ],
    form_class=ParticipantForm,
    save=services.participant_save,
    filters=[
        field_filter("completed", _("Hoàn thành"), YES_NO),
        field_filter("topic", _("Chủ đề"), Topic.choices, lookup="course__topic"),
        Filter(
            "person",
            _("Loại học viên"),
            [("officer", _("Cán bộ")), ("team_member", _("Thành viên tổ bảo vệ ANTT"))],
            lambda qs, v: qs.filter(**{f"{'officer' if v == 'officer' else 'team_member'}__isnull": False}),
        ),
        Filter(
            "period",
            _("Khoá học kết thúc trong năm"),
            lambda: _years(),
            lambda qs, v: _ended_in(qs, v),
            other_values=True,
        ),
    ],
    select_related=("course__unit", "officer__unit", "team_member__team__unit"),
    ordering=("-course__starts_on", "course__code", "pk"),
    export_name="hoc-vien",
)


def _ended_in(queryset, value):
    first, last = parse_period(value)
    return queryset.filter(course__ends_on__gte=first, course__ends_on__lte=last)
