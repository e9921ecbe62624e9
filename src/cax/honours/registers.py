"""How casualties, commendations and campaigns appear in lists, Excel and the API (see cax.core.records)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.accounts.roles import CHANGE_HONOURS, VIEW_HONOURS
from cax.core.bounds import day_from_text
from cax.core.exceptions import DomainError
from cax.core.imports import parse_choice, parse_code_list, parse_date, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import Filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register
from cax.core.scoping import path_q
from cax.honours import services
from cax.honours.models import (
    Casualty,
    CasualtyKind,
    Cause,
    Commendation,
    CommendationForm,
    EmulationCampaign,
    Severity,
)
from cax.personnel.lookups import OfficerNumberField, officers_by_number
from cax.units.fields import unit_fields, units_by_code


def _perm(perms: frozenset[str], model: str) -> str:
    return next(p for p in perms if p.endswith(f"_{model}"))


LIST_TEMPLATE = "honours/list.html"


@dataclass
class MatchingRegister(Register):
    """A register whose import finds the existing row by a rule, not by equal columns: a casualty
    by officer or by name, a commendation by decision and recipient, whichever the file gives."""

    match: Callable[[Any, dict], Any] | None = None

    def existing(self, actor, data: dict):
        if self.match is None:
            return super().existing(actor, data)
        return self.match(self.model.objects.visible_to(actor), data)


# -- shared pieces --------------------------------------------------------------------------------


def parse_period_day(value: str) -> dt.date:
    """A period bound of a list link or filter box: ``dd/mm/yyyy`` as typed, ``yyyy-mm-dd`` as linked."""
    day = day_from_text(value, "date")
    if day is None:
        raise DomainError(_("Chưa nhập ngày."))
    return day


def period_filters(field: str) -> list[Filter]:
    """``first``/``last`` (YYYY-MM-DD, both inclusive) on one date: what the overview's tiles link with.
    Empty choices: the honours list template draws them as date inputs."""
    return [
        Filter("first", gettext_lazy("Từ ngày"), [], lambda qs, v: qs.filter(**{f"{field}__gte": parse_period_day(v)})),
        Filter("last", gettext_lazy("Đến ngày"), [], lambda qs, v: qs.filter(**{f"{field}__lte": parse_period_day(v)})),
    ]


def _officer_number(obj) -> str | None:
    return obj.officer.service_number if obj.officer_id else None


# -- casualties -----------------------------------------------------------------------------------


class CasualtyForm(RecordForm):
    officer = OfficerNumberField(
        required=False,
        help_text=gettext_lazy("Để trống nếu cán bộ không có trong danh sách cán bộ; khi đó ghi họ tên."),
    )

    class Meta:
        model = Casualty
        fields = [
            "unit",
            "officer",
            "full_name",
            "kind",
            "date",
            "cause",
            "severity",
            "place",
            "circumstances",
            "recognition",
            "note",
        ]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["officer"].actor = actor
        self.fields["full_name"].required = False
        self.fields["full_name"].help_text = _("Tự lấy theo cán bộ khi có số hiệu.")


CASUALTIES = MatchingRegister(
    model=Casualty,
    name="casualty",
    namespace="honours",
    label=gettext_lazy("cán bộ hy sinh, bị thương"),
    label_plural=gettext_lazy("cán bộ hy sinh, bị thương khi làm nhiệm vụ"),
    view_perm=_perm(VIEW_HONOURS, "casualty"),
    change_perm=_perm(CHANGE_HONOURS, "casualty"),
    fields=[
        Field("full_name", gettext_lazy("Họ và tên"), parse=parse_text(150), example="Nguyễn Văn An"),
        Field(
            "officer",
            gettext_lazy("Số hiệu cán bộ"),
            value=_officer_number,
            parse=parse_text(20),
            lookup=officers_by_number,
            aliases=("Số hiệu",),
        ),
        Field(
            "kind",
            gettext_lazy("Hình thức"),
            parse=parse_choice(CasualtyKind.choices),
            required=True,
            example="Bị thương",
        ),
        Field("date", gettext_lazy("Ngày xảy ra"), parse=parse_date, required=True, example="15/03/2024"),
        *unit_fields(gettext_lazy("Mã đơn vị"), gettext_lazy("Đơn vị")),
        Field(
            "cause",
            gettext_lazy("Nhóm nguyên nhân"),
            parse=parse_choice(Cause.choices, {"toi pham": "crime", "giao thong": "traffic", "cuu nan": "rescue"}),
            required=True,
            example="Tuần tra, kiểm soát giao thông",
        ),
        Field("severity", gettext_lazy("Mức độ thương tích"), parse=parse_choice(Severity.choices), example="Nặng"),
        Field("place", gettext_lazy("Nơi xảy ra"), parse=parse_text(300)),
        Field(
            "recognition",
            gettext_lazy("Quyết định công nhận liệt sĩ / thương binh"),
            parse=parse_text(200),
            in_list=False,
        ),
        Field("circumstances", gettext_lazy("Hoàn cảnh"), parse=parse_text(5000), in_list=False),
        Field("note", gettext_lazy("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=CasualtyForm,
    save=services.casualty_save,
    filters=[
        Filter("kind", gettext_lazy("Hình thức"), CasualtyKind.choices, lambda qs, v: qs.filter(kind=v)),
        Filter("cause", gettext_lazy("Nhóm nguyên nhân"), Cause.choices, lambda qs, v: qs.filter(cause=v)),
        *period_filters("date"),
    ],
    select_related=("unit", "officer"),
    list_template=LIST_TEMPLATE,
    export_name="can-bo-hy-sinh-bi-thuong",
    help_text=gettext_lazy("Ghi nhận theo đơn vị tại thời điểm xảy ra, kể cả khi cán bộ đã chuyển công tác."),
    match=services.casualty_match,
)


# -- campaigns ------------------------------------------------------------------------------------


class CodeList(tuple):
    """Unit codes of one cell; hashable, so the whole file is looked up at once, and shown as typed."""

    def __str__(self) -> str:
        return "; ".join(self)


class UnitList(list):
    """The units a cell named, with the codes not found kept for the service's concrete message."""

    missing: tuple[str, ...] = ()


