"""Periodic reports in the API (#6): form definitions, submissions and their workflow, completeness,
the roll-up, and data values in DHIS2's data value set shape. Thin: every read goes through the
selectors (``visible_to``), every write through the services or the exchange."""
# No "from __future__ import annotations": django-ninja must resolve Query[...] types at import time.

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cax.api.pagination import PagePagination
from cax.reports import exchange, selectors, services
from cax.reports.models import Status
from cax.units.selectors import unit_get, unit_get_by_code

router = Router(tags=["Báo cáo định kỳ"])


def _plain(number) -> str | None:
    """Numbers as exact strings ("3", "1.5"); a missing one stays null, distinct from "0"."""
    return None if number is None else services.plain_number(number)


def _unit(request, code: str):
    """The unit named by its official code, or the caller's own unit."""
    if code:
        return unit_get_by_code(actor=request.auth, code=code)
    return unit_get(actor=request.auth, pk=request.auth.unit_id)


def _period(form, key: str):
    return selectors.period_range(form, key, key)[0]


# -- form definitions -----------------------------------------------------------------------------


class FormOut(Schema):
    code: str
    name: str
    periodicity: str
    calendar: str
    document_code: str


class ItemOut(Schema):
    indicator: str
    label: str
    value_type: str
    aggregation: str
    measure: str
    required: bool
    prefill_source: str


class SectionOut(Schema):
    name: str
    items: list[ItemOut]


class RuleOut(Schema):
    id: int
    left: str
    operator: str
    right: str
    severity: str
    message: str


class FormDefinitionOut(FormOut):
    period_key: str
    period_label: str
    version: int
    valid_from: dt.date
    due_days: int
    due_time: dt.time
    lock_days: int
    reporting_unit_types: list[str]
    sections: list[SectionOut]
    rules: list[RuleOut]


@router.get("/report-forms", response=list[FormOut], summary="Biểu mẫu báo cáo đang dùng")
def list_report_forms(request):
    return list(selectors.form_list())


@router.get("/report-forms/{code}", response=FormDefinitionOut, summary="Nội dung biểu mẫu áp dụng cho một kỳ")
def get_report_form(request, code: str, period: str = ""):
    """The version in force today, or for the period ``?period=KEY`` (DHIS2 key: 20261123, 202611…)."""
    form = selectors.form_get(code=code)
    target = _period(form, period) if period else form.period_of(timezone.localdate())
    version = services.version_for(form, target)
    sections: list[dict] = []
    for item in services.items_of(version):
        if not sections or sections[-1]["name"] != item.section:
            sections.append({"name": item.section, "items": []})
        indicator = item.indicator
        sections[-1]["items"].append(
            {
                "indicator": indicator.code,
                "label": item.display_label,
                "value_type": indicator.value_type,
                "aggregation": indicator.aggregation,
                "measure": indicator.measure,
                "required": item.required,
                "prefill_source": item.prefill_source,
            }
        )
    return {
        "code": form.code,
        "name": form.name,
        "periodicity": form.periodicity,
        "calendar": form.calendar,
        "document_code": form.document_code,
        "period_key": target.key,
        "period_label": target.label(),
        "version": version.number,
        "valid_from": version.valid_from,
        "due_days": version.due_days,
        "due_time": version.due_time,
        "lock_days": version.lock_days,
        "reporting_unit_types": sorted(t.code for t in version.reporting_unit_types.all()),
        "sections": sections,
        "rules": list(version.rules.all()),
    }


# -- submissions ----------------------------------------------------------------------------------


class SubmissionOut(Schema):
    id: int
    form_code: str
    unit_code: str
    unit_name: str
    period_key: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    status: str
    is_nil: bool
    due_at: dt.datetime
    first_submitted_at: dt.datetime | None
    is_late: bool
    document_reference: str
    imported: bool
    row_version: int

    @staticmethod
    def resolve_form_code(submission) -> str:
        return submission.form.code

    @staticmethod
    def resolve_unit_code(submission) -> str:
        return submission.unit.code

    @staticmethod
    def resolve_unit_name(submission) -> str:
        return submission.unit.name


class ValueOut(Schema):
    indicator: str
    number: str | None = Field(None, description="Số, dạng chuỗi để giữ đúng phần thập phân")
    text: str
    prefilled: str | None = Field(None, description="Số liệu CAX tự tính khi lưu")
    confirmed: bool
    correction_reason: str


