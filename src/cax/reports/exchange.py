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
from cax.core.exports import csv_text, csv_untext
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
        except UnicodeDecodeError as exc:
            raise DomainError(_("Tệp JSON không mã hoá UTF-8: lưu lại tệp với mã UTF-8 rồi tải lên lại.")) from exc
        except json.JSONDecodeError as exc:
            # The parser's own text ("Expecting ',' delimiter") is English; its position is not.
            raise DomainError(
                _(
                    "Tệp JSON sai cú pháp ở dòng {line}, cột {col}: sửa chỗ đó (thường là thiếu dấu phẩy, ngoặc hoặc "
                    "dấu nháy) hoặc xuất lại tệp từ hệ thống gửi."
                ).format(line=exc.lineno, col=exc.colno)
            ) from exc
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
    rows = [(row.row, row.values) for row in parsed.rows]
    if filename.lower().endswith(".csv"):
        for _number, values in rows:  # a text value the export protected (core.exports.csv_text)
            if isinstance(values.get("value"), str):
                values["value"] = csv_untext(values["value"])
    return rows, parsed.errors, parsed.ignored_headers


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
    checker = _RowChecker(actor, rows)
    groups: dict[tuple, dict] = defaultdict(dict)  # (form, unit, period) → {indicator: (number, text, row)}
    for number, row in rows:
        try:
            checked = checker.check(number, row)
        except _Refused as refused:
            errors.append(refused.error)
            continue
        if checked is not None:
            group, indicator, value = checked
            groups[group][indicator] = value
    existing = {
        (s.form_id, s.unit_id, s.period_start): s
        for s in Submission.objects.filter(
            form_id__in={g[0].pk for g in groups},
            unit_id__in={g[1].pk for g in groups},
            period_start__in={g[2].start for g in groups},
        )
    }
    errors.extend(_overwrite_errors(groups, existing))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult(dry_run=dry_run, ignored_headers=ignored)
    with transaction.atomic():
        services.values_import(actor=actor, groups=groups, existing=existing, result=result)
        if dry_run:
            transaction.set_rollback(True)
    return result


class _Refused(Exception):
    """A row of the file refused, with its error (``_RowChecker``'s steps stop at the first)."""

    def __init__(self, number: int, column: str, message: str):
        super().__init__(message)
        self.error = RowError(number, _label(column), message)


class _RowChecker:
    """Checks the rows of one file against the forms, units and indicators, each read once for the
    whole file, and remembers which value each row set so that a second row for it is refused."""

    def __init__(self, actor: Any, rows: list[tuple[int, dict]]):
        self.actor = actor
        self.forms = {f.code: f for f in ReportForm.objects.all()}
        self.versions = {code: selectors.versions_of(f) for code, f in self.forms.items()}
        codes = {r.get("orgunit") for _, r in rows if r.get("orgunit")}
        self.units: dict[str, list[Unit]] = defaultdict(list)
        for unit in Unit.objects.filter(code__in=codes).select_related("unit_type").newest_first():
            self.units[unit.code].append(unit)  # newest first, like ``unit_get_by_code``
        self.items_cache: dict[int, dict[str, Any]] = {}
        self.seen: dict[tuple, int] = {}
        self.today = timezone.localdate()

    def check(self, number: int, row: dict):
        """((form, unit, period, version), indicator, (number, text, row)) for a good row, None
        for a row that names no form (nothing to import); raises ``_Refused`` for a bad one."""
        form = self.forms.get(row.get("dataset") or "")
        if form is None:
            if row.get("dataset"):
                raise _Refused(number, "dataset", _("không có biểu mẫu “{c}”").format(c=row["dataset"]))
            return None
        try:
            period = form.parse_period(row.get("period") or "")
        except periods.PeriodError as exc:
            raise _Refused(number, "period", str(exc)) from exc
        if period.start > self.today:
            raise _Refused(number, "period", _("kỳ chưa bắt đầu"))
        unit = self._unit(number, row, form, period)
        version = selectors._version_at(self.versions[form.code], period.start)
        problem = validity_problem(unit, period.end)
        if problem:  # issue 14: the wording every register uses, naming the successors
            raise _Refused(number, "orgunit", problem)
        if version is None or not services.is_expected(version, unit, period):
            message = _("đơn vị không thuộc diện báo cáo biểu này kỳ {p}").format(p=period.label())
            raise _Refused(number, "orgunit", message)
        indicator = self._indicator(number, row, form, unit, period, version)
        try:
            parsed = services.parse_value(indicator, row.get("value"))
        except ValueError as exc:
            raise _Refused(number, "value", str(exc)) from exc
        return (form, unit, period, version), indicator, (*parsed, number)

    def _unit(self, number: int, row: dict, form: ReportForm, period: periods.Period) -> Unit:
        """The unit of the row's code at the period, if the importer's scope holds it."""
        unit = _unit_for(self.units.get(row.get("orgunit") or ""), period)
        if unit is None or (self.actor is not None and not is_within_scope(self.actor, unit.path)):
            message = _("không có đơn vị “{c}” trong phạm vi của bạn").format(c=row.get("orgunit"))
            raise _Refused(number, "orgunit", message)
        return unit

    def _indicator(self, number: int, row: dict, form, unit, period, version):
        """The row's indicator among the version's, the first row to set it for that report."""
        if version.pk not in self.items_cache:
            self.items_cache[version.pk] = {i.indicator.code: i.indicator for i in services.items_of(version)}
        indicator = self.items_cache[version.pk].get(row.get("dataelement") or "")
        if indicator is None:
            message = _("chỉ tiêu “{c}” không có trong biểu mẫu kỳ {p}").format(
                c=row.get("dataelement"), p=period.label()
            )
            raise _Refused(number, "dataelement", message)
        key = (form.pk, unit.pk, period.start, indicator.pk)
        if key in self.seen:
            raise _Refused(number, "dataelement", _("trùng với dòng {r}").format(r=self.seen[key]))
        self.seen[key] = number
        return indicator


def _overwrite_errors(groups: dict, existing: dict) -> list[RowError]:
    """A report already sent by its unit (or approved, locked) is never overwritten by a file:
    one error per such report, on its first row."""
    errors = []
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
    return errors


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
            # Codes are machine values and a number stays a number ("-5"); only a text value is
            # free text a user typed, protected against spreadsheet formulas (docs/reports.md).
            value = services.plain_number(number) if number is not None else csv_text(text)
            writer.writerow([form.code, code, period, unit_code, value])
        return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", "csv"
    document = {
        "dataSet": form.code,
        "dataValues": [
            {"dataElement": code, "period": period, "orgUnit": unit_code, "value": plain(number, text)}
            for code, period, unit_code, number, text in values.iterator(chunk_size=5000)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"), "application/json", "json"
