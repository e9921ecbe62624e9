"""API endpoints of the training app (#8): /api/v1/training/courses, participants, officers/{id}/trainings."""
# No "from __future__ import annotations": django-ninja reads the schemas off the signatures.

import datetime as dt

from ninja import Router, Schema

from cax.core.records.api import add_api_routes, api_row
from cax.core.records.schemas import schemas_for
from cax.training.registers import COURSES, PARTICIPANTS
from cax.training.selectors import officer_trainings

router = Router()
add_api_routes(router, COURSES, "courses", "Đào tạo")
add_api_routes(router, PARTICIPANTS, "participants", "Đào tạo")


class TrainingOfficerOut(Schema):
    id: int
    service_number: str
    full_name: str


class TrainingParticipationOut(schemas_for(PARTICIPANTS).output):
    """A participant row with its course's topic, language and dates."""

    course_topic: str
    course_language: str
    starts_on: dt.date
    ends_on: dt.date


class OfficerTrainingsOut(Schema):
    officer: TrainingOfficerOut
    items: list[TrainingParticipationOut]


@router.get(
    "/officers/{officer_id}/trainings",
    tags=["Đào tạo"],
    response=OfficerTrainingsOut,
    operation_id="training_officer_history",
    summary="Quá trình đào tạo, tập huấn của một cán bộ",
)
def officer_history(request, officer_id: int):
    officer, participations = officer_trainings(actor=request.auth, officer_id=officer_id)
    return {
        "officer": {"id": officer.pk, "service_number": officer.service_number, "full_name": officer.full_name},
        "items": [
            {
                **api_row(PARTICIPANTS, p),
                "course_topic": p.course.topic,
                "course_language": p.course.language,
                "starts_on": p.course.starts_on.isoformat(),
                "ends_on": p.course.ends_on.isoformat(),
            }
            for p in participations
        ],
    }
