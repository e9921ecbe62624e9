"""The register in the API (#5): list, detail, registration and workflow steps."""
# No "from __future__ import annotations": django-ninja must resolve Query[...] types at import time.

import datetime as dt

from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from cax.api.pagination import PagePagination
from cax.cases import policy, selectors, services
from cax.core.bounds import Day, Days, Moment
from cax.core.text import vn_duration
from cax.units.selectors import unit_get_by_code

router = Router(tags=["Tin báo, tố giác tội phạm"])


class EventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    actor_name: str
    at: dt.datetime
    note: str
    due_at: dt.datetime | None
    due_rule: str
    procuracy_due_at: dt.datetime | None


def _time_left(moment: dt.datetime | None) -> str:
    # A label for people beside the machine value (ISO), never instead of it.
    from django.utils import timezone

    return vn_duration(moment - timezone.now()) if moment is not None else ""


class CaseOut(Schema):
    id: int
    unit_code: str
    year: int
    serial: int
    kind: str
    channel: str
    received_at: dt.datetime
    summary: str
    incident_at: dt.datetime | None
    status: str
    due_at: dt.datetime | None
    due_rule: str
    time_left: str
    procuracy_due_at: dt.datetime | None
    procuracy_time_left: str
    transferred_to: str
    transferred_to_unit: str | None
    transferred_to_body: str | None
    transferred_from_id: int | None
    is_confidential: bool
    version: int

    @staticmethod
    def resolve_unit_code(case) -> str:
        return case.unit.code

    @staticmethod
    def resolve_time_left(case) -> str:
        return _time_left(case.due_at)

    @staticmethod
    def resolve_procuracy_time_left(case) -> str:
        return _time_left(case.procuracy_due_at)

    @staticmethod
    def resolve_transferred_to_unit(case) -> str | None:
        return case.transferred_to_unit.code if case.transferred_to_unit_id else None

    @staticmethod
    def resolve_transferred_to_body(case) -> str | None:
        return case.transferred_to_body.code if case.transferred_to_body_id else None


class CaseDetailOut(CaseOut):
    reporter: dict | None = None
    events: list[EventOut]

    @staticmethod
    def resolve_events(case) -> list:
        return list(case.events.all())


class CaseFilters(Schema):
    unit: str = ""
    q: str = ""
    status: str = ""
    kind: str = ""
    received_from: Day | None = None
    received_to: Day | None = None
    overdue: bool = False
    due_within_days: Days | None = None
    procuracy_overdue: bool = False
    as_of: Day | None = None


class CaseIn(Schema):
    unit: str
    kind: str
    channel: str
    received_at: Moment
    reporter_kind: str
    reporter_name: str
    reporter_id_number: str = ""
    reporter_contact: str = ""
    reporter_address: str = ""
    is_confidential: bool = False
    summary: str
    incident_at: Moment | None = None
    incident_unit: str = ""
    category: str = ""
    receiving_officer: str = ""


class StepIn(Schema):
    to_status: str = Field(min_length=1)
    version: int
    at: Moment | None = None
    note: str = ""
    to_unit: str = ""  # a unit of CAX by code: the report is entered in its register
    to_body: str = ""  # or a body outside CAX, by its code in /receiving-bodies
    transferred_to: str = ""  # with a body: which one exactly ("Hạt Kiểm lâm …")
    new_due: Moment | None = None
    extended_by: str = ""
    requested_at: Moment | None = None
    non_prosecution_ground: str = ""
    suspension_ground: str = ""


def _detail(request, case):
    reporter = services.reporter_identity_reveal(actor=request.auth, case=case, channel="api")
    case.reporter = reporter
    return case


@router.get("/cases", response=list[CaseOut], summary="Sổ tiếp nhận trong phạm vi")
@paginate(PagePagination)
def list_cases(request, filters: Query[CaseFilters]):
    policy.require_reader(request.auth)
    unit = unit_get_by_code(actor=request.auth, code=filters.unit) if filters.unit else None
    data = {k: v for k, v in filters.dict(exclude={"unit"}).items() if v not in (None, "", False)}
    return selectors.case_list(actor=request.auth, unit=unit, **data)


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="Một nguồn tin với quá trình giải quyết")
def get_case(request, case_id: int):
    return _detail(request, selectors.case_get(actor=request.auth, pk=case_id))


