"""Every write of persons under local management (issue 18.1), each in a transaction with its
change-log entry: a file and its identity, the events and the status they lead to, the duties
they owe, the temporary-absence record of an absence, hand-overs, and the access log.

The status follows from the events, never from a form: reception → under management; an absence →
absent with permission, its return → back; a violation → violated; a court's revocation or the end
of the term → ended; a hand-over accepted by the receiving commune → moved away (and the file goes
on there). Every due date comes from the rule rows (clock.py, deadlines.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.changelog import record_change, snapshot
from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.records.services import save_record
from cax.core.text import search_key, vn_date
from cax.supervision import clock, deadlines, notices, policy
from cax.supervision.models import (
    CHANGE_FILES,
    MANAGED,
    OPEN,
    CourtOutcome,
    Duty,
    Event,
    EventKind,
    FileAccess,
    Handover,
    Identity,
    Proposal,
    Status,
    StatusChange,
    SupervisionFile,
    TemporaryAbsence,
)
from cax.units.kinds import DEPARTMENT, is_commune_level, province_path
from cax.units.models import Unit

IDENTITY_FIELDS = ("full_name", "personal_id", "date_of_birth", "address")
DUTY_EVENTS = {
    EventKind.REPORT: deadlines.REPORT,
    EventKind.ASSESSMENT: deadlines.ASSESSMENT,
    EventKind.RESIDENCE_CHECK: deadlines.RESIDENCE_CHECK,
    EventKind.INCOME_DEDUCTION: deadlines.INCOME_DEDUCTION,
}
COMMITMENT_DUTY = deadlines.COMMITMENT


# -- the file ---------------------------------------------------------------------------------------


def responsible_department(unit: Unit, category) -> Unit | None:
    """The province department whose code the category names ("PC10": "<province>-PC10" or "PC10"),
    in the commune's province; None when the category names none or the province has no such unit."""
    suffix = (category.department_code or "").strip()
    if not suffix:
        return None
    province = province_path(unit)
    province_code = Unit.objects.filter(path=province).values_list("code", flat=True).first()
    codes = [suffix] + ([f"{province_code}-{suffix}"] if province_code else [])
    return (
        Unit.objects.current()
        .filter(unit_type__code=DEPARTMENT, code__in=codes, path__startswith=province)
        .order_by("level")
        .first()
    )


def _compute(file: SupervisionFile, rules: list[deadlines.Rule], calendar: deadlines.Calendar) -> None:
    """The end date and the commitment's due day, from the rules in force on the start date; a term
    outside the category's range is refused with its legal basis."""
    code = file.category.code
    problems: dict[str, list[str]] = {}
    if file.start_date and file.decision_date and file.start_date < file.decision_date:
        problems["start_date"] = [_("Ngày bắt đầu trước ngày quyết định.")]
    if file.received_on and file.decision_date and file.received_on < file.decision_date:
        problems["received_on"] = [_("Ngày nhận quyết định trước ngày quyết định.")]
    refuse_if_any(problems)
    try:
        deadlines.check_term(file.term_months, file.term_days, category=code, start=file.start_date, rules=rules)
    except deadlines.TermOutOfRange as exc:
        raise clock.term_refusal(exc) from None
    has_term = bool(file.term_months or file.term_days)
    file.end_date = (
        deadlines.term_end(
            file.start_date,
            file.term_months,
            file.term_days,
            custody_days=file.custody_days,
            category=code,
            rules=rules,
        )
        if has_term
        else None
    )
    file.commitment_due = deadlines.commitment_due(file.received_on, category=code, rules=rules, calendar=calendar)


def _copied(file: SupervisionFile) -> dict:
    """What a duty copies from its file (models.Duty: the overdue list reads the duties alone)."""
    return {"unit_id": file.unit_id, "department_id": file.department_id, "category_id": file.category_id}


