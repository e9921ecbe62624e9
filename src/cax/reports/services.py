"""Writes for periodic reports: drafts, the workflow, lock exceptions, the roll-up cells (#6).

Workflow: draft → submitted → approved (by the upper level) or returned with a note → locked.
A returned report goes back to the commune, which fixes and resubmits it. Past the lock time
(M days after the period) nothing is written for the unit and period unless the upper level has
granted an exception. Every step is in the change log; every step that changes what counts in
the roll-up rewrites that unit's roll-up cells in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core import formatting
from cax.core.changelog import record_change, record_changes_bulk, snapshot
from cax.core.db import next_in_sequence
from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog
from cax.reports import expressions, notices, periods, policy, prefill
from cax.reports.models import (
    COUNTED,
    Aggregation,
    DocumentCounter,
    FormItem,
    FormVersion,
    Indicator,
    LockException,
    ReportForm,
    RollupCell,
    Status,
    Submission,
    Value,
    ValueType,
)
from cax.units.kinds import require_valid_on
from cax.units.models import Unit

EDITABLE = (Status.DRAFT, Status.RETURNED)
THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
INTEGRAL = re.compile(r"^\d+[.,]0+$")
MAX_NUMBER = decimal.Decimal("1e15")


class ConcurrentEdit(DomainError):
    """Someone saved the report after this page was loaded; nothing was saved."""

    status_code = 409


# -- form versions and schedule ------------------------------------------------------------------


def version_for(form: ReportForm, period: periods.Period) -> FormVersion:
    """The version in force on the period's first day."""
    version = (
        FormVersion.objects.filter(form=form, valid_from__lte=period.start)
        .order_by("-valid_from")
        .prefetch_related("reporting_unit_types")
        .first()
    )
    if version is None:
        raise DomainError(
            _("Biểu mẫu “{f}” chưa có phiên bản áp dụng cho kỳ {p}.").format(f=form.name, p=period.label())
        )
    return version


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def schedule(version: FormVersion, period: periods.Period) -> tuple[dt.datetime, dt.datetime]:
    """(due, lock): due at ``due_time`` ``due_days`` after the last day; locked at the end of the day
    ``lock_days`` after it."""
    due_time = version.due_time if isinstance(version.due_time, dt.time) else dt.time.fromisoformat(version.due_time)
    due = _local(period.end + dt.timedelta(days=version.due_days), due_time)
    lock = _local(period.end + dt.timedelta(days=version.lock_days + 1), dt.time(0))
    return due, lock


def valid_on(unit: Any, day: dt.date) -> bool:
    """Whether a unit (or a row with its validity dates) exists on ``day``: ``UnitQuerySet.open_on``
    in Python."""
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day)


def is_expected(version: FormVersion, unit: Unit, period: periods.Period) -> bool:
    """Whether the unit must report the period: its type reports this version and it exists on the
    period's last day (a unit merged away mid-period leaves the report to its successor)."""
    types = {t.pk for t in version.reporting_unit_types.all()}
    return unit.unit_type_id in types and valid_on(unit, period.end)


def active_exception(form: ReportForm, unit: Unit, period_start: dt.date, now: dt.datetime) -> LockException | None:
    return (
        LockException.objects.filter(form=form, unit=unit, period_start=period_start, until__gt=now)
        .order_by("-until")
        .first()
    )


def is_locked(submission: Submission, now: dt.datetime) -> bool:
    if submission.status == Status.LOCKED:
        return True
    if now < submission.lock_at:
        return False
    return active_exception(submission.form, submission.unit, submission.period_start, now) is None


def _refuse_if_locked(submission: Submission, now: dt.datetime) -> None:
    if is_locked(submission, now):
        raise DomainError(
            _("Kỳ {p} đã khóa sổ từ {t}. Đề nghị cấp trên mở khóa nếu cần sửa.").format(
                p=submission.period_label, t=timezone.localtime(submission.lock_at).strftime("%H:%M %d/%m/%Y")
            )
        )


