"""Writes to the register: registration with a gap-free serial, workflow steps with deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.cases import clock, policy
from cax.cases.choices import Channel, EventKind, Kind, NonProsecutionGround, Status, SuspensionGround
from cax.cases.models import Case, CaseEvent, IdentityAccess, ReceivingBody, RegisterCounter
from cax.cases.workflow import DECISIONS, REQUIRED, next_steps
from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors, next_in_sequence
from cax.core.exceptions import DomainError, from_validation_error
from cax.core.models import ChangeLog
from cax.core.text import search_key, vn_datetime
from cax.units.kinds import validity_problem
from cax.units.models import Unit

CLOCK_SKEW = clock.CLOCK_SKEW


class ConcurrentEdit(DomainError):
    """Someone else changed the case since it was loaded; nothing was saved."""

    status_code = 409


def reporter_identity_reveal(*, actor: Any, case: Case, channel: str) -> dict[str, str] | None:
    """The reporter's identity for roles allowed to see it, else None. Showing a confidential
    identity is an event: it is written to the access log that auditors read (Law 91/2025), so this
    is a service, called by the page, the API and the printout that show it."""
    if not policy.can_see_identity(actor):
        return None
    if case.is_confidential:
        IdentityAccess.objects.create(case=case, user=actor, channel=channel)
    return {field: getattr(case, field) for field in Case.PERSONAL_FIELDS}


def _next_serial(unit: Unit, year: int) -> int:
    """Locks the unit's counter row for the year; the lock lasts until the registration commits."""
    return next_in_sequence(RegisterCounter, unit=unit, year=year)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without zone (an API client's "2025-09-10T14:00") is Vietnam's local time."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def receipt_problems(
    unit: Unit, received_at: dt.datetime, incident_at: dt.datetime | None, now: dt.datetime
) -> dict[str, list[str]]:
    """Why a receipt time cannot stand, by field: in the future, outside the unit's validity (before
    it was created, after a merger: the shared wording of units.kinds names the successor), or before
    the incident it reports. Registration refuses them; core.audit lists them in stored data."""
    errors = {}
    if received_at > now + CLOCK_SKEW:
        errors["received_at"] = [_("Thời điểm tiếp nhận không thể ở tương lai.")]
    elif problem := validity_problem(unit, received_at):
        errors["received_at"] = [problem]
    if incident_at is not None and incident_at > received_at:
        errors["incident_at"] = [_("Thời điểm xảy ra không thể sau thời điểm tiếp nhận.")]
    return errors


def _validate_times(unit: Unit, received_at: dt.datetime, incident_at: dt.datetime | None, now: dt.datetime) -> None:
    errors = receipt_problems(unit, received_at, incident_at, now)
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
    """Enter a report in the unit's register with the next serial of the year, and start its clock
    (clock.intake_deadline: transfer within 24 h, 48 h for remote communes; rules from the database)."""
    policy.require_worker(actor, unit)
    return _enter(
        actor=actor,
        unit=unit,
        kind=kind,
        channel=channel,
        received_at=received_at,
        reporter_kind=reporter_kind,
        reporter_name=reporter_name,
        summary=summary,
        now=now,
        **details,
    )


def _enter(*, actor: Any, unit: Unit, kind: str, channel: str, received_at: dt.datetime, now=None, **values) -> Case:
    """The entry itself, for a registration and for a transfer into another unit's register."""
    now = now or timezone.now()
    # Local time: a period counted in days ends at midnight in Vietnam, not in UTC.
    received_at = timezone.localtime(_aware(received_at))
    if values.get("incident_at") is not None:
        values["incident_at"] = _aware(values["incident_at"])
    _validate_times(unit, received_at, values.get("incident_at"), now)
    if kind not in Kind.values:
        raise DomainError(_("Loại nguồn tin không hợp lệ: {k}").format(k=kind))
    due = clock.intake_deadline(unit, received_at)
    year = received_at.year
    case = Case(
        unit=unit,
        year=year,
        kind=kind,
        channel=channel,
        received_at=received_at,
        received_by=actor if getattr(actor, "is_authenticated", False) else None,
        due_at=due.due,
        due_rule=due.rule.code,
        **values,
    )
    case.reporter_name, case.summary = case.reporter_name.strip(), case.summary.strip()
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
                "transferred_to_unit",
                "transferred_to_body",
                "transferred_from",
                "serial",
                "year",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:  # field-level problems, reported per field
        raise from_validation_error(case, exc) from exc
    case.serial = _next_serial(unit, year)
    with constraint_errors(Case):
        case.save()
    _event(case, actor, "", Status.RECEIVED, received_at, "", due)
    record_change(actor=actor, obj=case, action=ChangeLog.Action.CREATE)
    return case