def parse_codes(value: Any) -> CodeList:
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    codes = parse_code_list(value)
    return CodeList(dict.fromkeys(codes))


def participants_by_codes(keys: set, actor) -> dict:
    every = {code for codes in keys for code in codes}
    found = units_by_code(every, actor) if every else {}
    out = {}
    for codes in keys:
        units = UnitList(found[c] for c in codes if c in found)
        units.missing = tuple(c for c in codes if c not in found)
        out[codes] = units
    return out


class ParticipantCodesField(forms.CharField):
    def __init__(self, **kwargs):
        self.actor = None
        kwargs.setdefault("label", gettext_lazy("Đơn vị tham gia"))
        kwargs.setdefault("help_text", gettext_lazy("Mã các đơn vị, cách nhau bởi dấu chấm phẩy, ví dụ 23500; 23293."))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            from cax.units.models import Unit

            units = [v for v in value if isinstance(v, Unit)]
            if len(units) == len(value):
                return "; ".join(u.code for u in units)
        return value

    def clean(self, value):
        text = super().clean(value)
        codes = parse_codes(text or "")
        units = participants_by_codes({codes}, self.actor)[codes] if codes else UnitList()
        if units.missing:
            raise forms.ValidationError(
                _("Không tìm thấy đơn vị mã {codes} trong phạm vi của bạn.").format(codes=", ".join(units.missing))
            )
        return list(units)


