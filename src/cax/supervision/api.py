"""Persons under local management in the API (issue 18.1), under the same rules as the pages: the
list and a file name the person for the managing commune and the responsible department only; a
file is opened with a ``reason`` (logged, like the page); every level reads the figures and the
overdue counts. Typed schemas, the one error shape, the one pagination."""
# No "from __future__ import annotations": django-ninja reads the schemas off the signatures.

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate
from pydantic import Field as PydanticField

from cax.core.bounds import Day, Moment
from cax.core.exceptions import DomainError, NotVisible
from cax.core.pagination import PagePagination
from cax.core.records.api import api_row, values_from_body
from cax.core.records.schemas import schemas_for
from cax.supervision import clock, policy, selectors, services
from cax.supervision.models import EventKind, Handover
from cax.supervision.registers import FILES, RECORDED_KINDS
from cax.units.models import Unit
from cax.units.selectors import unit_get_by_code

router = Router()
TAG = "Quản lý đối tượng"
schemas = schemas_for(FILES)
FileOut = schemas.output


class _Rows:
    """A query as the one pagination slices and counts it, each row of the page mapped."""

    def __init__(self, records, row=lambda obj: api_row(FILES, obj)):
        self.records, self.row = records, row

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.row(obj) for obj in self.records[window]]

    def count(self) -> int:
        return self.records.count()


def _file(request, record_id: int):
    file = selectors.file_for(request.auth, record_id)
    if file is None:
        raise NotVisible(_("Không tìm thấy."))
    return file


@router.get(
    "/files",
    tags=[TAG],
    response=list[FileOut],
    operation_id="supervision_file_list",
    summary="Đối tượng quản lý",
    description="Chỉ Công an xã quản lý và phòng nghiệp vụ phụ trách. Lọc: `q` (họ tên, số định danh, số quyết "
    "định; không cần dấu), `unit`, `first`, `last` (theo ngày bắt đầu), `category`, `status`, `overdue`, "
    "`due_within`; `page`, `page_size`.",
)
@paginate(PagePagination)
def list_files(request, filters: Query[schemas.filters]):
    policy.require_names(request.auth)
    return _Rows(FILES.search(request.auth, filters.model_dump()))


@router.get(
    "/files/{record_id}",
    tags=[TAG],
    response=FileOut,
    operation_id="supervision_file_get",
    summary="Mở hồ sơ (ghi nhật ký với lý do)",
)
def get_file(request, record_id: int, reason: str = Query("", max_length=300, description="Lý do mở hồ sơ")):
    policy.require_names(request.auth)
    file = _file(request, record_id)
    services.file_open(actor=request.auth, file=file, reason=reason, channel="api")
    return api_row(FILES, file)


@router.post(
    "/files",
    tags=[TAG],
    response={201: FileOut},
    operation_id="supervision_file_create",
    summary="Thêm hồ sơ",
    description="Trường: " + ", ".join(f"`{f.key}` ({f.label})" for f in FILES.importable()) + ".",
)
def create_file(request, payload: schemas.create):
    policy.require_manager(request.auth)
    data = values_from_body(FILES, payload.model_dump(exclude_unset=True), actor=request.auth)
    with transaction.atomic():
        file = FILES.save(actor=request.auth, instance=None, data=data)
    return HttpStatus(201, api_row(FILES, selectors.file_for(request.auth, file.pk)))


@router.patch(
    "/files/{record_id}", tags=[TAG], response=FileOut, operation_id="supervision_file_update", summary="Sửa hồ sơ"
)
def update_file(request, record_id: int, payload: schemas.update):
    file = _file(request, record_id)
    policy.require_manager(request.auth, file)
    data = values_from_body(FILES, payload.model_dump(exclude_unset=True), actor=request.auth, partial=True)
    with transaction.atomic():
        FILES.save(actor=request.auth, instance=file, data=data)
    return api_row(FILES, selectors.file_for(request.auth, record_id))