def _event(
    case: Case,
    actor: Any,
    from_status: str,
    to_status: str,
    at,
    note: str,
    due,
    data=None,
    *,
    kind: str = EventKind.STEP,
    procuracy_due_at: dt.datetime | None = None,
) -> None:
    is_user = getattr(actor, "is_authenticated", False)
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor if is_user else None,
        actor_name=actor.get_username() if is_user else "system",
        at=at,
        note=note,
        due_at=due.due if due else None,
        due_rule=due.rule.code if due else "",
        procuracy_due_at=procuracy_due_at,
        data=data or {},
    )


def _check_step_time(case: Case, at: dt.datetime) -> None:
    last = CaseEvent.objects.filter(case=case).order_by("-at").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise DomainError(
            _("Thời điểm của bước này không thể trước bước trước ({d}).").format(d=vn_datetime(last)),
            fields={"at": [_("Không hợp lệ")]},
        )
    if at > timezone.now() + CLOCK_SKEW:
        raise DomainError(_("Thời điểm của bước này không thể ở tương lai."), fields={"at": [_("Không hợp lệ")]})


def _check_step(case: Case, to_status: str, data: dict[str, Any]) -> None:
    allowed = next_steps(case)
    if to_status not in allowed:
        raise DomainError(
            _("Không thể chuyển từ “{a}” sang “{b}”. Bước tiếp theo hợp lệ: {n}.").format(
                a=Status(case.status).label,
                b=Status(to_status).label if to_status in Status.values else to_status,
                n=", ".join(str(Status(s).label) for s in sorted(allowed)) or "—",
            )
        )
    missing = [key for key in REQUIRED.get(to_status, ()) if not data.get(key)]
    if missing:
        raise DomainError(
            _("Thiếu thông tin: {f}").format(f=", ".join(missing)), fields={key: [_("Bắt buộc")] for key in missing}
        )
    _check_grounds(to_status, data)


def _update_versioned(case: Case, expected_version: int, **changes) -> None:
    # Optimistic lock: the UPDATE only matches the version the user saw.
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=expected_version + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ConcurrentEdit(
            _("Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang; thông tin bạn nhập chưa được lưu.")
        )


def _transfer_target(case: Case, at: dt.datetime, data: dict[str, Any]) -> dict[str, Any]:
    """A transfer names a unit of CAX or a body outside it (reference list), not both: CPC Art. 146(2)."""
    unit, body, detail = data.get("to_unit"), data.get("to_body"), str(data.get("transferred_to", "")).strip()
    if (unit is None) == (body is None):
        message = _("Chọn một đơn vị trong CAX hoặc một cơ quan ngoài CAX nhận nguồn tin.")
        raise DomainError(message, fields={"to_unit": [message], "to_body": [message]})
    if unit is not None:
        if unit.pk == case.unit_id:
            message = _("Không thể chuyển nguồn tin cho chính đơn vị đang giải quyết.")
            raise DomainError(message, fields={"to_unit": [message]})
        if problem := validity_problem(unit, at):
            raise DomainError(problem, fields={"to_unit": [problem]})
        return {"transferred_to_unit": unit, "transferred_to_body": None, "transferred_to": unit.name[:200]}
    if not isinstance(body, ReceivingBody) or not body.is_active:
        message = _("Cơ quan nhận không có trong danh mục.")
        raise DomainError(message, fields={"to_body": [message]})
    shown = f"{body.name} — {detail}" if detail else body.name
    return {"transferred_to_unit": None, "transferred_to_body": body, "transferred_to": shown[:200]}


