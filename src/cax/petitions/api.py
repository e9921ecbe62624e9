"""Requests and conferences in the API (#8): the generic endpoints plus assign / answer / remind."""
# No "from __future__ import annotations": django-ninja resolves the body types at import time.

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cax.core.exceptions import DomainError
from cax.core.records.api import add_api_routes, api_row
from cax.core.records.schemas import schemas_for
from cax.petitions import services
from cax.petitions.registers import CONFERENCES, PETITIONS
from cax.units.fields import units_by_code
from cax.units.kinds import is_department

router = Router()
add_api_routes(router, PETITIONS, "requests", "Kiến nghị")
add_api_routes(router, CONFERENCES, "conferences", "Kiến nghị")
PetitionOut = schemas_for(PETITIONS).output


class AssignIn(Schema):
    department: str
    due_on: dt.date
    note: str = ""


class AnswerIn(Schema):
    answer: str
    answered_by: str
    answered_on: dt.date | None = None


class RemindIn(Schema):
    note: str = ""


@router.post("/requests/{record_id}/assign", response=PetitionOut, tags=["Kiến nghị"], summary="Giao phòng nghiên cứu")
def assign(request, record_id: int, payload: AssignIn):
    petition = PETITIONS.get(request.auth, record_id)
    department = units_by_code({payload.department}, request.auth, kinds=is_department).get(payload.department)
    if department is None:
        raise DomainError(
            _("Không có phòng nghiệp vụ mã “{code}” trong phạm vi của bạn.").format(code=payload.department),
            fields={"department": [_("không tìm thấy")]},
        )
    with transaction.atomic():
        services.petition_assign(
            actor=request.auth, petition=petition, department=department, due_on=payload.due_on, note=payload.note
        )
    return api_row(PETITIONS, PETITIONS.get(request.auth, record_id))


@router.post("/requests/{record_id}/answer", response=PetitionOut, tags=["Kiến nghị"], summary="Trả lời kiến nghị")
def answer(request, record_id: int, payload: AnswerIn):
    petition = PETITIONS.get(request.auth, record_id)
    with transaction.atomic():
        services.petition_answer(
            actor=request.auth,
            petition=petition,
            answer=payload.answer,
            answered_by=payload.answered_by,
            answered_on=payload.answered_on,
        )
    return api_row(PETITIONS, PETITIONS.get(request.auth, record_id))


@router.post("/requests/{record_id}/remind", response=PetitionOut, tags=["Kiến nghị"], summary="Nhắc phòng trả lời")
def remind(request, record_id: int, payload: RemindIn):
    petition = PETITIONS.get(request.auth, record_id)
    with transaction.atomic():
        services.petition_remind(actor=request.auth, petition=petition, note=payload.note)
    return api_row(PETITIONS, PETITIONS.get(request.auth, record_id))