# -- opening a draft ------------------------------------------------------------------------------


def submission_open(
    *, actor: Any, form: ReportForm, unit: Unit, period: periods.Period, now: dt.datetime | None = None
) -> Submission:
    """The unit's report for the period, created as a draft on first write."""
    now = now or timezone.now()
    policy.require_editor(actor, unit)
    existing = Submission.objects.select_related("form", "unit", "version").filter(
        form=form, unit=unit, period_start=period.start
    )
    submission = existing.first()
    if submission is not None:
        return submission
    if period.start > timezone.localdate(now):
        raise DomainError(_("Kỳ {p} chưa bắt đầu.").format(p=period.label()))
    version = version_for(form, period)
    if not is_expected(version, unit, period):
        # A merged unit reports the periods it existed for; after that, its successor does (issue 14).
        require_valid_on(unit, period.end, field="unit")
        raise DomainError(
            _("{u} không thuộc diện báo cáo “{f}” kỳ {p}.").format(u=unit.name, f=form.name, p=period.label())
        )
    submission = new_submission(form, version, unit, period)
    _refuse_if_locked(submission, now)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # opened by a colleague at the same moment
        return existing.get()
    record_change(actor=actor, obj=submission, action=ChangeLog.Action.CREATE, message=_("Mở báo cáo"))
    return submission


def new_submission(form: ReportForm, version: FormVersion, unit: Unit, period: periods.Period, **fields) -> Submission:
    """An unsaved report of ``unit`` for ``period`` with its due and lock times."""
    due, lock = schedule(version, period)
    return Submission(
        form=form,
        version=version,
        unit=unit,
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        due_at=due,
        lock_at=lock,
        **fields,
    )


def items_of(version: FormVersion) -> list[FormItem]:
    return list(version.items.select_related("indicator").order_by("order", "pk"))


def with_section_breaks(items: list[FormItem]):
    """(item, the section title to show above it, or "" when it continues the section before)."""
    previous = None
    for item in items:
        yield item, item.section if item.section != previous else ""
        previous = item.section


# -- values ---------------------------------------------------------------------------------------


def parse_value(indicator: Indicator, raw: Any) -> tuple[decimal.Decimal | None, str]:
    """(number, text) for a raw input; raises ValueError with a message for the user."""
    text = "" if raw is None else str(raw).strip()
    if indicator.value_type == ValueType.TEXT:
        if len(text) > 10000:
            raise ValueError(_("Nội dung quá dài (tối đa 10.000 ký tự)."))
        return None, text
    if text == "":
        return None, ""
    if indicator.value_type == ValueType.BOOLEAN:
        lowered = text.lower()
        if lowered in {"1", "true", "có", "co", "yes", "x"}:
            return decimal.Decimal(1), ""
        if lowered in {"0", "false", "không", "khong", "no"}:
            return decimal.Decimal(0), ""
        raise ValueError(_("Chọn Có hoặc Không."))
    cleaned = text.replace(" ", "")
    if indicator.value_type == ValueType.INTEGER:
        if THOUSANDS.match(cleaned):  # 1.234 or 1,234: grouped thousands
            cleaned = cleaned.replace(".", "").replace(",", "")
        elif INTEGRAL.match(cleaned):  # 3.0 from a spreadsheet or a JSON number
            cleaned = cleaned.split(".")[0].split(",")[0]
        if not cleaned.isdigit():
            raise ValueError(_("Phải là số nguyên không âm."))
        number = decimal.Decimal(cleaned)
    else:
        try:
            number = decimal.Decimal(cleaned.replace(",", "."))
        except decimal.InvalidOperation as exc:
            raise ValueError(_("Phải là một số.")) from exc
        if not number.is_finite():
            raise ValueError(_("Phải là một số."))
        number = number.quantize(decimal.Decimal("0.0001"), rounding=decimal.ROUND_HALF_UP)
    if abs(number) >= MAX_NUMBER:
        raise ValueError(_("Số quá lớn."))
    return number, ""


