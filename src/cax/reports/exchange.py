"""Data values in and out, in the shape of DHIS2's data value sets (#6).

JSON: ``{"dataSet": "bc-antt-thang", "dataValues": [{"dataElement": "tngt_vu", "period": "202611",
"orgUnit": "23500", "value": "3"}]}`` (``dataSet`` may also sit on each value). CSV: the columns
``dataset, dataelement, period, orgunit, value`` (Vietnamese headers work too). Periods use DHIS2's
keys (``periods.py``), units their official codes, indicators their codes.

An import is all-or-nothing: every row is checked first and every problem reported with its row
(the CSV line, header = 1; the position in ``dataValues`` for JSON) and column; a dry run executes
the same writes and rolls back. This is how legacy Excel data (saved as CSV) comes in.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.accounts.roles import IMPORT_REPORT_VALUES
from cax.core.exceptions import DomainError, PermissionDenied
from cax.core.imports import Column, ImportRejected, ImportResult, RowError, parse_table, parse_text
from cax.core.scoping import is_within_scope
from cax.reports import periods, selectors, services
from cax.reports.models import COUNTED, ReportForm, Status, Submission, Value
from cax.units.kinds import validity_problem
from cax.units.models import Unit

MAX_EXPORT_VALUES = 1_000_000

COLUMNS = [
    Column(
        "dataset",
        gettext_lazy("Biểu mẫu"),
        aliases=("dataSet", "form", "bieu mau"),
        required=True,
        parse=parse_text(40),
        example="bc-antt-thang",
    ),
    Column(
        "dataelement",
        gettext_lazy("Chỉ tiêu"),
        aliases=("dataElement", "indicator", "chi tieu"),
        required=True,
        parse=parse_text(40),
        example="tngt_vu",
    ),
    Column(
        "period", gettext_lazy("Kỳ"), aliases=("ky bao cao",), required=True, parse=parse_text(12), example="202611"
    ),
    Column(
        "orgunit",
        gettext_lazy("Mã đơn vị"),
        aliases=("orgUnit", "unit", "don vi"),
        required=True,
        parse=parse_text(32),
        example="23500",
    ),
    Column("value", gettext_lazy("Giá trị"), aliases=("gia tri",), parse=lambda v: v, example="3"),
]


def _label(key: str) -> str:
    return str(next(c.label for c in COLUMNS if c.key == key))


def _read(filename: str, content: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError], list[str]]:
    if filename.lower().endswith(".json"):
        try:
            document = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DomainError(_("Không đọc được tệp JSON: {e}").format(e=exc)) from exc
        items = document.get("dataValues") if isinstance(document, dict) else None
        if not isinstance(items, list):
            raise DomainError(_("Tệp JSON phải có danh sách “dataValues”."))
        rows, errors = [], []
        keys = {
            "dataset": "dataSet",
            "dataelement": "dataElement",
            "period": "period",
            "orgunit": "orgUnit",
            "value": "value",
        }
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                errors.append(RowError(number, "dataValues", _("phải là một đối tượng")))
                continue
            values = {
                key: item.get(name, document.get(name) if key == "dataset" else None) for key, name in keys.items()
            }
            for key in ("dataset", "dataelement", "period", "orgunit"):
                if values[key] in (None, ""):
                    errors.append(RowError(number, keys[key], _("thiếu giá trị bắt buộc")))
            rows.append(
                (number, {k: ("" if v is None else str(v).strip()) if k != "value" else v for k, v in values.items()})
            )
        return rows, errors, []
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise DomainError(_("Chỉ nhận tệp .json, .csv hoặc .xlsx."))
    parsed = parse_table(filename, content, COLUMNS)
    return [(row.row, row.values) for row in parsed.rows], parsed.errors, parsed.ignored_headers


def _unit_for(candidates: list[Unit] | None, period: periods.Period) -> Unit | None:
    """The unit of that code that existed at the period's end (a historical unit may share its
    code with today's), else the newest."""
    if not candidates:
        return None
    return next((u for u in candidates if services.valid_on(u, period.end)), candidates[0])


def require_import(actor: Any) -> None:
    if actor is not None and not actor.has_perm(IMPORT_REPORT_VALUES):
        raise PermissionDenied(_("Bạn không có quyền nhập số liệu báo cáo."))


