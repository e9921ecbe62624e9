"""How teams, members, allowances and criteria appear in lists, Excel and the API (cax.core.records)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from cax.accounts.roles import CHANGE_GRASSROOTS_CRITERIA
from cax.core.exceptions import DomainError
from cax.core.imports import CellError, parse_choice, parse_date, parse_int, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import YES_NO, Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register, rows_for
from cax.grassroots import extensions, services
from cax.grassroots.models import (
    AllowanceKind,
    AllowancePayment,
    Criteria,
    Education,
    Role,
    Sex,
    Team,
    TeamMember,
    TeamStatus,
)
from cax.units.fields import unit_fields
from cax.units.kinds import is_commune_level

# -- shared pieces -----------------------------------------------------------------------------


def parse_id_number(value) -> str:
    """A 12-digit căn cước number; Excel drops the leading zeros of a number cell, so they are restored."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value)).zfill(12)
    else:
        text = str(value).strip().replace(" ", "").replace(".", "")
    if not (text.isdigit() and len(text) == 12):
        raise CellError(_gettext("“{v}” không phải số căn cước 12 chữ số").format(v=value))
    return text


def parse_month(value) -> dt.date:
    """A month as "03/2025", "2025-03" or any date in it; stored as its first day."""
    if isinstance(value, dt.date | dt.datetime):
        return parse_date(value).replace(day=1)
    text = str(value).strip()
    for fmt in ("%m/%Y", "%Y-%m"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return parse_date(text).replace(day=1)
    except CellError:
        raise CellError(_gettext("“{v}” không phải tháng hợp lệ (mm/yyyy)").format(v=text)) from None


def parse_period(value: str) -> tuple[dt.date, dt.date]:
    """A list filter value: a year ("2025") or a range "2025-01-01..2025-06-30" (the tiles' links)."""
    text = (value or "").strip()
    try:
        if ".." in text:
            first, last = (dt.date.fromisoformat(part) for part in text.split("..", 1))
            return first, last
        year = int(text)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise DomainError(_gettext("Khoảng thời gian “{v}” không hợp lệ.").format(v=text)) from None


def period_filter(lookup: str, label) -> Filter:
    def choices():
        year = dt.date.today().year
        return [(str(y), str(y)) for y in range(year, year - 6, -1)]

    def apply(queryset, value):
        first, last = parse_period(value)
        return queryset.filter(**{f"{lookup}__gte": first, f"{lookup}__lte": last})

    return Filter("period", label, choices, apply, other_values=True)


def _codes(units) -> str:
    return "; ".join(u.code for u in units)


# -- criteria ----------------------------------------------------------------------------------


class CriteriaForm(RecordForm):
    unit_kinds = staticmethod(services.may_issue_criteria)

    class Meta:
        model = Criteria
        fields = ["unit", "min_age", "max_age", "min_residence_months", "default_team_size", "legal_basis"]


CRITERIA = Register(
    model=Criteria,
    name="criteria",
    namespace="grassroots",
    label=_("tiêu chuẩn thành viên"),
    label_plural=_("tiêu chuẩn thành viên tổ bảo vệ ANTT"),
    view_perm="grassroots.view_criteria",
    change_perm=CHANGE_GRASSROOTS_CRITERIA,
    fields=[
        *unit_fields(
            _("Mã đơn vị ban hành"),
            _("Đơn vị ban hành"),
            kinds=services.may_issue_criteria,
            required=True,
            example="51",
        ),
        Field("min_age", _("Tuổi tối thiểu"), parse=parse_int(0, 120), example="18"),
        Field("max_age", _("Tuổi tối đa"), parse=parse_int(0, 120), example="70"),
        Field("min_residence_months", _("Cư trú tối thiểu (tháng)"), parse=parse_int(0, 600), example="12"),
        Field("default_team_size", _("Số thành viên mặc định của tổ"), parse=parse_int(1, 100), example="4"),
        Field("legal_basis", _("Căn cứ"), parse=parse_text(200), example="Nghị quyết 12/2024/NQ-HĐND"),
    ],
    form_class=CriteriaForm,
    save=services.criteria_save,
    natural_key=("unit",),
    select_related=("unit",),
    export_name="tieu-chuan-thanh-vien",
    help_text=_(
        "Điều 13 Luật 30/2023: 18–70 tuổi, cư trú từ 1 năm. Tỉnh có thể quy định chặt hơn; "
        "xã áp dụng tiêu chuẩn của cấp gần nhất có quy định."
    ),
)


# -- teams -------------------------------------------------------------------------------------


class TeamRegister(Register):
    """Teams always carry their completeness (services.with_completeness) and are found on import
    by their code, or by commune and name when the file has no code."""

    def queryset(self, actor, action: str = "view"):
        return services.with_completeness(super().queryset(actor, action))

    def existing(self, actor, data: dict):
        teams = rows_for(Team, actor)
        if data.get("code"):
            return teams.filter(code=data["code"]).first()
        if data.get("unit") and data.get("name"):
            return teams.filter(unit=data["unit"], name=data["name"]).first()
        return None


class TeamForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = Team
        fields = [
            "unit",
            "code",
            "name",
            "villages",
            "planned_members",
            "status",
            "decision_number",
            "decision_date",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A select of every unit in the country is unusable: villages are typed as codes.
        self.fields["villages"] = forms.CharField(
            label=_("Mã thôn, tổ dân phố phụ trách"),
            help_text=_("Các mã cách nhau bởi dấu chấm phẩy, ví dụ 23500-T01; 23500-T02."),
        )
        # model_to_dict gives the related units; the text field shows their codes.
        if self.instance.pk:
            self.initial["villages"] = _codes(self.instance.villages.all())
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Để trống: hệ thống tự đặt theo mã xã.")
        self.fields["planned_members"].required = False
        self.fields["planned_members"].help_text = _("Để trống: lấy số mặc định theo tiêu chuẩn của tỉnh.")

    def clean_villages(self):
        return services.parse_village_codes(self.cleaned_data["villages"])


def _complete_filter(queryset, value, day):
    # "Not complete" means still to be completed: dissolved teams are neither.
    complete = services.with_completeness(Team.objects.all(), day).filter(is_complete=True).values("pk")
    if value == "1":
        return queryset.filter(pk__in=complete)
    return queryset.exclude(pk__in=complete).exclude(status=TeamStatus.DISSOLVED)


TEAMS = TeamRegister(
    model=Team,
    name="team",
    namespace="grassroots",
    label=_("tổ bảo vệ ANTT"),
    label_plural=_("tổ bảo vệ ANTT"),
    view_perm="grassroots.view_team",
    change_perm="grassroots.change_team",
    fields=[
        Field("name", _("Tên tổ"), parse=parse_text(200), required=True, example="Tổ bảo vệ ANTT thôn Kon Klor"),
        Field("code", _("Mã tổ"), parse=parse_text(40), example="23500-T01"),
        *unit_fields(_("Mã xã"), _("Xã, phường"), kinds=is_commune_level, required=True),
        Field(
            "villages",
            _("Mã thôn, tổ dân phố"),
            value=lambda t: _codes(t.villages.all()),
            parse=services.parse_village_codes,
            required=True,
            example="23500-T01; 23500-T02",
        ),
        Field("planned_members", _("Số thành viên theo quy định"), parse=parse_int(1, 100), example="4"),
        Field("status", _("Trạng thái"), parse=parse_choice(TeamStatus.choices), example="Đã thành lập"),
        Field("decision_number", _("Số quyết định thành lập"), parse=parse_text(60), example="125/QĐ-UBND"),
        Field("decision_date", _("Ngày quyết định"), parse=parse_date, example="15/08/2024"),
        Field("active_members", _("Thành viên đang hoạt động"), value=lambda t: t.active_members, api_type=int),
        Field("is_complete", _("Kiện toàn"), value=lambda t: t.is_complete, api_type=bool),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=TeamForm,
    save=services.team_save,
    filters=[
        field_filter("status", _("Trạng thái"), TeamStatus.choices),
        Filter("complete", _("Kiện toàn"), YES_NO, _complete_filter, dated=True),
    ],
    select_related=("unit",),
    prefetch_related=("villages",),
    detail_template="grassroots/team_detail.html",
    export_name="to-bao-ve-antt",
    help_text=_(
        "Tổ kiện toàn: đã có quyết định thành lập, có đúng một tổ trưởng đang hoạt động và số thành viên "
        "đang hoạt động không ít hơn số theo quy định."
    ),
)


def _team_context(request, team) -> dict:
    members = list(team.members.annotate(trained=services.trained_exists()).order_by("left_on", "role", "full_name"))
    return {"members": members, "member_register": MEMBERS}


TEAMS.detail_context = _team_context


# -- members -----------------------------------------------------------------------------------


def teams_by_code(keys: set, actor) -> dict:
    return {t.code: t for t in rows_for(Team, actor).filter(code__in=keys).select_related("unit")}


def members_by_id_number(keys: set, actor) -> dict:
    """The active member with each number, or the one who left last."""
    found: dict = {}
    members = rows_for(TeamMember, actor).filter(id_number__in=keys).select_related("team__unit")
    for member in members.order_by("left_on"):
        if member.id_number not in found or member.left_on is None:
            found[member.id_number] = member
    return found


class MemberRegister(Register):
    def queryset(self, actor, action: str = "view"):
        return super().queryset(actor, action).annotate(trained=services.trained_exists())

    def existing(self, actor, data: dict):
        """The active member with the number; a member who has left only for the same membership
        (team and joining date): someone rejoining, or joining another team, is a new membership
        and keeps the old one, with its allowances, as history."""
        if not data.get("id_number"):
            return None
        found = members_by_id_number({data["id_number"]}, actor).get(data["id_number"])
        if found is None or found.left_on is None:
            return found
        same = found.team_id == getattr(data.get("team"), "pk", None) and found.joined_on == data.get("joined_on")
        return found if same else None


class MemberForm(RecordForm):
    class Meta:
        model = TeamMember
        fields = [
            "team",
            "full_name",
            "sex",
            "date_of_birth",
            "id_number",
            "role",
            "joined_on",
            "left_on",
            "residence_since",
            "health_certificate_on",
            "education",
            "over_age_decision",
            "phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = rows_for(Team, self.actor, "change").select_related("unit")


ROLE_ALIASES = {"TT": Role.LEADER, "TP": Role.DEPUTY, "TV": Role.MEMBER}
EDUCATION_ALIASES = {
    "THCS": Education.LOWER_SECONDARY,
    "cấp 2": Education.LOWER_SECONDARY,
    "THPT": Education.UPPER_SECONDARY,
    "cấp 3": Education.UPPER_SECONDARY,
    "cấp 1": Education.PRIMARY,
    "đại học": Education.UNIVERSITY,
}

MEMBERS = MemberRegister(
    model=TeamMember,
    name="member",
    namespace="grassroots",
    label=_("thành viên tổ bảo vệ ANTT"),
    label_plural=_("thành viên tổ bảo vệ ANTT"),
    view_perm="grassroots.view_teammember",
    change_perm="grassroots.change_teammember",
    fields=[
        Field("full_name", _("Họ và tên"), parse=parse_text(150), required=True, example="Nguyễn Văn A"),
        Field(
            "team",
            _("Mã tổ"),
            value=lambda m: m.team.code,
            parse=parse_text(40),
            lookup=teams_by_code,
            required=True,
            example="23500-T01",
        ),
        Field("team_name", _("Tổ"), value=lambda m: m.team.name),
        Field("commune", _("Xã, phường"), value=lambda m: m.team.unit.name, in_list=False),
        Field("role", _("Chức danh"), parse=parse_choice(Role.choices, ROLE_ALIASES), example="Tổ viên"),
        Field("sex", _("Giới tính"), parse=parse_choice(Sex.choices), required=True, example="Nam"),
        Field("date_of_birth", _("Ngày sinh"), parse=parse_date, required=True, example="12/05/1985"),
        Field(
            "id_number", _("Số căn cước"), parse=parse_id_number, required=True, example="051085001234", in_list=False
        ),
        Field("joined_on", _("Ngày tham gia"), parse=parse_date, required=True, example="01/09/2024"),
        Field("left_on", _("Ngày thôi tham gia"), parse=parse_date, in_list=False),
        Field(
            "residence_since", _("Cư trú tại địa bàn từ ngày"), parse=parse_date, required=True, example="01/01/2010"
        ),
        Field(
            "health_certificate_on", _("Ngày giấy khám sức khoẻ"), parse=parse_date, required=True, example="20/08/2024"
        ),
        Field(
            "education",
            _("Trình độ học vấn"),
            parse=parse_choice(Education.choices, EDUCATION_ALIASES),
            required=True,
            example="THCS",
        ),
        Field("over_age_decision", _("Quyết định cho phép quá tuổi"), parse=parse_text(100), in_list=False),
        Field("phone", _("Điện thoại"), parse=parse_text(20), in_list=False),
        Field("is_active", _("Đang hoạt động"), value=lambda m: m.is_active, api_type=bool),
        Field("trained", _("Đã qua tập huấn"), value=lambda m: bool(getattr(m, "trained", False)), api_type=bool),
    ],
    form_class=MemberForm,
    save=services.member_save,
    filters=[
        Filter(
            "active",
            _("Đang hoạt động"),
            YES_NO,
            lambda qs, v, day: (
                qs.filter(services.active_members_q(day=day))
                if v == "1"
                else qs.exclude(services.active_members_q(day=day))
            ),
            dated=True,
        ),
        Filter(
            "trained",
            _("Đã qua tập huấn"),
            YES_NO,
            lambda qs, v, day: (
                qs.filter(services.trained_exists(day)) if v == "1" else qs.exclude(services.trained_exists(day))
            ),
            dated=True,
        ),
        field_filter("role", _("Chức danh"), Role.choices),
        field_filter("education", _("Trình độ học vấn"), Education.choices),
    ],
    select_related=("team__unit",),
    ordering=("team__unit__path", "team__code", "role", "full_name"),
    detail_template="grassroots/member_detail.html",
    export_name="thanh-vien-to-bao-ve-antt",
)


def _member_context(request, member) -> dict:
    trainings = extensions.trainings(actor=request.user, member=member)
    allowances = list(
        AllowancePayment.objects.visible_to(request.user).filter(member=member).order_by("-month", "kind")[:24]
    )
    return {"trainings": trainings, "allowances": allowances}


MEMBERS.detail_context = _member_context


# -- allowances --------------------------------------------------------------------------------


class AllowanceForm(RecordForm):
    class Meta:
        model = AllowancePayment
        fields = ["member", "month", "kind", "amount", "paid_on", "decision_ref"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = rows_for(TeamMember, self.actor, "change").select_related("team")
        self.fields["month"].help_text = _("Ngày bất kỳ trong tháng được chi; lưu là ngày đầu tháng.")


ALLOWANCES = Register(
    model=AllowancePayment,
    name="allowance",
    namespace="grassroots",
    label=_("khoản chi trả chế độ"),
    label_plural=_("chi trả chế độ cho thành viên"),
    view_perm="grassroots.view_allowancepayment",
    change_perm="grassroots.change_allowancepayment",
    fields=[
        Field(
            "member",
            _("Số căn cước thành viên"),
            value=lambda a: a.member.id_number,
            parse=parse_id_number,
            lookup=members_by_id_number,
            required=True,
            example="051085001234",
            in_list=False,
        ),
        Field("member_name", _("Thành viên"), value=lambda a: a.member.full_name),
        Field("team", _("Tổ"), value=lambda a: a.member.team.name),
        Field(
            "month",
            _("Tháng"),
            value=lambda a: a.month.strftime("%m/%Y"),
            api_type=str,  # mm/yyyy, not a date
            parse=parse_month,
            required=True,
            example="03/2025",
        ),
        Field(
            "kind",
            _("Loại chế độ"),
            parse=parse_choice(AllowanceKind.choices),
            required=True,
            example="Hỗ trợ hằng tháng",
        ),
        Field("amount", _("Số tiền (đồng)"), parse=parse_int(1), required=True, example="1500000"),
        Field("paid_on", _("Ngày chi"), parse=parse_date, required=True, example="05/04/2025"),
        Field("decision_ref", _("Căn cứ chi"), parse=parse_text(100), example="45/QĐ-UBND", in_list=False),
    ],
    form_class=AllowanceForm,
    save=services.allowance_save,
    filters=[
        field_filter("kind", _("Loại chế độ"), AllowanceKind.choices),
        period_filter("paid_on", _("Chi trong năm")),
    ],
    natural_key=("member", "month", "kind"),
    select_related=("member__team__unit",),
    export_name="chi-tra-che-do",
)