@dataclass
class Entry:
    """What the form sends for one indicator."""

    raw: Any = None
    confirmed: bool = False
    reason: str = ""


@dataclass
class SaveResult:
    submission: Submission
    field_errors: dict[str, str] = field(default_factory=dict)


def _lock_row(submission: Submission, row_version: int | None) -> Submission:
    locked = Submission.objects.select_for_update().select_related("form", "unit", "version").get(pk=submission.pk)
    if row_version is not None and locked.row_version != row_version:
        raise ConcurrentEdit(
            _("Báo cáo vừa được người khác lưu. Tải lại trang để xem bản mới; dữ liệu bạn nhập chưa được lưu.")
        )
    return locked


def prefill_values(submission: Submission, items: list[FormItem]) -> dict[int, decimal.Decimal]:
    """Current values of the prefilled items, keyed by indicator id (a read: the entry page shows them)."""
    result = {}
    for item in items:
        if item.prefill_source and item.prefill_source in prefill.sources():
            values = prefill.compute(
                item.prefill_source, [submission.unit_id], submission.period_start, submission.period_end
            )
            result[item.indicator_id] = values[submission.unit_id]
    return result


def _save_values(actor: Any, submission: Submission, items: list[FormItem], entries: Mapping[str, Entry]):
    """Stores the entries that parse (new values in one insert, changed ones saved, each logged)
    with the CAX value they were shown beside; returns the others' errors by indicator code."""
    by_code = {item.indicator.code: item for item in items}
    prefilled = prefill_values(submission, items)
    existing = {v.indicator_id: v for v in Value.objects.filter(submission=submission)}
    errors: dict[str, str] = {}
    created, changed = [], []
    for code, entry in entries.items():
        item = by_code[code]
        try:
            number, text = parse_value(item.indicator, entry.raw)
        except ValueError as exc:
            errors[code] = str(exc)
            continue
        value = existing.get(item.indicator_id)
        before = snapshot(value) if value else None
        if value is None:
            value = Value(submission=submission, indicator=item.indicator)
        value.number, value.text = number, text
        value.prefilled = prefilled.get(item.indicator_id)
        value.confirmed = bool(entry.confirmed) and value.prefilled is not None and number == value.prefilled
        value.correction_reason = (entry.reason or "").strip()[:255]
        if before is None:
            created.append(value)
        elif before != snapshot(value):
            changed.append((value, before))
    Value.objects.bulk_create(created)
    for value, _before in changed:
        value.save()
    log = [(v, ChangeLog.Action.CREATE, None) for v in created] + [
        (v, ChangeLog.Action.UPDATE, before) for v, before in changed
    ]
    record_changes_bulk(actor=actor, entries=log, message=_("Lưu nháp báo cáo"))
    return errors


@transaction.atomic
def submission_save(
    *,
    actor: Any,
    submission: Submission,
    entries: Mapping[str, Entry],
    is_nil: bool | None = None,
    comments: Mapping[str, str] | None = None,
    row_version: int | None = None,
    now: dt.datetime | None = None,
) -> SaveResult:
    """Save a draft (autosave and the Save button). Values that parse are kept, the others are
    reported per field and not stored: the page still holds what was typed."""
    now = now or timezone.now()
    policy.require_editor(actor, submission.unit)
    submission = _lock_row(submission, row_version)
    if submission.status not in EDITABLE:
        raise DomainError(
            _("Báo cáo đang ở trạng thái “{s}”, không sửa được.").format(s=submission.get_status_display())
        )
    _refuse_if_locked(submission, now)
    items = items_of(submission.version)
    unknown = sorted(set(entries) - {item.indicator.code for item in items})
    if unknown:
        raise DomainError(_("Chỉ tiêu không có trong biểu mẫu: {c}.").format(c=", ".join(unknown)))
    errors = _save_values(actor, submission, items, entries)
    before = snapshot(submission)
    if is_nil is not None:
        submission.is_nil = is_nil
    if comments is not None:
        submission.warning_comments = {k: v.strip()[:500] for k, v in comments.items() if v and v.strip()}
    submission.row_version += 1
    submission.save()
    record_change(actor=actor, obj=submission, action=ChangeLog.Action.UPDATE, before=before)
    return SaveResult(submission=submission, field_errors=errors)