class SubmissionDetailOut(SubmissionOut):
    version: int
    lock_at: dt.datetime
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    return_note: str
    warning_comments: dict[str, str]
    values: list[ValueOut]

    @staticmethod
    def resolve_version(submission) -> int:
        return submission.version.number

    @staticmethod
    def resolve_values(submission) -> list[dict]:
        """Values in the order of the form's items."""
        order = {item.indicator_id: n for n, item in enumerate(services.items_of(submission.version))}
        values = sorted(
            selectors.submission_values(submission).values(),
            key=lambda v: (order.get(v.indicator_id, len(order)), v.indicator_id),
        )
        return [
            {
                "indicator": value.indicator.code,
                "number": _plain(value.number),
                "text": value.text,
                "prefilled": _plain(value.prefilled),
                "confirmed": value.confirmed,
                "correction_reason": value.correction_reason,
            }
            for value in values
        ]


class SaveOut(SubmissionDetailOut):
    field_errors: dict[str, str] = Field(
        default_factory=dict, description="Giá trị không hợp lệ theo mã chỉ tiêu; các giá trị này không được lưu"
    )


class ReportFilters(Schema):
    unit: str = Field("", description="Mã đơn vị; cả cây đơn vị trực thuộc. Mặc định: đơn vị của người dùng")
    form: str = Field("", description="Mã biểu mẫu")
    status: Status | None = None
    period_from: dt.date | None = Field(None, description="Kỳ bắt đầu từ ngày")
    period_to: dt.date | None = Field(None, description="Kỳ bắt đầu đến ngày")
    late: bool = Field(False, description="Chỉ các báo cáo gửi lần đầu sau hạn")


class EntryIn(Schema):
    value: str | bool | int | float | None = None
    confirmed: bool = Field(False, description="Xác nhận số liệu CAX tự tính")
    reason: str = Field("", description="Lý do điều chỉnh khi khác số liệu CAX")


class DraftIn(Schema):
    values: dict[str, EntryIn] = Field(default_factory=dict, description="Theo mã chỉ tiêu")
    is_nil: bool | None = Field(None, description="Không có số liệu phát sinh; bỏ trống để giữ nguyên")
    comments: dict[str, str] | None = Field(
        None, description="Giải trình cảnh báo theo mã quy tắc; bỏ trống để giữ nguyên"
    )
    row_version: int | None = Field(None, description="row_version đã đọc; lệch thì trả 409 và không lưu")


class SubmitIn(Schema):
    row_version: int | None = None


class NoteIn(Schema):
    note: str = ""


def _detail(request, submission_id: int):
    return selectors.submission_get(actor=request.auth, pk=submission_id)


@router.get("/reports", response=list[SubmissionOut], summary="Báo cáo trong phạm vi")
@paginate(PagePagination)
def list_reports(request, filters: Query[ReportFilters]):
    return selectors.submission_list(
        actor=request.auth,
        unit=_unit(request, filters.unit),
        form=selectors.form_get(code=filters.form) if filters.form else None,
        status=filters.status or "",
        first=filters.period_from,
        last=filters.period_to,
        late_only=filters.late,
    )


@router.get("/reports/{int:submission_id}", response=SubmissionDetailOut, summary="Một báo cáo với các giá trị")
def get_report(request, submission_id: int):
    return _detail(request, submission_id)


@router.put(
    "/reports/{unit_code}/{form_code}/{period_key}", response=SaveOut, summary="Lưu nháp báo cáo của đơn vị trong kỳ"
)
def save_report(request, unit_code: str, form_code: str, period_key: str, payload: DraftIn):
    """Opens the draft on first write. Values that do not parse come back in ``field_errors`` and are
    not stored; the others are."""
    form = selectors.form_get(code=form_code)
    period = _period(form, period_key)
    unit = unit_get_by_code(actor=request.auth, code=unit_code, on=period.end)
    entries = {
        code: services.Entry(raw=entry.value, confirmed=entry.confirmed, reason=entry.reason)
        for code, entry in payload.values.items()
    }
    with transaction.atomic():  # a refused save leaves no empty draft behind
        submission = services.submission_open(actor=request.auth, form=form, unit=unit, period=period)
        result = services.submission_save(
            actor=request.auth,
            submission=submission,
            entries=entries,
            is_nil=payload.is_nil,
            comments=payload.comments,
            row_version=payload.row_version,
        )
    saved = _detail(request, result.submission.pk)
    saved.field_errors = result.field_errors
    return saved