def _refresh_duties(file: SupervisionFile, rules=None, calendar=None) -> None:
    """Each periodic duty's next due day (None once done for the term, or when the file no longer
    runs), and the commitment until it is made."""
    rules = clock.engine_rules() if rules is None else rules
    calendar = clock.calendar() if calendar is None else calendar
    existing = {d.code: d for d in file.duties.all()}
    wanted: dict[str, tuple[dt.date | None, str]] = {}
    running = file.status in OPEN
    for rule in clock.periodic_rules(rules, file.category.code, file.start_date):
        done = existing[rule.code].done if rule.code in existing else 0
        due = deadlines.next_due(file.start_date, file.end_date, rule, done, calendar) if running else None
        wanted[rule.code] = (due, rule.legal_basis)
    if file.commitment_due is not None:
        made = existing.get(COMMITMENT_DUTY)
        due = file.commitment_due if running and not (made and made.done) else None
        wanted[COMMITMENT_DUTY] = (due, "")
    for code, (due, basis) in wanted.items():
        duty = existing.get(code)
        if duty is None:
            Duty.objects.create(file=file, code=code, due_on=due, legal_basis=basis, **_copied(file))
        elif duty.due_on != due or duty.legal_basis != basis:
            Duty.objects.filter(pk=duty.pk).update(due_on=due, legal_basis=basis or duty.legal_basis)
    stale = [d.pk for code, d in existing.items() if code not in wanted and d.done == 0]
    Duty.objects.filter(pk__in=stale).delete()


def _identity_data(data: dict) -> dict:
    return {k: data.pop(k) for k in IDENTITY_FIELDS if k in data}


def _save_identity(actor, file: SupervisionFile, values: dict, *, creating: bool) -> None:
    identity = Identity(file=file) if creating else file.identity
    before = None if creating else snapshot(identity)
    for key, value in values.items():
        setattr(identity, key, value if value is not None else ("" if key != "date_of_birth" else None))
    if creating and not (identity.full_name or "").strip():
        raise DomainError(_("Thiếu họ và tên."), fields={"full_name": [_("Bắt buộc.")]})
    if identity.date_of_birth and identity.date_of_birth > timezone.localdate():
        raise DomainError(_("Ngày sinh ở tương lai."), fields={"date_of_birth": [_("Ngày sinh ở tương lai.")]})
    identity.search_key = search_key(f"{identity.full_name} {identity.personal_id} {identity.address}")[:500]
    if creating or before != snapshot(identity):
        identity.save()
        record_change(actor=actor, obj=identity, action="create" if creating else "update", before=before)


@transaction.atomic
def file_save(*, actor, instance, data: dict) -> SupervisionFile:
    """Create or correct a file (form, import and API): the decision, the term (its end computed),
    the supervisor, the dossier, and the identity in its own table. The status is the events'."""
    data = dict(data)
    identity = _identity_data(data)
    data.pop("status", None)
    creating = instance is None
    if creating and "category" not in data:
        raise DomainError(_("Chưa chọn loại đối tượng."), fields={"category": [_("Bắt buộc.")]})
    rules, calendar = clock.engine_rules(), clock.calendar()
    unit = data.get("unit") or (instance.unit if instance else None)
    if unit is not None and not is_commune_level(unit):
        raise DomainError(_("Hồ sơ đối tượng do Công an cấp xã quản lý."), fields={"unit": [_("Chọn một xã, phường.")]})

    def validate(obj):
        _compute(obj, rules, calendar)
        obj.department = responsible_department(obj.unit, obj.category)
        if isinstance(obj.dossier, list):
            allowed = set(obj.category.dossier_items)
            unknown = [item for item in obj.dossier if item not in allowed]
            if unknown:
                message = _("Không có trong danh mục hồ sơ của loại này: {items}.").format(items="; ".join(unknown))
                raise DomainError(message, fields={"dossier": [message]})

    file = save_record(
        actor=actor,
        instance=instance,
        model=SupervisionFile,
        data=data,
        perm=CHANGE_FILES,
        denied=_("Bạn không có quyền cập nhật hồ sơ đối tượng."),
        validate=validate,
    )
    _save_identity(actor, file, identity, creating=creating)
    if creating:
        StatusChange.objects.create(file=file, status=file.status, on=file.received_on)
    if not creating:
        # A corrected category or a department created since: the duties follow their file.
        copied = _copied(file)
        Duty.objects.filter(file=file).exclude(**copied).update(**copied)
    _refresh_duties(file, rules, calendar)
    return file


# -- events -----------------------------------------------------------------------------------------


def _locked(file: SupervisionFile) -> SupervisionFile:
    return SupervisionFile.objects.select_for_update().select_related("category", "unit").get(pk=file.pk)