# -- checks before sending ------------------------------------------------------------------------


@dataclass
class RuleOutcome:
    rule_id: int
    severity: str
    message: str
    left: decimal.Decimal
    right: decimal.Decimal


def check_rules(version: FormVersion, numbers: Mapping[str, decimal.Decimal | None]) -> list[RuleOutcome]:
    """The rules that fail for these values; a rule naming a missing value is skipped."""
    failed = []
    for rule in version.rules.all():
        left = expressions.evaluate(expressions.parse(rule.left), numbers)
        right = expressions.evaluate(expressions.parse(rule.right), numbers)
        if left is None or right is None:
            continue
        if not expressions.OPERATORS[rule.operator](left, right):
            failed.append(RuleOutcome(rule.pk, rule.severity, rule.message, left, right))
    return failed


@dataclass
class Problems:
    """Why a report cannot be sent yet: per indicator code, plus form-level messages."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    warnings: list[RuleOutcome] = field(default_factory=list)

    def add(self, code: str, message: str) -> None:
        self.fields.setdefault(code, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)


def _nil_values(submission: Submission, items: list[FormItem]) -> None:
    """A nil report states "nothing happened": every flow count is a reported 0, never blank
    (including the blanks the form saved before the box was ticked)."""
    flows = [i.indicator for i in items if i.indicator.is_numeric and i.indicator.aggregation == Aggregation.FLOW]
    existing = {v.indicator_id: v for v in Value.objects.filter(submission=submission)}
    Value.objects.bulk_create(
        Value(submission=submission, indicator=indicator, number=decimal.Decimal(0))
        for indicator in flows
        if indicator.pk not in existing
    )
    Value.objects.filter(submission=submission, indicator_id__in=[i.pk for i in flows], number__isnull=True).update(
        number=decimal.Decimal(0)
    )


def find_problems(submission: Submission, items: list[FormItem], values: dict[int, Value]) -> Problems:
    problems = Problems()
    numbers: dict[str, decimal.Decimal | None] = {}
    for item in items:
        indicator = item.indicator
        value = values.get(indicator.pk)
        numbers[indicator.code] = value.number if value else None
        filled = value is not None and (value.number is not None or value.text)
        if item.required and not filled and not submission.is_nil:
            problems.add(indicator.code, _("Chưa nhập."))
        if value is not None and value.prefilled is not None and value.number is not None:
            if value.number != value.prefilled and not value.correction_reason:
                problems.add(
                    indicator.code,
                    _("Khác số liệu CAX ({p}): ghi lý do điều chỉnh.").format(p=formatting.number(value.prefilled)),
                )
            # A nil report whose zero matches the records needs no separate confirmation.
            elif value.number == value.prefilled and not value.confirmed and not submission.is_nil:
                problems.add(indicator.code, _("Chưa xác nhận số liệu lấy từ CAX."))
    for outcome in check_rules(submission.version, numbers):
        if outcome.severity == "error":
            problems.general.append(outcome.message)
        else:
            problems.warnings.append(outcome)
            if not submission.warning_comments.get(str(outcome.rule_id)):
                problems.general.append(_("Cảnh báo “{m}” cần giải trình.").format(m=outcome.message))
    return problems


def plain_number(number: decimal.Decimal | int | None) -> str:
    """A stored number as people write it: exact, no exponent, no trailing zeros ("3", "1.5"); "" for none."""
    if number is None:
        return ""
    return format(decimal.Decimal(number).normalize(), "f")


def _next_document_number(unit: Unit, year: int) -> int:
    return next_in_sequence(DocumentCounter, unit=unit, year=year)


@transaction.atomic
def submission_submit(
    *, actor: Any, submission: Submission, row_version: int | None = None, now: dt.datetime | None = None
) -> Submission:
    """Send the report upward. Refused, with every reason, while anything blocks it."""
    now = now or timezone.now()
    policy.require_signer(actor, submission.unit)
    submission = _lock_row(submission, row_version)
    if submission.status not in EDITABLE:
        raise DomainError(
            _("Báo cáo đang ở trạng thái “{s}”, không gửi được.").format(s=submission.get_status_display())
        )
    _refuse_if_locked(submission, now)
    items = items_of(submission.version)
    if submission.is_nil:
        _nil_values(submission, items)
    values = {v.indicator_id: v for v in Value.objects.filter(submission=submission)}
    # Records may have changed since the draft was saved: a confirmation holds for the value confirmed.
    for indicator_id, fresh in prefill_values(submission, items).items():
        value = values.get(indicator_id)
        if value is not None and value.prefilled != fresh:
            value.prefilled, value.confirmed = fresh, False
            value.save(update_fields=["prefilled", "confirmed"])
    problems = find_problems(submission, items, values)
    if problems:
        # Each cell by its label on the form, in the form's order: the code is a storage key.
        messages = problems.general + [
            f"“{item.display_label}”: {' '.join(problems.fields[item.indicator.code])}"
            for item in items
            if item.indicator.code in problems.fields
        ]
        raise DomainError(_("Chưa gửi được báo cáo: {m}").format(m=" ".join(messages)), fields=problems.fields)
    before = snapshot(submission)
    first = submission.first_submitted_at is None
    if first:
        submission.first_submitted_at = now
        submission.document_year = timezone.localtime(now).year
        submission.document_number = _next_document_number(submission.unit, submission.document_year)
    submission.status, submission.submitted_at, submission.submitted_by = Status.SUBMITTED, now, actor
    submission.row_version += 1
    submission.save()
    late = first and submission.is_late
    message = _("Gửi báo cáo (muộn hạn)") if late else (_("Gửi báo cáo") if first else _("Gửi lại báo cáo"))
    record_change(actor=actor, obj=submission, action=ChangeLog.Action.UPDATE, before=before, message=message)
    refresh_rollup(submission)
    return submission


@transaction.atomic
def submission_approve(*, actor: Any, submission: Submission, now: dt.datetime | None = None) -> Submission:
    now = now or timezone.now()
    policy.require_reviewer(actor, submission.unit)
    submission = _lock_row(submission, None)
    if submission.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ duyệt được báo cáo đã gửi, đang chờ duyệt."))
    before = snapshot(submission)
    submission.status, submission.reviewed_at, submission.reviewed_by = Status.APPROVED, now, actor
    submission.return_note = ""
    submission.row_version += 1
    submission.save()
    record_change(
        actor=actor, obj=submission, action=ChangeLog.Action.UPDATE, before=before, message=_("Duyệt báo cáo")
    )
    return submission


@transaction.atomic
def submission_return(*, actor: Any, submission: Submission, note: str, now: dt.datetime | None = None) -> Submission:
    """Send the report back with what to fix; its values leave the roll-up until it is resent."""
    now = now or timezone.now()
    policy.require_reviewer(actor, submission.unit)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Ghi rõ lý do trả lại để đơn vị sửa."), fields={"note": [_("Bắt buộc.")]})
    submission = _lock_row(submission, None)
    if submission.status not in (Status.SUBMITTED, Status.APPROVED):
        raise DomainError(_("Chỉ trả lại được báo cáo đã gửi hoặc đã duyệt."))
    _refuse_if_locked(submission, now)
    before = snapshot(submission)
    submission.status, submission.reviewed_at, submission.reviewed_by = Status.RETURNED, now, actor
    submission.return_note = note[:2000]
    submission.row_version += 1
    submission.save()
    record_change(
        actor=actor, obj=submission, action=ChangeLog.Action.UPDATE, before=before, message=_("Trả lại báo cáo")
    )
    refresh_rollup(submission)
    notices.returned(submission, actor=actor)
    return submission


@transaction.atomic
def submission_lock(*, actor: Any, submission: Submission) -> Submission:
    policy.require_reviewer(actor, submission.unit)
    submission = _lock_row(submission, None)
    if submission.status != Status.APPROVED:
        raise DomainError(_("Chỉ khóa được báo cáo đã duyệt."))
    before = snapshot(submission)
    submission.status = Status.LOCKED
    submission.row_version += 1
    submission.save()
    record_change(actor=actor, obj=submission, action=ChangeLog.Action.UPDATE, before=before, message=_("Khóa báo cáo"))
    return submission


@transaction.atomic
def lock_exception_grant(
    *,
    actor: Any,
    form: ReportForm,
    unit: Unit,
    period: periods.Period,
    until: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
) -> LockException:
    """Reopen one unit's locked period until ``until`` (cấp trên cho phép nộp / sửa sau khóa sổ)."""
    now = now or timezone.now()
    policy.require_reviewer(actor, unit)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Ghi rõ lý do mở khóa.")]
    if until <= now:
        errors["until"] = [_("Thời hạn mở khóa phải ở tương lai.")]
    elif until > now + dt.timedelta(days=31):
        errors["until"] = [_("Mở khóa tối đa 31 ngày.")]
    if errors:
        raise DomainError(" ".join(m for ms in errors.values() for m in ms), fields=errors)
    submission = Submission.objects.filter(form=form, unit=unit, period_start=period.start).first()
    if submission is not None and submission.status == Status.LOCKED:
        raise DomainError(_("Báo cáo đã được cấp trên khóa sau khi duyệt; không mở khóa kỳ được."))
    exception = LockException.objects.create(
        form=form, unit=unit, period_start=period.start, until=until, reason=reason[:255], granted_by=actor
    )
    record_change(actor=actor, obj=exception, action=ChangeLog.Action.CREATE, message=_("Mở khóa kỳ báo cáo"))
    return exception


