"""Staffing figures, officers and postings in the API (#4)."""
# No "from __future__ import annotations": django-ninja must resolve Query[...] types at import time.

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from cax.api.pagination import PagePagination
from cax.core.bounds import Day
from cax.deployment import policy, services
from cax.deployment.models import Posting, PostingEndReason
from cax.deployment.selectors import staffing_summary
from cax.personnel import selectors as officer_selectors
from cax.personnel.choices import OfficerStatus
from cax.personnel.models import Language, Speciality, has_moved
from cax.units.selectors import unit_get_by_code

router = Router()


class CoverageOut(Schema):
    type: str
    type_name: str
    covered: int
    total: int
    percent: float


class UnitStaffingOut(Schema):
    code: str
    name: str
    type: str
    head_count: int
    female: int
    minimum: int
    target: int
    shortfall: int
    chiefs: int
    investigators: int


class ChildOut(Schema):
    code: str
    name: str
    communes: int
    covered: int
    head_count: int
    female: int
    below_norm: int


class StaffingOut(Schema):
    unit_code: str
    unit_name: str
    as_of: dt.date
    communes: int
    covered: int
    coverage_percent: float
    coverage_by_type: list[CoverageOut]
    head_count: int
    female: int
    male: int
    below_norm: list[UnitStaffingOut]
    without_chief: list[str]
    without_investigator: list[str]
    without_language_speaker: list[str]
    party_cells: int
    executive_committee_seats: int
    standing_committee_seats: int
    children: list[ChildOut]
    monthly_head_counts: list[tuple[dt.date, int]]


def _unit_row(u) -> dict:
    return {
        "code": u.code,
        "name": u.name,
        "type": u.type_code,
        "head_count": u.head_count,
        "female": u.female,
        "minimum": u.norm.minimum,
        "target": u.norm.target,
        "shortfall": u.shortfall,
        "chiefs": u.chiefs,
        "investigators": u.investigators,
    }


@router.get(
    "/units/{code}/staffing",
    response=StaffingOut,
    summary="Số liệu bố trí cán bộ của một đơn vị",
    tags=["Bố trí cán bộ"],
)
def unit_staffing(request, code: str, as_of: Day | None = None):
    policy.require_staffing_reader(request.auth)
    unit = unit_get_by_code(actor=request.auth, code=code)
    s = staffing_summary(actor=request.auth, unit=unit, as_of=as_of or timezone.localdate())
    return {
        "unit_code": unit.code,
        "unit_name": unit.name,
        "as_of": s.as_of,
        "communes": s.communes,
        "covered": s.covered,
        "coverage_percent": s.coverage_percent,
        "coverage_by_type": [
            {
                "type": c.type_code,
                "type_name": c.type_name,
                "covered": c.covered,
                "total": c.total,
                "percent": c.percent,
            }
            for c in s.coverage
        ],
        "head_count": s.head_count,
        "female": s.female,
        "male": s.male,
        "below_norm": [_unit_row(u) for u in s.below_norm],
        "without_chief": [u.code for u in s.without_chief],
        "without_investigator": [u.code for u in s.without_investigator],
        "without_language_speaker": [u.code for u in s.without_language_speaker],
        "party_cells": s.party_cells,
        "executive_committee_seats": s.executive_seats,
        "standing_committee_seats": s.standing_seats,
        "children": [
            {
                "code": c.unit.code,
                "name": c.unit.name,
                "communes": c.communes,
                "covered": c.covered,
                "head_count": c.head_count,
                "female": c.female,
                "below_norm": c.below_norm,
            }
            for c in s.children
        ],
        "monthly_head_counts": s.monthly,
    }


class SpecialityOut(Schema):
    kind: str
    grade: str


class OfficerOut(Schema):
    service_number: str
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    ethnicity: str
    unit_code: str
    home_unit_code: str | None
    rank: str
    education: str
    is_party_member: bool
    party_joined_on: dt.date | None
    dependants: int
    has_hardship: bool
    status: str
    specialities: list[SpecialityOut]
    languages: list[str]
    next_unit_code: str | None = Field(None, description="Đơn vị sẽ điều động đến (quyết định chưa đến ngày hiệu lực)")
    next_unit_from: dt.date | None = None

    # A row of the list (``_OfficerRows``) is a dict with every value already read; an officer from
    # ``officer_get`` is a model instance.
    @staticmethod
    def resolve_unit_code(o) -> str:
        return o["unit_code"] if isinstance(o, dict) else o.current_unit.code

    @staticmethod
    def resolve_next_unit_code(o) -> str | None:
        if isinstance(o, dict):
            return o["next_unit_code"]
        move = o.planned_move
        return move[0].code if move else None

    @staticmethod
    def resolve_next_unit_from(o) -> dt.date | None:
        if isinstance(o, dict):
            return o["next_unit_from"]
        move = o.planned_move
        return move[1] if move else None

    @staticmethod
    def resolve_home_unit_code(o) -> str | None:
        if isinstance(o, dict):
            return o["home_unit_code"]
        return o.home_unit.code if o.home_unit_id else None

    @staticmethod
    def resolve_languages(o) -> list[str]:
        return o["languages"] if isinstance(o, dict) else [lang.name for lang in o.languages.all()]

    @staticmethod
    def resolve_specialities(o) -> list[dict]:
        if isinstance(o, dict):
            return o["specialities"]
        return [{"kind": s.kind, "grade": s.grade} for s in o.specialities.all()]