@router.post("/cases", response={201: CaseDetailOut}, summary="Ghi sổ nguồn tin mới")
def create_case(request, payload: CaseIn):
    data = payload.dict()
    # The unit that existed when the report was received: a commune merged away keeps its history.
    received = payload.received_at
    day = timezone.localtime(received).date() if timezone.is_aware(received) else received.date()
    unit = unit_get_by_code(actor=request.auth, code=data.pop("unit"), on=day)
    data.update(
        selectors.case_references(
            actor=request.auth,
            unit=unit,
            incident_unit=data.pop("incident_unit"),
            category=data.pop("category"),
            receiving_officer=data.pop("receiving_officer"),
        )
    )
    case = services.case_register(actor=request.auth, unit=unit, **data)
    return Status(201, _detail(request, selectors.case_get(actor=request.auth, pk=case.pk)))


@router.post("/cases/{case_id}/steps", response=CaseDetailOut, summary="Chuyển bước giải quyết")
def step_case(request, case_id: int, payload: StepIn):
    case = selectors.case_get(actor=request.auth, pk=case_id)
    values = payload.dict()
    values.update(
        selectors.transfer_references(to_unit=values.pop("to_unit"), to_body=values.pop("to_body"), day=payload.at)
    )
    services.case_apply_step(actor=request.auth, case=case, values=values)
    return _detail(request, selectors.case_get(actor=request.auth, pk=case_id))


class ProcuracyNoticeIn(Schema):
    version: int
    at: Moment | None = None
    note: str = ""


@router.post(
    "/cases/{case_id}/procuracy-notice", response=CaseDetailOut, summary="Ghi nhận đã gửi quyết định cho Viện kiểm sát"
)
def send_to_procuracy(request, case_id: int, payload: ProcuracyNoticeIn):
    case = selectors.case_get(actor=request.auth, pk=case_id)
    services.case_send_to_procuracy(
        actor=request.auth, case=case, expected_version=payload.version, at=payload.at, note=payload.note
    )
    return _detail(request, selectors.case_get(actor=request.auth, pk=case_id))


class ReceivingBodyOut(Schema):
    code: str
    name: str


@router.get("/receiving-bodies", response=list[ReceivingBodyOut], summary="Cơ quan tiếp nhận ngoài CAX (danh mục)")
def list_receiving_bodies(request):
    return list(selectors.receiving_bodies())


class AttachmentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@router.get("/cases/{case_id}/attachments", response=list[AttachmentOut], summary="Tệp đính kèm của nguồn tin")
def list_attachments(request, case_id: int):
    return list(selectors.case_get(actor=request.auth, pk=case_id).attachments.all())


@router.post("/cases/{case_id}/attachments", response={201: AttachmentOut}, summary="Đính kèm tệp")
def add_attachment(request, case_id: int, kind: Form[str], file: File[UploadedFile]):
    from cax.cases.attachments import attachment_add

    case = selectors.case_get(actor=request.auth, pk=case_id)
    return Status(201, attachment_add(actor=request.auth, case=case, kind=kind, name=file.name, content=file.read()))


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    summary="Tải tệp đính kèm",
    openapi_extra={
        "responses": {
            200: {
                "description": "Nội dung tệp, với kiểu tệp đã lưu",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_attachment(request, case_id: int, attachment_id: int):
    from django.http import FileResponse

    from cax.core.exceptions import NotVisible

    attachment = selectors.case_get(actor=request.auth, pk=case_id).attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotVisible("Không tìm thấy tệp.")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


class IdentityAccessOut(Schema):
    at: dt.datetime
    username: str
    case_id: int
    case: str
    channel: str

    @staticmethod
    def resolve_username(entry) -> str:
        return entry.user.username

    @staticmethod
    def resolve_case(entry) -> str:
        return str(entry.case)


@router.get("/identity-accesses", response=list[IdentityAccessOut], summary="Ai đã xem danh tính được giữ bí mật")
@paginate(PagePagination)
def list_identity_accesses(request, user: str = ""):
    policy.require_access_log_reader(request.auth)
    return selectors.identity_accesses(actor=request.auth, username=user)