# -- roll-up cells --------------------------------------------------------------------------------


def bucket_of(form: ReportForm, period_start: dt.date) -> dt.date:
    """Daily reports are bucketed by calendar month; any longer period is its own bucket."""
    return period_start.replace(day=1) if form.periodicity == periods.DAILY else period_start


def bucket_end(form: ReportForm, bucket: dt.date) -> dt.date:
    """The last period start a bucket covers."""
    if form.periodicity != periods.DAILY:
        return bucket
    nxt = dt.date(bucket.year + 1, 1, 1) if bucket.month == 12 else dt.date(bucket.year, bucket.month + 1, 1)
    return nxt - dt.timedelta(days=1)


def bucket_expression(form: ReportForm, field: str):
    """``bucket_of`` in SQL, for the period-start column ``field``."""
    return TruncMonth(field) if form.periodicity == periods.DAILY else F(field)


def refresh_rollup(submission: Submission) -> None:
    """Rewrite the unit's cells for the submission's bucket from the counted values (≤ 31 reports)."""
    form, unit_id = submission.form, submission.unit_id
    bucket = bucket_of(form, submission.period_start)
    rollup_rebuild(form=form, unit_ids=[unit_id], first_bucket=bucket, last_bucket=bucket)


@transaction.atomic
def rollup_rebuild(*, form: ReportForm, unit_ids: list[int] | None, first_bucket: dt.date, last_bucket: dt.date) -> int:
    """Recompute the cells of ``form`` for the units (all if None) and buckets in range.

    Used by every workflow step for one unit and bucket, by imports for the buckets they touched,
    and by ``./cax manage reports_rebuild_rollup`` to repair. Returns the number of cells written.
    """
    last_day = bucket_end(form, last_bucket)
    cells = RollupCell.objects.filter(indicator__form=form, bucket__gte=first_bucket, bucket__lte=last_bucket)
    values = Value.objects.filter(
        submission__form=form,
        submission__status__in=COUNTED,
        submission__period_start__gte=first_bucket,
        submission__period_start__lte=last_day,
        number__isnull=False,
    )
    if unit_ids is not None:
        # Two sends of one commune in one month rebuild the same cells: the unit rows, locked in
        # a fixed order, make them take turns instead of colliding on the cells' unique key.
        list(Unit.objects.select_for_update().filter(pk__in=unit_ids).order_by("pk").values_list("pk", flat=True))
        cells = cells.filter(unit_id__in=unit_ids)
        values = values.filter(submission__unit_id__in=unit_ids)
    cells.delete()
    new: dict[tuple[int, int, dt.date], RollupCell] = {}
    # Sums and counts in the database; the last value per cell from one ordered pass.
    grouped = values.annotate(b=bucket_expression(form, "submission__period_start")).values_list(
        "submission__unit_id", "indicator_id", "b"
    )
    for unit_id, indicator_id, bucket, total, count in grouped.order_by().annotate(t=Sum("number"), n=Count("pk")):
        if isinstance(bucket, dt.datetime):
            bucket = bucket.date()
        new[(unit_id, indicator_id, bucket)] = RollupCell(
            unit_id=unit_id, indicator_id=indicator_id, bucket=bucket, total=total, reports=count
        )
    stock_ids = list(form.indicators.filter(aggregation=Aggregation.STOCK).values_list("pk", flat=True))
    if stock_ids:
        latest = values.filter(indicator_id__in=stock_ids).order_by(
            "submission__unit_id", "indicator_id", "submission__period_start"
        )
        for unit_id, indicator_id, start, number in latest.values_list(
            "submission__unit_id", "indicator_id", "submission__period_start", "number"
        ):
            cell = new[(unit_id, indicator_id, bucket_of(form, start))]
            cell.last_value, cell.last_period = number, start
    RollupCell.objects.bulk_create(new.values(), batch_size=5000)
    return len(new)