class _OfficerRows:
    """The officer list as the API pages it: one query of plain values for the page (no model
    instances, no joined unit rows: only their codes) and one per many-valued field, mapped to
    ``OfficerOut``'s keys. Instances with ``select_related`` and ``prefetch_related`` cost several
    times the SQL in Python (issue 20). ``PagePagination`` counts it and slices it."""

    PLAIN = (
        "service_number",
        "full_name",
        "sex",
        "date_of_birth",
        "ethnicity",
        "rank",
        "education",
        "is_party_member",
        "party_joined_on",
        "dependants",
        "has_hardship",
        "status",
    )
    VALUES = ("pk", *PLAIN, "next_unit_id", "next_unit_from", "unit__code", "next_unit__code", "home_unit__code")

    def __init__(self, officers):
        self.officers = officers.select_related(None).prefetch_related(None)

    def count(self) -> int:
        return self.officers.count()

    def __getitem__(self, window: slice) -> list[dict]:
        rows = list(self.officers.values(*self.VALUES)[window])
        ids = [row["pk"] for row in rows]
        specialities: dict[int, list[dict]] = {pk: [] for pk in ids}
        for officer_id, kind, grade in (
            Speciality.objects.filter(officer_id__in=ids).order_by("pk").values_list("officer_id", "kind", "grade")
        ):
            specialities[officer_id].append({"kind": kind, "grade": grade})
        languages: dict[int, list[str]] = {pk: [] for pk in ids}
        spoken = Language.objects.filter(officer_id__in=ids).order_by("pk").values_list("officer_id", "name")
        for officer_id, name in spoken:
            languages[officer_id].append(name)
        return [self._row(row, specialities, languages, timezone.localdate()) for row in rows]

    @staticmethod
    def _row(row: dict, specialities: dict, languages: dict, today: dt.date) -> dict:
        moved = has_moved(row["next_unit_id"], row["next_unit_from"], today)
        planned = bool(row["next_unit_id"] and row["next_unit_from"]) and not moved
        return {
            **{key: row[key] for key in _OfficerRows.PLAIN},
            "unit_code": row["next_unit__code"] if moved else row["unit__code"],
            "home_unit_code": row["home_unit__code"],
            "next_unit_code": row["next_unit__code"] if planned else None,
            "next_unit_from": row["next_unit_from"] if planned else None,
            "specialities": specialities[row["pk"]],
            "languages": languages[row["pk"]],
        }


class OfficerFilters(Schema):
    q: str = ""
    unit: str = ""
    sex: str = ""
    rank: str = ""
    status: str = ""
    speciality: str = ""
    language: str = ""


@router.get("/officers", response=list[OfficerOut], summary="Danh sách cán bộ trong phạm vi", tags=["Cán bộ"])
@paginate(PagePagination)
def list_officers(request, filters: Query[OfficerFilters]):
    unit = unit_get_by_code(actor=request.auth, code=filters.unit) if filters.unit else None
    data = filters.dict(exclude={"unit"})
    return _OfficerRows(officer_selectors.officer_list(actor=request.auth, unit=unit, **data))


@router.get("/officers/{service_number}", response=OfficerOut, summary="Hồ sơ cán bộ", tags=["Cán bộ"])
def get_officer(request, service_number: str):
    return officer_selectors.officer_get(actor=request.auth, service_number=service_number)


class PostingOut(Schema):
    id: int
    service_number: str
    officer_name: str
    unit_code: str
    unit_name: str
    role: str
    start_date: dt.date
    end_date: dt.date | None
    decision_number: str
    decision_date: dt.date | None
    reason: str
    end_reason: str
    end_decision_number: str
    end_decision_date: dt.date | None
    end_note: str

    @staticmethod
    def resolve_service_number(p) -> str:
        return p.officer.service_number

    @staticmethod
    def resolve_officer_name(p) -> str:
        return p.officer.full_name

    @staticmethod
    def resolve_unit_code(p) -> str:
        return p.unit.code

    @staticmethod
    def resolve_unit_name(p) -> str:
        return p.unit.name