def _set_status(actor, file: SupervisionFile, status: str, message: str, *, on: dt.date, **changes: Any) -> None:
    """The one place a file's status changes: the row, its change log and its dated history (the
    figures as of a past day)."""
    before = snapshot(file)
    file.status = status
    StatusChange.objects.create(file=file, status=status, on=on)
    for key, value in changes.items():
        setattr(file, key, value)
    file.version += 1
    file.save()
    record_change(actor=actor, obj=file, action="update", before=before, message=message)


def _check_day(file: SupervisionFile, on: dt.date) -> None:
    problems = {}
    if on > timezone.localdate():
        problems["on"] = [_("Ngày {d} ở tương lai.").format(d=vn_date(on))]
    elif on < file.decision_date:
        problems["on"] = [_("Ngày {d} trước ngày quyết định {q}.").format(d=vn_date(on), q=vn_date(file.decision_date))]
    refuse_if_any(problems)


def _append(actor, file, kind: str, on: dt.date, **fields: Any) -> Event:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = Event.objects.create(file=file, kind=kind, on=on, recorded_by=user, **fields)
    record_change(actor=actor, obj=file, action="update", before=snapshot(file), message=str(event))
    return event


def _duty_done(file: SupervisionFile, code: str) -> None:
    duty, _created = Duty.objects.get_or_create(file=file, code=code, defaults=_copied(file))
    Duty.objects.filter(pk=duty.pk).update(done=duty.done + 1)


@transaction.atomic
def event_record(
    *,
    actor,
    file: SupervisionFile,
    kind: str,
    on: dt.date,
    note: str = "",
    document_ref: str = "",
    outcome: str = "",
    data: dict | None = None,
) -> Event:
    """Record one event of a file and what follows from it (status, duties, the absence record)."""
    policy.require_manager(actor, file)
    file = _locked(file)
    data = dict(data or {})
    if kind not in EventKind.values or kind in (EventKind.MOVE, EventKind.HANDOVER_ACCEPTED):
        raise DomainError(_("Loại diễn biến không hợp lệ."), fields={"kind": [_("Không hợp lệ.")]})
    _check_day(file, on)
    label = str(EventKind(kind).label)
    handler = _HANDLERS.get(kind, _plain)
    event = handler(actor, file, kind, on, label, note=note, document_ref=document_ref, outcome=outcome, data=data)
    _refresh_duties(file)
    return event


def _plain(actor, file, kind, on, label, *, data, **fields) -> Event:
    policy.require_status(file, MANAGED, label)
    if kind in DUTY_EVENTS:
        _duty_done(file, DUTY_EVENTS[kind])
    return _append(actor, file, kind, on, data=data, **fields)


def _reception(actor, file, kind, on, label, *, data, **fields) -> Event:
    policy.require_status(file, (Status.WAITING,), label)
    if on < file.received_on:
        raise DomainError(
            _("Ngày tiếp nhận trước ngày nhận quyết định {d}.").format(d=vn_date(file.received_on)),
            fields={"on": [_("Trước ngày nhận quyết định.")]},
        )
    event = _append(actor, file, kind, on, data=data, **fields)
    _set_status(actor, file, Status.ACTIVE, label, on=on)
    return event


def _commitment(actor, file, kind, on, label, *, data, **fields) -> Event:
    policy.require_status(file, OPEN, label)
    if file.events.filter(kind=EventKind.COMMITMENT).exists():
        raise DomainError(_("Hồ sơ đã có bản cam kết."))
    _duty_done(file, COMMITMENT_DUTY)
    return _append(actor, file, kind, on, data=data, **fields)