class SupervisionEventIn(Schema):
    kind: str = PydanticField(description="Loại: " + ", ".join(str(k) for k in RECORDED_KINDS), max_length=24)
    on: Day
    note: str = PydanticField("", max_length=5000)
    document_ref: str = PydanticField("", max_length=200)
    outcome: str = PydanticField("", max_length=24, description="Đề nghị / kết quả quyết định của Tòa án")
    first_day: Day | None = None
    last_day: Day | None = None
    destination: str = PydanticField("", max_length=300)
    reason: str = PydanticField("", max_length=300)
    term_months: int | None = PydanticField(None, ge=0, le=600)
    term_days: int | None = PydanticField(None, ge=0, le=600)
    early: bool = False


class SupervisionEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    on: dt.date
    note: str
    document_ref: str
    outcome: str


class SupervisionDutyOut(Schema):
    code: str
    label: str
    done: int
    due_on: dt.date | None
    legal_basis: str


def _event_data(payload: SupervisionEventIn) -> dict:
    if payload.kind == EventKind.ABSENCE:
        keys = ("first_day", "last_day", "destination", "reason")
        return {k: getattr(payload, k) for k in keys}
    if payload.kind == EventKind.COURT_DECISION:
        return {"term_months": payload.term_months, "term_days": payload.term_days or 0}
    if payload.kind == EventKind.END:
        return {"early": payload.early}
    return {}


@router.post(
    "/files/{record_id}/events",
    tags=[TAG],
    response={201: SupervisionEventOut},
    operation_id="supervision_event_create",
    summary="Ghi diễn biến",
)
def create_event(request, record_id: int, payload: SupervisionEventIn):
    file = _file(request, record_id)
    if payload.kind not in RECORDED_KINDS:
        raise DomainError(_("Loại diễn biến không hợp lệ."), fields={"kind": [_("Không hợp lệ.")]})
    event = services.event_record(
        actor=request.auth,
        file=file,
        kind=payload.kind,
        on=payload.on,
        note=payload.note,
        document_ref=payload.document_ref,
        outcome=payload.outcome,
        data=_event_data(payload),
    )
    return HttpStatus(201, _event_out(event))


def _event_out(event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "on": event.on,
        "note": event.note,
        "document_ref": event.document_ref,
        "outcome": event.outcome,
    }


@router.get(
    "/files/{record_id}/duties",
    tags=[TAG],
    response=list[SupervisionDutyOut],
    operation_id="supervision_duty_list",
    summary="Nghĩa vụ và hạn của hồ sơ",
)
def list_duties(request, record_id: int):
    file = _file(request, record_id)
    return [
        {
            "code": d.code,
            "label": clock.duty_label(d.code),
            "done": d.done,
            "due_on": d.due_on,
            "legal_basis": d.legal_basis,
        }
        for d in file.duties.order_by("due_on", "code")
    ]


class SupervisionHandoverIn(Schema):
    to_unit: str = PydanticField(max_length=32, description="Mã Công an xã nơi đến")
    moved_at: Moment
    new_address: str = PydanticField("", max_length=500)
    note: str = PydanticField("", max_length=500)


class SupervisionAcceptIn(Schema):
    note: str = PydanticField("", max_length=500)


class SupervisionHandoverOut(Schema):
    id: int
    file_id: int
    to_unit: str
    moved_at: dt.datetime
    due_at: dt.datetime | None
    sent_at: dt.datetime
    accepted_at: dt.datetime | None
    new_file_id: int | None


def _handover_out(h: Handover) -> dict:
    return {
        "id": h.pk,
        "file_id": h.file_id,
        "to_unit": h.to_unit.code,
        "moved_at": h.moved_at,
        "due_at": h.due_at,
        "sent_at": h.sent_at,
        "accepted_at": h.accepted_at,
        "new_file_id": h.new_file_id,
    }