@router.get("/postings", response=list[PostingOut], summary="Quyết định bố trí trong phạm vi", tags=["Bố trí cán bộ"])
@paginate(PagePagination)
def list_postings(request, unit: str = "", service_number: str = "", active_on: Day | None = None):
    postings = Posting.objects.visible_to(request.auth).select_related("officer", "unit")
    if unit:
        postings = postings.in_subtree(unit_get_by_code(actor=request.auth, code=unit))
    if service_number:
        postings = postings.filter(officer__service_number=service_number)
    if active_on:
        postings = postings.active_on(active_on)
    return postings.order_by("-start_date", "-pk")


@router.get("/postings/{posting_id}", response=PostingOut, summary="Một quyết định bố trí", tags=["Bố trí cán bộ"])
def get_posting(request, posting_id: int):
    from cax.core.exceptions import NotVisible

    posting = Posting.objects.visible_to(request.auth).select_related("officer", "unit").filter(pk=posting_id).first()
    if posting is None:
        raise NotVisible("Không tìm thấy quyết định bố trí.")
    return posting


# -- the posting lifecycle: bổ nhiệm, điều động, kết thúc, trạng thái (issue 14) ----------------------


class PostingIn(Schema):
    unit_code: str
    role: str = Field("officer", description="Mã hoặc chức danh như người dùng viết: “Trưởng CA xã”, “Phó trưởng”…")
    start_date: Day
    end_date: Day | None = None
    decision_number: str = ""
    decision_date: Day | None = None
    reason: str = ""


class TransferIn(Schema):
    unit_code: str
    role: str = "officer"
    on: Day = Field(description="Ngày bắt đầu tại đơn vị mới; quyết định hiện tại kết thúc ngày hôm trước")
    decision_number: str = ""
    decision_date: Day | None = None
    reason: str = ""


class PostingEndIn(Schema):
    end_date: Day
    end_reason: PostingEndReason
    decision_number: str = ""
    decision_date: Day | None = None
    note: str = ""


class StatusChangeIn(Schema):
    status: OfficerStatus
    on: Day
    decision_number: str = ""
    decision_date: Day | None = None
    reason: str = ""


class StatusChangeOut(Schema):
    id: int
    status: str
    previous_status: str
    effective_from: dt.date
    decision_number: str
    decision_date: dt.date | None
    reason: str


def _officer(request, service_number: str):
    return officer_selectors.officer_get(actor=request.auth, service_number=service_number)


def _posting_out(request, posting) -> Posting:
    """The posting as the caller now sees it (a transfer's new posting may lie outside the scope)."""
    return Posting.objects.visible_to(request.auth).select_related("officer", "unit").get(pk=posting.pk)


@router.post(
    "/officers/{service_number}/postings",
    response={201: PostingOut},
    summary="Bổ nhiệm, bố trí cán bộ vào đơn vị cấp xã",
    tags=["Bố trí cán bộ"],
)
def create_posting(request, service_number: str, body: PostingIn):
    unit = unit_get_by_code(actor=request.auth, code=body.unit_code, on=body.start_date)
    data = body.dict(exclude={"unit_code"})
    posting = services.posting_create(actor=request.auth, officer=_officer(request, service_number), unit=unit, **data)
    return Status(201, _posting_out(request, posting))


@router.post(
    "/officers/{service_number}/transfer",
    response={201: PostingOut},
    summary="Điều động cán bộ (kết thúc quyết định hiện tại, mở quyết định mới)",
    tags=["Bố trí cán bộ"],
)
def transfer_officer(request, service_number: str, body: TransferIn):
    unit = unit_get_by_code(actor=request.auth, code=body.unit_code, on=body.on)
    data = body.dict(exclude={"unit_code"})
    posting = services.posting_transfer(
        actor=request.auth, officer=_officer(request, service_number), to_unit=unit, **data
    )
    return Status(201, _posting_out(request, posting))


@router.post(
    "/postings/{posting_id}/end", response=PostingOut, summary="Kết thúc quyết định bố trí", tags=["Bố trí cán bộ"]
)
def end_posting(request, posting_id: int, body: PostingEndIn):
    posting = get_posting(request, posting_id)
    data = body.dict()
    data["end_reason"] = str(body.end_reason.value)
    return _posting_out(request, services.posting_end(actor=request.auth, posting=posting, **data))


@router.post(
    "/officers/{service_number}/status",
    response={201: StatusChangeOut},
    summary="Thay đổi trạng thái cán bộ (nghỉ phép, đi học, trở lại, nghỉ hưu…)",
    tags=["Cán bộ"],
)
def change_status(request, service_number: str, body: StatusChangeIn):
    data = body.dict()
    data["status"] = str(body.status.value)
    change = services.officer_status_change(actor=request.auth, officer=_officer(request, service_number), **data)
    return Status(201, change)


@router.get(
    "/officers/{service_number}/status-changes",
    response=list[StatusChangeOut],
    summary="Quá trình thay đổi trạng thái của cán bộ",
    tags=["Cán bộ"],
)
def list_status_changes(request, service_number: str):
    return list(_officer(request, service_number).status_changes.order_by("-effective_from", "-pk"))