# -- issuing a roll-up as an official document -----------------------------------------------------


@transaction.atomic
def rollup_issue(*, actor: Any, unit: Unit, form: ReportForm, content: dict, first_key: str, last_key: str):
    """Register the next document number of ``unit`` and freeze the figures as printed."""
    from cax.reports.models import IssuedReport

    policy.require_issuer(actor, unit)
    # The issuing body is the signer's own unit (its numbering, its header), whatever unit the
    # figures are about; ``content`` names that one.
    issuer = actor.unit if actor is not None else unit
    content = {**content, "subject": unit.name}
    year = timezone.localdate().year
    issued = IssuedReport.objects.create(
        unit=issuer,
        form=form,
        first_period=first_key,
        last_period=last_key,
        year=year,
        number=_next_document_number(issuer, year),
        content=content,
        issued_by=actor,
    )
    record_change(actor=actor, obj=issued, action=ChangeLog.Action.CREATE, message=_("Ban hành báo cáo tổng hợp"))
    return issued


# -- imported values ------------------------------------------------------------------------------


def values_import(*, actor: Any, groups: dict, existing: dict, result: Any, now: dt.datetime | None = None) -> None:
    """Write validated data value sets (exchange.import_values checked every row).

    An imported report counts as submitted; it has no first-submission time, so it is never
    counted on time: legacy data fills history, it does not improve timeliness.
    """

    now = now or timezone.now()
    touched: dict[ReportForm, set[tuple[int, dt.date]]] = {}
    log: list = []
    for (form, unit, period, version), values in groups.items():
        policy.require_importer(actor, unit)
        submission = existing.get((form.pk, unit.pk, period.start))
        submission = _imported_submission(actor, submission, (form, unit, period, version), now, log)
        _import_report_values(submission, f"{unit.code} {period.key}", values, result, log)
        touched.setdefault(form, set()).add((unit.pk, bucket_of(form, period.start)))
    record_changes_bulk(actor=actor, entries=log, message=_("Nhập số liệu báo cáo"))
    for form, keys in touched.items():
        by_bucket: dict[dt.date, list[int]] = {}
        for unit_id, bucket in keys:
            by_bucket.setdefault(bucket, []).append(unit_id)
        for bucket, unit_ids in by_bucket.items():
            rollup_rebuild(form=form, unit_ids=unit_ids, first_bucket=bucket, last_bucket=bucket)
    result.rows.sort()