def _absence(actor, file, kind, on, label, *, data, **fields) -> Event:
    policy.require_status(file, (Status.ACTIVE, Status.VIOLATED), label)
    first, last = data.get("first_day"), data.get("last_day")
    destination, reason = (data.get("destination") or "").strip(), (data.get("reason") or "").strip()
    problems = {}
    if not isinstance(first, dt.date):
        problems["first_day"] = [_("Bắt buộc.")]
    if not isinstance(last, dt.date):
        problems["last_day"] = [_("Bắt buộc.")]
    if not destination:
        problems["destination"] = [_("Bắt buộc.")]
    if not reason:
        problems["reason"] = [_("Bắt buộc.")]
    refuse_if_any(problems)
    if last < first:
        raise DomainError(_("Ngày về trước ngày đi."), fields={"last_day": [_("Trước ngày đi.")]})
    if first < on:
        raise DomainError(_("Ngày đi trước ngày cho phép."), fields={"first_day": [_("Trước ngày cho phép.")]})
    if file.end_date and last > file.end_date:
        raise DomainError(
            _("Ngày về sau ngày hết hạn {d}.").format(d=vn_date(file.end_date)),
            fields={"last_day": [_("Sau ngày hết hạn.")]},
        )
    stored = {
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "destination": destination,
        "reason": reason,
        "previous_status": file.status,
    }
    event = _append(actor, file, kind, on, data=stored, **fields)
    if deadlines.needs_temporary_absence(first, last, category=file.category.code, rules=clock.engine_rules()):
        absence = TemporaryAbsence.objects.create(
            file=file, event=event, first_day=first, last_day=last, destination=destination, reason=reason
        )
        record_change(actor=actor, obj=file, action="update", before=snapshot(file), message=str(absence))
    _set_status(actor, file, Status.ABSENT, label, on=on)
    return event


def _return(actor, file, kind, on, label, *, data, **fields) -> Event:
    policy.require_status(file, (Status.ABSENT,), label)
    leave = file.events.filter(kind=EventKind.ABSENCE).order_by("-pk").first()
    previous = (leave.data or {}).get("previous_status", Status.ACTIVE) if leave else Status.ACTIVE
    event = _append(actor, file, kind, on, data=data, **fields)
    if leave is not None:
        TemporaryAbsence.objects.filter(event=leave, returned_on__isnull=True).update(returned_on=on)
    _set_status(actor, file, previous, label, on=on)
    return event


def _violation(actor, file, kind, on, label, *, data, **fields) -> Event:
    policy.require_status(file, MANAGED, label)
    event = _append(actor, file, kind, on, data=data, **fields)
    status = Status.ABSENT if file.status == Status.ABSENT else Status.VIOLATED
    _set_status(actor, file, status, label, on=on, violations=file.violations + 1)
    return event


def _proposal(actor, file, kind, on, label, *, data, outcome, **fields) -> Event:
    policy.require_status(file, MANAGED, label)
    if outcome not in Proposal.values:
        raise DomainError(_("Chọn nội dung đề nghị."), fields={"outcome": [_("Bắt buộc.")]})
    return _append(actor, file, kind, on, data=data, outcome=outcome, **fields)


def _court(actor, file, kind, on, label, *, data, outcome, **fields) -> Event:
    policy.require_status(file, MANAGED, label)
    if outcome not in CourtOutcome.values:
        raise DomainError(_("Chọn kết quả quyết định."), fields={"outcome": [_("Bắt buộc.")]})
    if outcome == CourtOutcome.SHORTEN:
        months, days = data.get("term_months"), data.get("term_days") or 0
        if not isinstance(months, int) or months < 0 or not isinstance(days, int) or days < 0:
            raise DomainError(_("Ghi thời hạn mới."), fields={"term_months": [_("Bắt buộc.")]})
        if (months, days) >= (file.term_months, file.term_days):
            raise DomainError(
                _("Thời hạn mới phải ngắn hơn thời hạn hiện tại."), fields={"term_months": [_("Phải ngắn hơn.")]}
            )
        event = _append(
            actor, file, kind, on, data={"term_months": months, "term_days": days}, outcome=outcome, **fields
        )
        before = snapshot(file)
        file.term_months, file.term_days = months, days
        rules = clock.engine_rules()
        file.end_date = deadlines.term_end(
            file.start_date, months, days, custody_days=file.custody_days, category=file.category.code, rules=rules
        )
        file.version += 1
        file.save()
        record_change(actor=actor, obj=file, action="update", before=before, message=label)
        return event
    event = _append(actor, file, kind, on, data=data, outcome=outcome, **fields)
    if outcome == CourtOutcome.REVOKE:
        _set_status(actor, file, Status.ENDED, label, on=on)
    return event