@router.post("/reports/{int:submission_id}/submit", response=SubmissionDetailOut, summary="Gửi báo cáo lên cấp trên")
def submit_report(request, submission_id: int, payload: SubmitIn = None):
    row_version = payload.row_version if payload is not None else None
    services.submission_submit(actor=request.auth, submission=_detail(request, submission_id), row_version=row_version)
    return _detail(request, submission_id)


@router.post("/reports/{int:submission_id}/approve", response=SubmissionDetailOut, summary="Duyệt báo cáo")
def approve_report(request, submission_id: int):
    services.submission_approve(actor=request.auth, submission=_detail(request, submission_id))
    return _detail(request, submission_id)


@router.post("/reports/{int:submission_id}/return", response=SubmissionDetailOut, summary="Trả lại báo cáo để sửa")
def return_report(request, submission_id: int, payload: NoteIn):
    services.submission_return(actor=request.auth, submission=_detail(request, submission_id), note=payload.note)
    return _detail(request, submission_id)


@router.post("/reports/{int:submission_id}/lock", response=SubmissionDetailOut, summary="Khóa báo cáo đã duyệt")
def lock_report(request, submission_id: int):
    services.submission_lock(actor=request.auth, submission=_detail(request, submission_id))
    return _detail(request, submission_id)


# -- completeness and roll-up ---------------------------------------------------------------------


class RangeFilters(Schema):
    unit: str = Field("", description="Mã đơn vị; mặc định: đơn vị của người dùng")
    form: str = Field(..., description="Mã biểu mẫu")
    first: str = Field(..., description="Kỳ đầu (khóa DHIS2: 20261123, 2026W48, 202611, 2026Q4, 2026)")
    last: str = Field("", description="Kỳ cuối; mặc định bằng kỳ đầu")


def _range(request, filters: RangeFilters):
    unit = _unit(request, filters.unit)
    form = selectors.form_get(code=filters.form)
    return unit, form, selectors.period_range(form, filters.first, filters.last or filters.first)


class RateOut(Schema):
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    percent: float
    on_time_percent: float


class RateRowOut(RateOut):
    unit_code: str
    unit_name: str


class RatePeriodOut(RateOut):
    period_key: str
    period_label: str


class LateUnitOut(Schema):
    unit_code: str
    unit_name: str
    overdue_missing: int = Field(description="Số kỳ đã quá hạn mà chưa gửi")
    late: int = Field(description="Số kỳ gửi lần đầu sau hạn")


class CompletenessOut(Schema):
    form: str
    unit_code: str
    unit_name: str
    first: str
    last: str
    total: RateOut
    rows: list[RateRowOut]
    series: list[RatePeriodOut]
    late_units: list[LateUnitOut]


def _rate(rate, **extra) -> dict:
    return {
        "expected": rate.expected,
        "submitted": rate.submitted,
        "on_time": rate.on_time,
        "late": rate.late,
        "missing": rate.missing,
        "percent": rate.percent,
        "on_time_percent": rate.on_time_percent,
        **extra,
    }


@router.get("/reports/completeness", response=CompletenessOut, summary="Tỷ lệ gửi báo cáo và đúng hạn")
def report_completeness(request, filters: Query[RangeFilters]):
    unit, form, period_list = _range(request, filters)
    report = selectors.completeness(actor=request.auth, unit=unit, form=form, period_list=period_list)
    return {
        "form": form.code,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "first": period_list[0].key,
        "last": period_list[-1].key,
        "total": _rate(report.total),
        "rows": [_rate(row.rate, unit_code=row.code, unit_name=row.name) for row in report.rows],
        "series": [_rate(rate, period_key=p.key, period_label=p.label()) for p, rate in report.series],
        "late_units": [
            {"unit_code": u.code, "unit_name": u.name, "overdue_missing": u.overdue_missing, "late": u.late}
            for u in report.late_units
        ],
    }


class RollupFilters(RangeFilters):
    split: bool = Field(False, description="Tách theo tháng (biểu ngày) hoặc theo kỳ")
    indicators: str = Field("", description="Mã chỉ tiêu, cách nhau bằng dấu phẩy; mặc định: mọi chỉ tiêu số")


class IndicatorOut(Schema):
    code: str
    name: str
    aggregation: str
    measure: str