def _imported_submission(actor: Any, submission: Submission | None, report: tuple, now, log: list) -> Submission:
    """The report (form, unit, period, version) created, or marked, as submitted by import."""
    if submission is None:
        form, unit, period, version = report
        submission = new_submission(
            form,
            version,
            unit,
            period,
            status=Status.SUBMITTED,
            imported=True,
            submitted_at=now,
            submitted_by=actor,
        )
        submission.save()
        log.append((submission, ChangeLog.Action.CREATE, None))
        return submission
    before = snapshot(submission)
    submission.status, submission.imported = Status.SUBMITTED, True
    submission.submitted_at, submission.submitted_by = now, actor
    submission.row_version += 1
    submission.save()
    log.append((submission, ChangeLog.Action.UPDATE, before))
    return submission


def _import_report_values(submission: Submission, label: str, values: dict, result: Any, log: list) -> None:
    """Writes one report's imported values: new ones in one insert, changed ones saved (and
    logged), each row counted as created, updated or unchanged under ``label`` (unit code, period)."""
    current = {v.indicator_id: v for v in Value.objects.filter(submission=submission)}
    new = []
    for indicator, (number, text, row) in values.items():
        value = current.get(indicator.pk)
        key = f"{label} {indicator.code}"
        if value is None:
            new.append(Value(submission=submission, indicator=indicator, number=number, text=text))
            result.created += 1
            result.rows.append((row, key, "create"))
        elif (value.number, value.text) != (number, text):
            before = snapshot(value)
            value.number, value.text = number, text
            value.save(update_fields=["number", "text"])
            log.append((value, ChangeLog.Action.UPDATE, before))
            result.updated += 1
            result.rows.append((row, key, "update"))
        else:
            result.unchanged += 1
            result.rows.append((row, key, "unchanged"))
    Value.objects.bulk_create(new, batch_size=2000)
    log.extend((v, ChangeLog.Action.CREATE, None) for v in new)