class CampaignForm(RecordForm):
    participants = ParticipantCodesField(required=False)

    class Meta:
        model = EmulationCampaign
        fields = ["unit", "name", "starts_on", "ends_on", "participants", "description"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["participants"].actor = actor
        self.fields["unit"].label = _("Mã đơn vị phát động")


def _overlaps_from(qs, value):
    return qs.filter(ends_on__gte=parse_period_day(value))


def _overlaps_until(qs, value):
    return qs.filter(starts_on__lte=parse_period_day(value))


def _taking_part(qs, value):
    """Campaigns in which a unit of this code's subtree takes part (the overview's drill-down)."""
    from cax.units.models import Unit

    # No "unit not found" error: the filter never says whether a code outside the user's scope
    # exists; an unknown code matches no campaign, through the same queries as a code outside the
    # scope (a path no unit has), so the two cannot be told apart by time either (issue 16.7).
    paths = list(Unit.objects.filter(code=value.strip()).values_list("path", flat=True)) or ["/-/"]
    subtree = Q()
    for path in paths:
        subtree |= path_q("unit__path", path)
    through = EmulationCampaign.participants.through.objects.filter(subtree)
    return qs.filter(pk__in=through.values("emulationcampaign_id"))


def _participant_codes(campaign) -> str:
    return "; ".join(u.code for u in campaign.participants.all())


def campaign_context(request, campaign) -> dict:
    commendations = (
        Commendation.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("unit", "officer")
        .order_by("-decision_date", "-id")
    )
    return {
        "participants": list(campaign.participants.all()),
        "commendations": list(commendations),
    }


CAMPAIGNS = Register(
    model=EmulationCampaign,
    name="campaign",
    namespace="honours",
    label=gettext_lazy("phong trào thi đua"),
    label_plural=gettext_lazy("phong trào thi đua"),
    view_perm=_perm(VIEW_HONOURS, "emulationcampaign"),
    change_perm=_perm(CHANGE_HONOURS, "emulationcampaign"),
    fields=[
        Field(
            "name", gettext_lazy("Tên phong trào"), parse=parse_text(300), required=True, example="Vì an ninh Tổ quốc"
        ),
        *unit_fields(
            gettext_lazy("Mã đơn vị phát động"), gettext_lazy("Đơn vị phát động"), required=True, example="51"
        ),
        Field("starts_on", gettext_lazy("Bắt đầu"), parse=parse_date, required=True, example="01/01/2025"),
        Field("ends_on", gettext_lazy("Kết thúc"), parse=parse_date, required=True, example="31/12/2025"),
        Field(
            "participants",
            gettext_lazy("Đơn vị tham gia"),
            value=_participant_codes,
            # A list: the records framework looks every code of the file up at once and names each
            # unknown code on its row.
            parse=lambda value: list(parse_codes(value)),
            lookup=units_by_code,
            example="23500; 23293",
            in_list=False,
        ),
        Field(
            "participant_count",
            gettext_lazy("Số đơn vị tham gia"),
            value=lambda c: len(c.participants.all()),
            api_type=int,
        ),
        Field("description", gettext_lazy("Nội dung"), parse=parse_text(5000), in_list=False),
    ],
    form_class=CampaignForm,
    save=services.campaign_save,
    filters=[
        Filter("participant", gettext_lazy("Đơn vị tham gia (mã)"), [], _taking_part),
        Filter("first", gettext_lazy("Diễn ra từ ngày"), [], _overlaps_from),
        Filter("last", gettext_lazy("Đến ngày"), [], _overlaps_until),
    ],
    natural_key=("unit", "name", "starts_on"),
    prefetch_related=("participants",),
    list_template=LIST_TEMPLATE,
    detail_template="honours/campaign_detail.html",
    detail_context=campaign_context,
    export_name="phong-trao-thi-dua",
)


# -- commendations --------------------------------------------------------------------------------


def campaigns_by_name(keys: set, actor) -> dict:
    """Campaigns by exact name or by id; a name that two visible campaigns share is not guessed:
    it is reported as not found, and the id tells them apart."""
    ids = {int(k) for k in keys if str(k).isdigit()}
    found = EmulationCampaign.objects.visible_to(actor).filter(Q(pk__in=ids) | Q(name__in=list(keys)))
    out: dict[str, Any] = {}
    named: dict[str, list] = {}
    for campaign in found:
        if campaign.pk in ids:
            out[str(campaign.pk)] = campaign
        if campaign.name in keys:
            named.setdefault(campaign.name, []).append(campaign)
    out.update({name: campaigns[0] for name, campaigns in named.items() if len(campaigns) == 1})
    return out


class CommendationEditForm(RecordForm):
    officer = OfficerNumberField(required=False, help_text=gettext_lazy("Để trống khi khen thưởng tập thể đơn vị."))

    class Meta:
        model = Commendation
        fields = ["unit", "officer", "form", "issuer", "decision_number", "decision_date", "reason", "campaign"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["officer"].actor = actor
        self.fields["campaign"].queryset = EmulationCampaign.objects.visible_to(actor).order_by("-starts_on")


def _recipient_kind(qs, value):
    if value not in ("unit", "officer"):
        raise DomainError(_("“{v}” không hợp lệ: dùng unit (tập thể) hoặc officer (cá nhân).").format(v=value))
    return qs.filter(officer__isnull=value == "unit")


COMMENDATIONS = MatchingRegister(
    model=Commendation,
    name="commendation",
    namespace="honours",
    label=gettext_lazy("khen thưởng"),
    label_plural=gettext_lazy("khen thưởng"),
    view_perm=_perm(VIEW_HONOURS, "commendation"),
    change_perm=_perm(CHANGE_HONOURS, "commendation"),
    fields=[
        Field("recipient", gettext_lazy("Người (đơn vị) được khen"), value=lambda c: c.recipient_name),
        Field(
            "officer",
            gettext_lazy("Số hiệu cán bộ"),
            value=_officer_number,
            parse=parse_text(20),
            lookup=officers_by_number,
            aliases=("Số hiệu",),
        ),
        *unit_fields(gettext_lazy("Mã đơn vị"), gettext_lazy("Đơn vị")),
        Field(
            "form",
            gettext_lazy("Hình thức khen thưởng"),
            parse=parse_choice(CommendationForm.choices, {"CSTĐ": "emulation_fighter", "GK": "merit_certificate"}),
            required=True,
            example="Giấy khen",
        ),
        Field(
            "issuer",
            gettext_lazy("Cơ quan quyết định"),
            parse=parse_text(200),
            required=True,
            example="Công an tỉnh Quảng Ngãi",
        ),
        Field(
            "decision_number", gettext_lazy("Số quyết định"), parse=parse_text(50), required=True, example="1234/QĐ-CAT"
        ),
        Field("decision_date", gettext_lazy("Ngày quyết định"), parse=parse_date, required=True, example="19/08/2025"),
        Field(
            "campaign",
            gettext_lazy("Phong trào thi đua"),
            value=lambda c: c.campaign.name if c.campaign_id else None,
            parse=parse_text(300),
            lookup=campaigns_by_name,
            in_list=False,
        ),
        Field("reason", gettext_lazy("Thành tích"), parse=parse_text(5000), in_list=False),
    ],
    form_class=CommendationEditForm,
    save=services.commendation_save,
    filters=[
        Filter("form", gettext_lazy("Hình thức"), CommendationForm.choices, lambda qs, v: qs.filter(form=v)),
        Filter(
            "recipient",
            gettext_lazy("Khen thưởng"),
            [("unit", gettext_lazy("Tập thể")), ("officer", gettext_lazy("Cá nhân"))],
            _recipient_kind,
        ),
        *period_filters("decision_date"),
    ],
    select_related=("unit", "officer", "campaign"),
    list_template=LIST_TEMPLATE,
    export_name="khen-thuong",
    match=services.commendation_match,
)

REGISTERS = (CASUALTIES, COMMENDATIONS, CAMPAIGNS)