def _end(actor, file, kind, on, label, *, data, **fields) -> Event:
    policy.require_status(file, MANAGED, label)
    if file.end_date and on < file.end_date and not data.get("early"):
        raise DomainError(
            _("Chưa hết thời hạn: ngày hết hạn {d}.").format(d=vn_date(file.end_date)),
            fields={"on": [_("Trước ngày hết hạn.")]},
        )
    event = _append(actor, file, kind, on, data=data, **fields)
    _set_status(actor, file, Status.ENDED, label, on=on)
    return event


_HANDLERS = {
    EventKind.RECEPTION: _reception,
    EventKind.COMMITMENT: _commitment,
    EventKind.ABSENCE: _absence,
    EventKind.RETURN: _return,
    EventKind.VIOLATION: _violation,
    EventKind.PROPOSAL: _proposal,
    EventKind.COURT_DECISION: _court,
    EventKind.END: _end,
}


# -- hand-overs -------------------------------------------------------------------------------------


@transaction.atomic
def handover_send(
    *, actor, file: SupervisionFile, to_unit: Unit, moved_at: dt.datetime, new_address: str = "", note: str = ""
) -> Handover:
    """The person moves to another commune: the sending commune records it (and notifies); the file
    stays here until the receiving commune accepts it. ``due_at`` is the notice's limit where a rule
    sets one (24 hours for drug users from 01/07/2026)."""
    policy.require_manager(actor, file)
    file = _locked(file)
    policy.require_status(file, MANAGED, str(EventKind.MOVE.label))
    if file.handovers.filter(accepted_at__isnull=True).exists():
        raise DomainError(_("Hồ sơ đang chờ nơi đến tiếp nhận."))
    if not is_commune_level(to_unit) or to_unit.pk == file.unit_id:
        raise DomainError(_("Chọn Công an xã nơi đến, khác xã đang quản lý."), fields={"to_unit": [_("Không hợp lệ.")]})
    now = timezone.now()
    if moved_at > now + dt.timedelta(minutes=5):
        raise DomainError(_("Thời điểm chuyển đi ở tương lai."), fields={"moved_at": [_("Ở tương lai.")]})
    rules, calendar = clock.engine_rules(), clock.calendar()
    due = deadlines.handover_due(moved_at, category=file.category.code, rules=rules, calendar=calendar)
    handover = Handover.objects.create(
        file=file, to_unit=to_unit, moved_at=moved_at, due_at=due, sent_at=now, new_address=new_address, note=note
    )
    _append(
        actor,
        file,
        EventKind.MOVE,
        timezone.localdate(moved_at),
        note=note,
        data={"to_unit": to_unit.code, "handover": handover.pk},
    )
    return handover


@transaction.atomic
def handover_accept(*, actor, handover: Handover, note: str = "") -> SupervisionFile:
    """The receiving commune takes the person over: a file of its own continues the decision (same
    term, the duties already done carried), the sending file ends as moved away."""
    handover = Handover.objects.select_for_update().select_related("to_unit", "file__unit").get(pk=handover.pk)
    policy.require_receiver(actor, handover)
    old = _locked(handover.file)
    now = timezone.now()
    new = SupervisionFile(
        unit=handover.to_unit,
        category=old.category,
        decision_number=old.decision_number,
        decision_date=old.decision_date,
        issuer=old.issuer,
        legal_basis=old.legal_basis,
        received_on=old.received_on,
        start_date=old.start_date,
        term_months=old.term_months,
        term_days=old.term_days,
        custody_days=old.custody_days,
        end_date=old.end_date,
        commitment_due=old.commitment_due,
        status=old.status if old.status in MANAGED and old.status != Status.ABSENT else Status.ACTIVE,
        violations=old.violations,
        dossier=list(old.dossier or []),
        transferred_from=old,
    )
    new.department = responsible_department(new.unit, new.category)
    new.search_key = old.search_key
    new.save()
    StatusChange.objects.create(file=new, status=new.status, on=timezone.localdate())
    record_change(actor=actor, obj=new, action="create", message=_("Tiếp nhận từ {u}").format(u=old.unit.name))
    identity = old.identity
    address = handover.new_address or identity.address
    copy = Identity(
        file=new,
        full_name=identity.full_name,
        personal_id=identity.personal_id,
        date_of_birth=identity.date_of_birth,
        address=address,
        search_key=search_key(f"{identity.full_name} {identity.personal_id} {address}")[:500],
    )
    copy.save()
    record_change(actor=actor, obj=copy, action="create")
    Duty.objects.bulk_create(
        [Duty(file=new, code=d.code, done=d.done, legal_basis=d.legal_basis, **_copied(new)) for d in old.duties.all()]
    )
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    Handover.objects.filter(pk=handover.pk).update(accepted_at=now, accepted_by=user, new_file=new)
    today = timezone.localdate()
    _append(actor, old, EventKind.HANDOVER_ACCEPTED, today, note=note, data={"to_unit": handover.to_unit.code})
    Event.objects.create(
        file=new, kind=EventKind.RECEPTION, on=today, recorded_by=user, note=note, data={"from_unit": old.unit.code}
    )
    _set_status(actor, old, Status.MOVED, str(EventKind.HANDOVER_ACCEPTED.label), on=today)
    _refresh_duties(old)
    _refresh_duties(new)
    return new