def rollup_rebuild_all(*, form_code: str | None = None) -> dict[str, tuple[int, int]]:
    """Recompute the whole roll-up from the submitted values, form by form (a repair, not a routine):
    form code → (buckets, cells written)."""
    from cax.core import jobs

    forms = ReportForm.objects.filter(code=form_code) if form_code else ReportForm.objects.all()
    outcome: dict[str, tuple[int, int]] = {}
    for report_form in forms.order_by("code"):
        submissions = Submission.objects.filter(form=report_form)
        if report_form.periodicity == periods.DAILY:
            buckets = sorted({bucket_of(report_form, d) for d in submissions.dates("period_start", "month")})
        else:
            buckets = sorted(set(submissions.values_list("period_start", flat=True)))
        written = 0
        for done, bucket in enumerate(buckets):
            jobs.progress(done, len(buckets), report_form.code)
            written += rollup_rebuild(form=report_form, unit_ids=None, first_bucket=bucket, last_bucket=bucket)
        outcome[report_form.code] = (len(buckets), written)
    return outcome


def rollup_rebuild_job(job) -> dict:
    """The repair as a background job (``reports_rebuild_rollup --enqueue``): all or nothing."""
    outcome = rollup_rebuild_all(form_code=job.params.get("form") or None)
    return {code: {"buckets": b, "cells": c} for code, (b, c) in outcome.items()}
