"""The desk in the API (issue 18): the registers' generic endpoints (dossiers, notices) plus the
dossier's steps, the person's facts (read logged, managing commune only) and the figures."""
# No "from __future__ import annotations": django-ninja resolves the body types at import time.

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from cax.core.bounds import Day, Moment
from cax.core.exceptions import DomainError, NotVisible
from cax.core.records.api import add_api_routes, api_row
from cax.core.records.schemas import schemas_for
from cax.procedures import policy, selectors, services
from cax.procedures.models import Outcome
from cax.procedures.registers import DECLARATIONS, DOSSIERS

TAG = "Thủ tục hành chính"
router = Router()
add_api_routes(router, DOSSIERS, "dossiers", TAG)
add_api_routes(router, DECLARATIONS, "declarations", TAG)
DossierOut = schemas_for(DOSSIERS).output


class CompleteIn(Schema):
    complete_at: Moment


class ResolveIn(Schema):
    resolved_at: Moment
    outcome: Outcome
    note: str = ""


class ApologyIn(Schema):
    new_due_at: Moment
    reason: str


class ApologyOut(Schema):
    id: int
    issued_at: Moment
    previous_due_at: Moment
    new_due_at: Moment
    reason: str


class PersonIn(Schema):
    full_name: str
    id_number: str = ""
    nationality: str = ""


class PersonOut(Schema):
    full_name: str
    id_number: str
    nationality: str
    purged: bool


class FiguresQuery(Schema):
    unit: str = ""
    first: Day | None = None
    last: Day | None = None


class FiguresOut(Schema):
    unit_code: str
    first: Day
    last: Day
    received: int
    online: int
    resolved: int
    on_time: int
    on_time_rate: float | None
    online_share: float | None
    overdue: int
    apologies: int
    declarations: int
    late_declarations: int


def _step(request, record_id: int, action):
    dossier = DOSSIERS.get(request.auth, record_id)
    with transaction.atomic():
        action(dossier)
    return api_row(DOSSIERS, DOSSIERS.get(request.auth, record_id))


@router.post("/dossiers/{record_id}/complete", response=DossierOut, tags=[TAG], summary="Hồ sơ đầy đủ, hợp lệ")
def complete(request, record_id: int, payload: CompleteIn):
    return _step(
        request,
        record_id,
        lambda d: services.dossier_complete(actor=request.auth, dossier=d, complete_at=payload.complete_at),
    )


@router.post("/dossiers/{record_id}/resolve", response=DossierOut, tags=[TAG], summary="Trả kết quả")
def resolve(request, record_id: int, payload: ResolveIn):
    return _step(
        request,
        record_id,
        lambda d: services.dossier_resolve(
            actor=request.auth, dossier=d, resolved_at=payload.resolved_at, outcome=payload.outcome, note=payload.note
        ),
    )


@router.post(
    "/dossiers/{record_id}/apologies",
    response={201: ApologyOut},
    tags=[TAG],
    summary="Phiếu xin lỗi và hẹn lại ngày trả kết quả",
)
def apologize(request, record_id: int, payload: ApologyIn):
    dossier = DOSSIERS.get(request.auth, record_id)
    with transaction.atomic():
        slip = services.dossier_apologize(
            actor=request.auth, dossier=dossier, new_due_at=payload.new_due_at, reason=payload.reason
        )
    return Status(201, slip)


def _person_of(request, register, record_id: int, attr: str):
    obj = register.get(request.auth, record_id)
    if not policy.sees_names(request.auth, obj.unit):
        raise NotVisible(_("Không tìm thấy."))
    return obj, getattr(obj, attr)


@router.get("/dossiers/{record_id}/applicant", response=PersonOut, tags=[TAG], summary="Người nộp hồ sơ (ghi nhật ký)")
def applicant(request, record_id: int):
    _obj, person = _person_of(request, DOSSIERS, record_id, "applicant")
    identity = services.identity_reveal(actor=request.auth, person=person, channel="api")
    if identity is None:
        raise NotVisible(_("Hồ sơ chưa ghi người nộp."))
    return identity


@router.put("/dossiers/{record_id}/applicant", response=DossierOut, tags=[TAG], summary="Ghi người nộp hồ sơ")
def applicant_set(request, record_id: int, payload: PersonIn):
    dossier, _person = _person_of(request, DOSSIERS, record_id, "applicant")
    data = {"person_name": payload.full_name, "person_id_number": payload.id_number}
    if not payload.full_name.strip():
        raise DomainError(_("Chưa nhập họ tên."), fields={"full_name": [_("Bắt buộc.")]})
    with transaction.atomic():
        services.dossier_save(actor=request.auth, instance=dossier, data=data)
    return api_row(DOSSIERS, DOSSIERS.get(request.auth, record_id))


@router.get("/declarations/{record_id}/person", response=PersonOut, tags=[TAG], summary="Người lưu trú (ghi nhật ký)")
def declaration_person(request, record_id: int):
    _obj, person = _person_of(request, DECLARATIONS, record_id, "person")
    identity = services.identity_reveal(actor=request.auth, person=person, channel="api")
    if identity is None:
        raise NotVisible(_("Thông báo chưa ghi người lưu trú."))
    return identity


@router.get("/figures", response=FiguresOut, tags=[TAG], summary="Số liệu thủ tục hành chính theo đơn vị, kỳ")
def figures(request, filters: Query[FiguresQuery]):
    policy.require_figures(request.auth)
    params = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.model_dump().items() if v}
    unit, first, last = selectors.figures_params(actor=request.auth, params=params)
    f = selectors.figures(actor=request.auth, unit=unit, first=first, last=last)
    return {
        "unit_code": unit.code,
        "first": first,
        "last": last,
        **{k: getattr(f, k) for k in FiguresOut.model_fields if hasattr(f, k)},
    }