# -- the access log ---------------------------------------------------------------------------------


def file_open(*, actor, file: SupervisionFile, reason: str, channel: str = "web") -> FileAccess:
    """Log that ``actor`` opened the file (who, when, why): the page and the API call this before
    they show it. The reason is required."""
    text = policy.require_reason(reason)
    return FileAccess.objects.create(
        unit=file.unit, file=file, user=actor, action=FileAccess.Action.OPEN, channel=channel, reason=text
    )


def names_exported(*, actor, unit: Unit, rows: int, reason: str, channel: str = "web") -> FileAccess:
    """Log an export of names (the list as Excel, the API's list): who, when, why, how many rows."""
    text = policy.require_reason(reason)
    return FileAccess.objects.create(
        unit=unit, user=actor, action=FileAccess.Action.EXPORT, channel=channel, reason=text, rows=rows
    )


def names_searched(*, actor, words: list[str], rows: int, channel: str = "web") -> FileAccess:
    """Log that the one search (core.search) showed ``actor`` names of ``rows`` files: who, when,
    the words searched (folded, as the search read them) and how many names were shown."""
    reason = _("Tìm kiếm chung: {q}").format(q=" ".join(words))[:300]
    return FileAccess.objects.create(
        unit=actor.unit, user=actor, action=FileAccess.Action.SEARCH, channel=channel, reason=reason, rows=rows
    )


# -- reminders --------------------------------------------------------------------------------------


def remind_due(*, today: dt.date, lead_days: int, every_days: int) -> int:
    """Append a reminder to every file with a duty falling due within ``lead_days`` or overdue, not
    reminded in the last ``every_days``: the file's timeline shows it and the commune's home page
    counts the same duties. Four statements, whatever the number of duties, then the notices to
    those who read the files (supervision.notices, one per file)."""
    from django.db.models import Q

    stale = Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - dt.timedelta(days=every_days))
    duties = list(
        Duty.objects.filter(due_on__isnull=False, due_on__lte=today + dt.timedelta(days=lead_days))
        .filter(stale)
        .only("pk", "file_id", "code", "due_on", "unit_id", "department_id")
    )
    if not duties:
        return 0
    Event.objects.bulk_create(
        [
            Event(
                file_id=d.file_id,
                kind=EventKind.REMINDER,
                on=today,
                note=_("{duty}: hạn {d}").format(duty=clock.duty_label(d.code), d=vn_date(d.due_on)),
                data={"duty": d.code, "due_on": d.due_on.isoformat()},
            )
            for d in duties
        ],
        batch_size=2000,
    )
    Duty.objects.filter(pk__in=[d.pk for d in duties]).update(reminded_on=today)
    notices.duties_due(duties, today=today)
    return len(duties)


def remind_job(job) -> dict:
    """The daily reminder as a background job (cax.core.jobs; queued by the worker at CAX_JOB_DAILY)."""
    from django.conf import settings

    params = getattr(job, "params", None) or {}
    lead = int(params.get("lead", settings.CAX_SUPERVISION_REMIND_LEAD_DAYS))
    every = int(params.get("every", settings.CAX_SUPERVISION_REMIND_EVERY_DAYS))
    return {"reminded": remind_due(today=timezone.localdate(), lead_days=lead, every_days=every)}