def import_values(*, actor: Any, filename: str, content: bytes, dry_run: bool = False) -> ImportResult:
    require_import(actor)
    rows, errors, ignored = _read(filename, content)
    if not rows and not errors:
        raise DomainError(_("Tệp không có dữ liệu."))
    forms = {f.code: f for f in ReportForm.objects.all()}
    versions = {code: selectors.versions_of(f) for code, f in forms.items()}
    codes = {r.get("orgunit") for _, r in rows if r.get("orgunit")}
    units: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(code__in=codes).select_related("unit_type").newest_first():
        units[unit.code].append(unit)  # newest first, like ``unit_get_by_code``
    items_cache: dict[int, dict[str, Any]] = {}
    groups: dict[tuple, dict] = defaultdict(dict)  # (form, unit, period) → {indicator: (number, text, row)}
    seen: dict[tuple, int] = {}
    today = timezone.localdate()
    for number, row in rows:
        form = forms.get(row.get("dataset") or "")
        if form is None:
            if row.get("dataset"):
                errors.append(
                    RowError(number, _label("dataset"), _("không có biểu mẫu “{c}”").format(c=row["dataset"]))
                )
            continue
        try:
            period = form.parse_period(row.get("period") or "")
        except periods.PeriodError as exc:
            errors.append(RowError(number, _label("period"), str(exc)))
            continue
        if period.start > today:
            errors.append(RowError(number, _label("period"), _("kỳ chưa bắt đầu")))
            continue
        unit = _unit_for(units.get(row.get("orgunit") or ""), period)
        if unit is None or (actor is not None and not is_within_scope(actor, unit.path)):
            errors.append(
                RowError(
                    number,
                    _label("orgunit"),
                    _("không có đơn vị “{c}” trong phạm vi của bạn").format(c=row.get("orgunit")),
                )
            )
            continue
        version = selectors._version_at(versions[form.code], period.start)
        problem = validity_problem(unit, period.end)
        if problem:  # issue 14: the wording every register uses, naming the successors
            errors.append(RowError(number, _label("orgunit"), problem))
            continue
        if version is None or not services.is_expected(version, unit, period):
            errors.append(
                RowError(
                    number,
                    _label("orgunit"),
                    _("đơn vị không thuộc diện báo cáo biểu này kỳ {p}").format(p=period.label()),
                )
            )
            continue
        if version.pk not in items_cache:
            items_cache[version.pk] = {i.indicator.code: i.indicator for i in services.items_of(version)}
        indicator = items_cache[version.pk].get(row.get("dataelement") or "")
        if indicator is None:
            errors.append(
                RowError(
                    number,
                    _label("dataelement"),
                    _("chỉ tiêu “{c}” không có trong biểu mẫu kỳ {p}").format(
                        c=row.get("dataelement"), p=period.label()
                    ),
                )
            )
            continue
        key = (form.pk, unit.pk, period.start, indicator.pk)
        if key in seen:
            errors.append(RowError(number, _label("dataelement"), _("trùng với dòng {r}").format(r=seen[key])))
            continue
        seen[key] = number
        try:
            parsed = services.parse_value(indicator, row.get("value"))
        except ValueError as exc:
            errors.append(RowError(number, _label("value"), str(exc)))
            continue
        groups[(form, unit, period, version)][indicator] = (*parsed, number)
    existing = {
        (s.form_id, s.unit_id, s.period_start): s
        for s in Submission.objects.filter(
            form_id__in={g[0].pk for g in groups},
            unit_id__in={g[1].pk for g in groups},
            period_start__in={g[2].start for g in groups},
        )
    }
    for (form, unit, period, _version), values in groups.items():
        found = existing.get((form.pk, unit.pk, period.start))
        if found is not None and (
            found.status in (Status.APPROVED, Status.LOCKED)
            or (found.status == Status.SUBMITTED and not found.imported)
        ):
            first_row = min(r for *_x, r in values.values())
            errors.append(
                RowError(
                    first_row,
                    _label("period"),
                    _("{u} đã gửi báo cáo kỳ {p} ({s}); không ghi đè, đề nghị trả lại nếu cần sửa").format(
                        u=unit.name, p=period.label(), s=found.get_status_display()
                    ),
                )
            )
    if errors:
        raise ImportRejected(errors)
    result = ImportResult(dry_run=dry_run, ignored_headers=ignored)
    with transaction.atomic():
        services.values_import(actor=actor, groups=groups, existing=existing, result=result)
        if dry_run:
            transaction.set_rollback(True)
    return result


def export_values(
    *, actor: Any, unit: Unit, form: ReportForm, period_list, fmt: str = "json"
) -> tuple[bytes, str, str]:
    """Counted values of the subtree over the periods, as JSON or CSV data value sets."""
    values = (
        Value.objects.in_subtree(unit)
        .filter(
            submission__form=form,
            submission__status__in=COUNTED,
            submission__period_start__gte=period_list[0].start,
            submission__period_start__lte=period_list[-1].start,
        )
        .filter(submission__in=Submission.objects.visible_to(actor))
        .exclude(number__isnull=True, text="")
        .order_by("submission__period_start", "submission__unit__path", "indicator_id")
        .values_list("indicator__code", "submission__period_key", "submission__unit__code", "number", "text")
    )
    if values.count() > MAX_EXPORT_VALUES:
        raise DomainError(_("Quá nhiều giá trị; chọn ít kỳ hơn hoặc đơn vị nhỏ hơn."))

    def plain(number, text):
        return text if number is None else services.plain_number(number)

    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["dataset", "dataelement", "period", "orgunit", "value"])
        for code, period, unit_code, number, text in values.iterator(chunk_size=5000):
            writer.writerow([form.code, code, period, unit_code, plain(number, text)])
        return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", "csv"
    document = {
        "dataSet": form.code,
        "dataValues": [
            {"dataElement": code, "period": period, "orgUnit": unit_code, "value": plain(number, text)}
            for code, period, unit_code, number, text in values.iterator(chunk_size=5000)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"), "application/json", "json"