def _receive_transfer(actor: Any, case: Case, unit: Unit, at: dt.datetime) -> Case:
    """The entry in the receiving unit's register: received when sent, its own clock, a link back."""
    fields = ("reporter_kind", "reporter_name", "reporter_id_number", "reporter_contact", "reporter_address")
    return _enter(
        actor=actor,
        unit=unit,
        kind=case.kind,
        channel=Channel.TRANSFERRED_IN,
        received_at=at,
        summary=case.summary,
        is_confidential=case.is_confidential,
        incident_at=case.incident_at,
        incident_unit=case.incident_unit,
        category=case.category,
        transferred_from=case,
        **{field: getattr(case, field) for field in fields},
    )


def _step_record(data: dict[str, Any]) -> dict[str, Any]:
    """What the timeline keeps of a step's input: JSON values, units and bodies by code."""
    return {
        k: (v.isoformat() if hasattr(v, "isoformat") else getattr(v, "code", v))
        for k, v in data.items()
        if v not in (None, "")
    }


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
    lacks what it needs, or someone else changed the case since ``expected_version`` was read.

    A transfer to a unit of CAX enters the report in that unit's register; a decision starts the
    24-hour duty to send it to the procuracy."""
    policy.require_worker(actor, case.unit)
    at = timezone.localtime(_aware(at) or timezone.now())
    data = {k: _aware(v) if isinstance(v, dt.datetime) else v for k, v in data.items()}
    _check_step(case, to_status, data)
    _check_step_time(case, at)
    before = snapshot(case)
    with clock.rules_or_domain_error():
        due = clock.next_deadline(case, to_status, at, data)
        duty = clock.procuracy_duty(at) if to_status in DECISIONS else None
    changes = {"status": to_status, "due_at": due.due if due else None, "due_rule": due.rule.code if due else ""}
    # Only what this step carries (REQUIRED): a stray field in a request must not reach the row.
    for key in ("non_prosecution_ground", "suspension_ground"):
        if key in REQUIRED.get(to_status, ()):
            changes[key] = str(data[key])[:200]
    if to_status == Status.TRANSFERRED:
        changes.update(_transfer_target(case, at, data))
    if duty is not None:
        # An earlier decision not yet sent keeps the earlier deadline: it stays overdue until sent.
        pending = case.procuracy_due_at
        changes["procuracy_due_at"] = min(pending, duty.due) if pending else duty.due
    _update_versioned(case, expected_version, **changes)
    from_status = case.status
    case.refresh_from_db()
    record = _step_record(data)
    if case.transferred_to_unit_id and to_status == Status.TRANSFERRED:
        entry = _receive_transfer(actor, case, case.transferred_to_unit, at)
        record["entry"] = {"id": entry.pk, "serial": entry.serial, "year": entry.year}
    _event(case, actor, from_status, to_status, at, note, due, record, procuracy_due_at=duty.due if duty else None)
    record_change(actor=actor, obj=case, action=ChangeLog.Action.UPDATE, before=before, message=note)
    return case


@transaction.atomic
def case_send_to_procuracy(
    *, actor: Any, case: Case, expected_version: int, at: dt.datetime | None = None, note: str = ""
) -> Case:
    """Record that the decisions waiting for it have been sent to the procuracy (CPC Art. 148(2), 154,
    158: within 24 hours). A late sending is recorded too; the timeline shows by how much."""
    policy.require_worker(actor, case.unit)
    if case.procuracy_due_at is None:
        raise DomainError(_("Không có quyết định nào đang chờ gửi Viện kiểm sát."))
    at = timezone.localtime(_aware(at) or timezone.now())
    _check_step_time(case, at)
    before = snapshot(case)
    due = case.procuracy_due_at
    _update_versioned(case, expected_version, procuracy_due_at=None)
    case.refresh_from_db()
    late = max(at - due, dt.timedelta(0))
    _event(
        case,
        actor,
        case.status,
        case.status,
        at,
        note,
        None,
        {"due": due.isoformat(), "late_seconds": int(late.total_seconds())},
        kind=EventKind.PROCURACY_NOTICE,
    )
    record_change(
        actor=actor, obj=case, action=ChangeLog.Action.UPDATE, before=before, message=note or _("Gửi Viện kiểm sát")
    )
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
    policy.require_worker(actor, case.unit)
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