class CellOut(Schema):
    value: str = Field(description="Số, dạng chuỗi để giữ đúng phần thập phân")
    reports: int


class RollupRowOut(Schema):
    unit_code: str
    unit_name: str
    bucket: dt.date | None
    merged: list[str] = Field(default_factory=list, description="Đơn vị đã hợp nhất có số liệu trong dòng này")
    values: dict[str, CellOut] = Field(description="Theo mã chỉ tiêu; thiếu mã là chưa có báo cáo (khác với 0)")


class RollupOut(Schema):
    form: str
    unit_code: str
    unit_name: str
    first: str
    last: str
    split: bool
    indicators: list[IndicatorOut]
    rows: list[RollupRowOut]
    total: RollupRowOut


@router.get("/reports/rollup", response=RollupOut, summary="Tổng hợp số liệu theo đơn vị trực thuộc")
def report_rollup(request, filters: Query[RollupFilters]):
    unit, form, period_list = _range(request, filters)
    codes = [code.strip() for code in filters.indicators.split(",") if code.strip()]
    pivot = selectors.rollup(
        actor=request.auth,
        unit=unit,
        form=form,
        period_list=period_list,
        split=filters.split,
        indicator_codes=codes or None,
    )
    code_of = {indicator.pk: indicator.code for indicator in pivot.indicators}

    def row(r) -> dict:
        return {
            "unit_code": r.code,
            "unit_name": str(r.name),
            "bucket": r.bucket,
            "merged": r.merged,
            "values": {
                code_of[pk]: {"value": _plain(cell.value), "reports": cell.reports} for pk, cell in r.cells.items()
            },
        }

    return {
        "form": form.code,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "first": period_list[0].key,
        "last": period_list[-1].key,
        "split": pivot.split,
        "indicators": pivot.indicators,
        "rows": [row(r) for r in pivot.rows],
        "total": row(pivot.total),
    }


# -- data value sets (DHIS2 shape) ----------------------------------------------------------------

DATA_VALUE_SET_EXAMPLE = {
    "dataSet": "bc-antt-thang",
    "dataValues": [{"dataElement": "tngt_vu", "period": "202611", "orgUnit": "23500", "value": "3"}],
}


# The import reads the body itself (``exchange.import_values``), row by row, so that each bad value is
# reported with its position; the document still describes the shape it takes.
DATA_VALUE_SET_IN = {
    "type": "object",
    "properties": {
        "dataSet": {"type": "string", "description": "Mã biểu mẫu, cho mọi giá trị không ghi `dataSet` riêng"},
        "dataValues": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "dataSet": {"type": "string"},
                    "dataElement": {"type": "string", "description": "Mã chỉ tiêu"},
                    "period": {"type": "string", "description": "Kỳ (khóa DHIS2: 20261123, 2026W48, 202611…)"},
                    "orgUnit": {"type": "string", "description": "Mã đơn vị"},
                    "value": {"type": ["string", "number", "null"]},
                },
                "required": ["dataElement", "period", "orgUnit"],
            },
        },
    },
    "required": ["dataValues"],
}


class DataValueOut(Schema):
    dataElement: str
    period: str
    orgUnit: str
    value: str | None


class DataValueSetOut(Schema):
    dataSet: str
    dataValues: list[DataValueOut]


class ImportOut(Schema):
    dry_run: bool
    created: int
    updated: int
    unchanged: int


@router.get("/dataValueSets", response=DataValueSetOut, summary="Xuất số liệu dạng data value set của DHIS2")
def export_data_values(request, filters: Query[RangeFilters]):
    unit, form, period_list = _range(request, filters)
    content, _content_type, _ext = exchange.export_values(
        actor=request.auth, unit=unit, form=form, period_list=period_list, fmt="json"
    )
    return json.loads(content)


@router.post(
    "/dataValueSets",
    response=ImportOut,
    summary="Nhập số liệu dạng data value set của DHIS2",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": DATA_VALUE_SET_IN, "example": DATA_VALUE_SET_EXAMPLE}},
        }
    },
)
def import_data_values(request, dry_run: bool = Query(False, alias="dryRun")):
    """All or nothing: a refused import answers 400 with every problem in ``extra.errors`` as
    ``{"row", "column", "message"}`` (row = position in ``dataValues``, from 1)."""
    result = exchange.import_values(actor=request.auth, filename="api.json", content=request.body, dry_run=dry_run)
    return {
        "dry_run": result.dry_run,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
