"""Writes to the register: registration with a gap-free serial, workflow steps with deadlines."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_CASES
from cax.cases import deadlines
from cax.cases.choices import Kind, NonProsecutionGround, Status, SuspensionGround
from cax.cases.models import Case, CaseEvent, DeadlineRule, Holiday, RegisterCounter
from cax.cases.workflow import REQUIRED, allowed_next
from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors, next_in_sequence
from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog
from cax.core.scoping import require_write
from cax.core.text import search_key
from cax.units.models import Unit

CLOCK_SKEW = dt.timedelta(minutes=5)


class ConcurrentEdit(DomainError):
    """Someone else changed the case since it was loaded; nothing was saved."""

    status_code = 409


@contextlib.contextmanager
def _rules_or_domain_error():
    """No rule in force (a date before the first rule, two versions on one day) is a data problem
    to explain to the user, not a server error."""
    try:
        yield
    except LookupError as exc:
        raise DomainError(_("Không có quy tắc thời hạn áp dụng được: {e}").format(e=exc)) from exc


def engine_inputs() -> tuple[list[deadlines.Rule], deadlines.Calendar]:
    """The rules and holidays in the database, as the pure deadline engine takes them."""
    rules = [
        deadlines.Rule(
            code=r.code,
            amount=r.amount,
            unit=r.unit,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            remote_amount=r.remote_amount,
            legal_basis=r.legal_basis,
        )
        for r in DeadlineRule.objects.all()
    ]
    return rules, deadlines.Calendar(holidays=frozenset(Holiday.objects.values_list("day", flat=True)))


def _check_can_work(actor: Any, unit: Unit) -> None:
    require_write(actor, CHANGE_CASES, unit, _("Bạn không có quyền ghi sổ tiếp nhận nguồn tin."))


def _next_serial(unit: Unit, year: int) -> int:
    """Locks the unit's counter row for the year; the lock lasts until the registration commits."""
    return next_in_sequence(RegisterCounter, unit=unit, year=year)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without zone (an API client's "2025-09-10T14:00") is Vietnam's local time."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _validate_times(received_at: dt.datetime, incident_at: dt.datetime | None, now: dt.datetime) -> None:
    errors = {}
    if received_at > now + CLOCK_SKEW:
        errors["received_at"] = [_("Thời điểm tiếp nhận không thể ở tương lai.")]
    if incident_at is not None and incident_at > received_at:
        errors["incident_at"] = [_("Thời điểm xảy ra không thể sau thời điểm tiếp nhận.")]
    if errors:
        raise DomainError(" ".join(m for ms in errors.values() for m in ms), fields=errors)


@transaction.atomic
def case_register(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    channel: str,
    received_at: dt.datetime,
    reporter_kind: str,
    reporter_name: str,
    summary: str,
    now: dt.datetime | None = None,
    **details: Any,
) -> Case:
    """Enter a report in the unit's register with the next serial of the year, and start the
    transfer clock (24 h, 48 h for remote communes: rules from the database)."""
    _check_can_work(actor, unit)
    now = now or timezone.now()
    received_at = _aware(received_at)
    if details.get("incident_at") is not None:
        details["incident_at"] = _aware(details["incident_at"])
    _validate_times(received_at, details.get("incident_at"), now)
    if kind not in Kind.values:
        raise DomainError(_("Loại nguồn tin không hợp lệ: {k}").format(k=kind))
    rules, calendar = engine_inputs()
    # Local time: a period counted in days ends at midnight in Vietnam, not in UTC.
    received_at = timezone.localtime(received_at)
    with _rules_or_domain_error():
        due = deadlines.transfer_deadline(received_at, remote=unit.is_remote, rules=rules, calendar=calendar)
    year = timezone.localtime(received_at).year
    case = Case(
        unit=unit,
        year=year,
        kind=kind,
        channel=channel,
        received_at=received_at,
        received_by=actor if getattr(actor, "is_authenticated", False) else None,
        reporter_kind=reporter_kind,
        reporter_name=reporter_name.strip(),
        summary=summary.strip(),
        due_at=due.due,
        due_rule=due.rule.code,
        **details,
    )
    case.search_key = search_key(f"{case.summary[:300]}")
    try:
        case.full_clean(
            exclude=[
                "unit",
                "received_by",
                "receiving_officer",
                "incident_unit",
                "category",
                "duplicate_of",
                "serial",
                "year",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
    except Exception as exc:  # ValidationError: field-level problems, reported per field
        raise DomainError(
            "; ".join(getattr(exc, "messages", [str(exc)])), fields=getattr(exc, "message_dict", {})
        ) from exc
    case.serial = _next_serial(unit, year)
    with constraint_errors(Case):
        case.save()
    _event(case, actor, "", Status.RECEIVED, received_at, "", due)
    record_change(actor=actor, obj=case, action=ChangeLog.Action.CREATE)
    return case


def _event(case: Case, actor: Any, from_status: str, to_status: str, at, note: str, due, data=None) -> None:
    is_user = getattr(actor, "is_authenticated", False)
    CaseEvent.objects.create(
        case=case,
        from_status=from_status,
        to_status=to_status,
        actor=actor if is_user else None,
        actor_name=actor.get_username() if is_user else "system",
        at=at,
        note=note,
        due_at=due.due if due else None,
        due_rule=due.rule.code if due else "",
        data=data or {},
    )


def _next_deadline(case: Case, to_status: str, at: dt.datetime, data: dict[str, Any]):
    rules, calendar = engine_inputs()
    case.received_at, at = timezone.localtime(case.received_at), timezone.localtime(at)
    if to_status == Status.PRELIMINARY_CHECK:
        return deadlines.transfer_deadline(case.received_at, remote=case.unit.is_remote, rules=rules, calendar=calendar)
    if to_status in (Status.TAKEN_UP, Status.TRANSFERRED, Status.VERIFYING):
        return deadlines.resolution_deadline(case.received_at, rules=rules, calendar=calendar)
    if to_status == Status.EXTENDED:
        # CPC Art. 147(2): the investigating body extends once, then the procuracy once.
        if CaseEvent.objects.filter(
            case=case, to_status=Status.EXTENDED, data__extended_by=data["extended_by"]
        ).exists():
            raise DomainError(
                _("Đã gia hạn một lần bởi cơ quan này; luật chỉ cho phép một lần."),
                fields={"extended_by": [_("Đã dùng")]},
            )
        try:
            deadlines.check_extension(
                data["new_due"],
                current_due=case.due_at,
                by=data["extended_by"],
                received_at=case.received_at,
                requested_at=data.get("requested_at"),
                rules=rules,
                calendar=calendar,
            )
        except deadlines.ExtensionRefused as exc:
            raise DomainError(str(exc), fields={"new_due": [str(exc)]}) from exc
        rule = deadlines.rule_in_force(rules, f"extend_{data['extended_by']}", case.received_at.date())
        return deadlines.Deadline(code=rule.code, due=data["new_due"], rule=rule)
    if to_status == Status.RESUMED:
        return deadlines.resumption_deadline(at, rules=rules, calendar=calendar)
    return None  # decided, suspended or closed: no running clock


@transaction.atomic
def case_transition(
    *,
    actor: Any,
    case: Case,
    to_status: str,
    expected_version: int,
    note: str = "",
    at: dt.datetime | None = None,
    **data: Any,
) -> Case:
    """Move a case one step; refused with a clear message when the step is not allowed from here,
    lacks what it needs, or someone else changed the case since ``expected_version`` was read."""
    _check_can_work(actor, case.unit)
    at = _aware(at) or timezone.now()
    data = {k: _aware(v) if isinstance(v, dt.datetime) else v for k, v in data.items()}
    if to_status not in allowed_next(case.status):
        raise DomainError(
            _("Không thể chuyển từ “{a}” sang “{b}”. Bước tiếp theo hợp lệ: {n}.").format(
                a=Status(case.status).label,
                b=Status(to_status).label if to_status in Status.values else to_status,
                n=", ".join(str(Status(s).label) for s in sorted(allowed_next(case.status))) or "—",
            )
        )
    missing = [key for key in REQUIRED.get(to_status, ()) if not data.get(key)]
    if missing:
        raise DomainError(
            _("Thiếu thông tin: {f}").format(f=", ".join(missing)), fields={key: [_("Bắt buộc")] for key in missing}
        )
    _check_grounds(to_status, data)
    last = CaseEvent.objects.filter(case=case).order_by("-at").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise DomainError(
            _("Thời điểm của bước này không thể trước bước trước ({d:%d/%m/%Y %H:%M}).").format(
                d=timezone.localtime(last)
            ),
            fields={"at": [_("Không hợp lệ")]},
        )
    if at > timezone.now() + CLOCK_SKEW:
        raise DomainError(_("Thời điểm của bước này không thể ở tương lai."), fields={"at": [_("Không hợp lệ")]})
    before = snapshot(case)
    with _rules_or_domain_error():
        due = _next_deadline(case, to_status, at, data)
    changes = {"status": to_status, "due_at": due.due if due else None, "due_rule": due.rule.code if due else ""}
    # Only what this step carries (REQUIRED): a stray field in a request must not reach the row.
    for key in ("transferred_to", "non_prosecution_ground", "suspension_ground"):
        if key in REQUIRED.get(to_status, ()):
            changes[key] = str(data[key])[:200]
    # Optimistic lock: the UPDATE only matches the version the user saw.
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=expected_version + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ConcurrentEdit(
            _("Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang; thông tin bạn nhập chưa được lưu.")
        )
    from_status = case.status
    case.refresh_from_db()
    _event(
        case,
        actor,
        from_status,
        to_status,
        at,
        note,
        due,
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items() if v},
    )
    record_change(actor=actor, obj=case, action=ChangeLog.Action.UPDATE, before=before, message=note)
    return case


def case_apply_step(*, actor: Any, case: Case, values: dict[str, Any]) -> Case:
    """A step as the web form and the API submit it: one flat mapping, empty values ignored."""
    data = {k: v for k, v in values.items() if v not in (None, "")}
    return case_transition(
        actor=actor,
        case=case,
        to_status=data.pop("to_status"),
        expected_version=data.pop("version"),
        at=data.pop("at", None),
        note=data.pop("note", ""),
        **data,
    )


def _check_grounds(to_status: str, data: dict[str, Any]) -> None:
    ground = data.get("non_prosecution_ground")
    if to_status == Status.NOT_PROSECUTED and ground not in NonProsecutionGround.values:
        raise DomainError(_("Căn cứ không khởi tố phải là một căn cứ của Điều 157."))
    ground = data.get("suspension_ground")
    if to_status == Status.SUSPENDED and ground not in SuspensionGround.values:
        raise DomainError(_("Căn cứ tạm đình chỉ phải là một căn cứ của Điều 148."))
    if to_status == Status.EXTENDED and data.get("extended_by") not in ("investigation", "procuracy"):
        raise DomainError(
            _("Gia hạn phải do Cơ quan điều tra hoặc Viện kiểm sát."), fields={"extended_by": [_("Không hợp lệ")]}
        )


@transaction.atomic
def case_mark_duplicate(*, actor: Any, case: Case, of: Case) -> Case:
    _check_can_work(actor, case.unit)
    if of.pk == case.pk or of.duplicate_of_id is not None:
        raise DomainError(_("Chỉ đánh dấu trùng với một nguồn tin gốc (không phải chính nó, không phải bản trùng)."))
    before = snapshot(case)
    # Versioned like a step, so a step saved at the same moment is not silently overwritten.
    if not Case.objects.filter(pk=case.pk, version=case.version).update(
        duplicate_of=of, version=case.version + 1, updated_at=timezone.now()
    ):
        raise ConcurrentEdit(
            _("Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang; thông tin bạn nhập chưa được lưu.")
        )
    case.refresh_from_db()
    record_change(
        actor=actor,
        obj=case,
        action=ChangeLog.Action.UPDATE,
        before=before,
        message=_("Đánh dấu trùng với {c}").format(c=of),
    )
    return case


ERASED = "[đã xoá theo thời hạn lưu trữ]"
FINISHED = (Status.CLOSED, Status.TRANSFERRED, Status.PROSECUTED, Status.NOT_PROSECUTED)


@transaction.atomic
def cases_purge_reporter_identities(*, actor: Any, finished_before: dt.datetime, dry_run: bool = False) -> int:
    """Erases reporter identities of cases whose last step is older than the retention period.

    The register entry, its serial, summary and timeline stay; only the personal fields go, and
    each erasure is in the change log (without the erased values).
    """
    from django.db.models import Max

    cases = list(
        Case.objects.filter(status__in=FINISHED)
        .exclude(reporter_name=ERASED)
        .annotate(last_step=Max("events__at"))
        .filter(last_step__lt=finished_before)
        .select_related("unit")
    )
    if dry_run:
        return len(cases)
    for case in cases:
        for field in Case.PERSONAL_FIELDS:
            setattr(case, field, ERASED if field == "reporter_name" else "")
        case.save(update_fields=[*Case.PERSONAL_FIELDS, "updated_at"])
        # before=None: the log must not keep what the law says to erase.
        record_change(
            actor=actor,
            obj=case,
            action=ChangeLog.Action.UPDATE,
            before=None,
            message=_("Xoá danh tính người báo tin hết thời hạn lưu trữ"),
        )
    return len(cases)