@router.post(
    "/files/{record_id}/handovers",
    tags=[TAG],
    response={201: SupervisionHandoverOut},
    operation_id="supervision_handover_create",
    summary="Chuyển nơi cư trú",
)
def create_handover(request, record_id: int, payload: SupervisionHandoverIn):
    file = _file(request, record_id)
    to_unit = Unit.objects.current().commune_level().filter(code=payload.to_unit.strip()).first()
    if to_unit is None:
        raise DomainError(_("Không có Công an xã mã “{c}”.").format(c=payload.to_unit), fields={"to_unit": ["?"]})
    handover = services.handover_send(
        actor=request.auth,
        file=file,
        to_unit=to_unit,
        moved_at=payload.moved_at,
        new_address=payload.new_address,
        note=payload.note,
    )
    return HttpStatus(201, _handover_out(handover))


@router.get(
    "/handovers",
    tags=[TAG],
    response=list[SupervisionHandoverOut],
    operation_id="supervision_handover_list",
    summary="Chuyển đến, chờ tiếp nhận",
)
@paginate(PagePagination)
def list_handovers(request):
    policy.require_names(request.auth)
    return _Rows(selectors.handovers_waiting(request.auth), _handover_out)


@router.post(
    "/handovers/{handover_id}/accept",
    tags=[TAG],
    response=FileOut,
    operation_id="supervision_handover_accept",
    summary="Tiếp nhận đối tượng chuyển đến",
)
def accept_handover(request, handover_id: int, payload: SupervisionAcceptIn):
    handover = Handover.objects.visible_to(request.auth).filter(pk=handover_id).first()
    if handover is None:
        raise NotVisible(_("Không tìm thấy."))
    new = services.handover_accept(actor=request.auth, handover=handover, note=payload.note)
    return api_row(FILES, selectors.file_for(request.auth, new.pk))


class SupervisionFigureRow(Schema):
    category: str
    category_name: str
    counts: dict[str, int]
    total: int
    overdue_duties: int | None = PydanticField(description="Chỉ tính cho hôm nay: trống khi hỏi một ngày đã qua")
    overdue_people: int | None = PydanticField(description="Chỉ tính cho hôm nay: trống khi hỏi một ngày đã qua")


class SupervisionFiguresOut(Schema):
    unit_code: str
    day: dt.date
    rows: list[SupervisionFigureRow]
    handovers_waiting: int


@router.get(
    "/figures",
    tags=[TAG],
    response=SupervisionFiguresOut,
    operation_id="supervision_figures",
    summary="Số liệu theo loại, trạng thái, nghĩa vụ quá hạn (không họ tên)",
)
def get_figures(
    request,
    unit: str = Query("", max_length=32, description="Mã đơn vị (mặc định: đơn vị của bạn)"),
    day: Day | None = None,
):
    target = unit_get_by_code(actor=request.auth, code=unit, counts=False) if unit.strip() else request.auth.unit
    data = selectors.figures(request.auth, target, day=day)
    statuses = [code for code, _label in data["statuses"]]
    return {
        "unit_code": target.code,
        "day": data["day"],
        "handovers_waiting": data["handovers_waiting"],
        "rows": [
            {
                "category": r["category"].code,
                "category_name": r["category"].name,
                "counts": dict(zip(statuses, r["counts"], strict=True)),
                "total": r["total"],
                "overdue_duties": r["overdue"],
                "overdue_people": r["people"],
            }
            for r in data["rows"]
        ],
    }


class SupervisionOverdueRow(Schema):
    unit_code: str
    unit_name: str
    category: str
    duties: int
    people: int


@router.get(
    "/overdue",
    tags=[TAG],
    response=list[SupervisionOverdueRow],
    operation_id="supervision_overdue_by_unit",
    summary="Nghĩa vụ quá hạn theo Công an xã và loại (không họ tên)",
)
def get_overdue(request, unit: str = Query("", max_length=32, description="Mã đơn vị (mặc định: đơn vị của bạn)")):
    target = unit_get_by_code(actor=request.auth, code=unit, counts=False) if unit.strip() else request.auth.unit
    return [
        {k: r[k] for k in SupervisionOverdueRow.model_fields} for r in selectors.overdue_by_unit(request.auth, target)
    ]
