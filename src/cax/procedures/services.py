"""Writes at the procedures desk: receive a dossier, mark it complete (the clock starts), resolve
it, issue an apology slip; record a lưu trú notice or a foreigner's declaration; reveal a name
(logged) and erase names after retention. The form, the Excel import and the API call these same
functions, so a rule is written once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.cases.clock import CLOCK_SKEW
from cax.cases.services import ERASED
from cax.core.changelog import record_change, snapshot
from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.records.services import save_record
from cax.core.text import vn_datetime
from cax.procedures import clock, policy
from cax.procedures.models import (
    ApologySlip,
    Declaration,
    Dossier,
    IdentityRead,
    Kind,
    Outcome,
    PersonalData,
)
from cax.units.kinds import is_commune_level

# The person's facts as forms, the API and the services name them (kept out of the register's
# columns: names never leave CAX in an export file).
PERSON_KEYS = {"person_name": "full_name", "person_id_number": "id_number", "person_nationality": "nationality"}


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without zone (an API client's "2026-12-04T14:00") is Vietnam's local time."""
    if moment is None:
        return None
    # The desk records minutes: a stored second would make an exported row differ from its re-import.
    moment = moment.replace(second=0, microsecond=0)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _not_future(fields: dict, key: str, moment: dt.datetime | None, now: dt.datetime) -> None:
    if moment is not None and moment > now + CLOCK_SKEW:
        fields.setdefault(key, []).append(_("{t} ở tương lai.").format(t=vn_datetime(moment)))


def _split_person(data: dict) -> tuple[dict, dict]:
    person = {PERSON_KEYS[k]: (v or "").strip() for k, v in data.items() if k in PERSON_KEYS}
    return {k: v for k, v in data.items() if k not in PERSON_KEYS}, person


def _check_unit(obj, fields: dict) -> None:
    if obj.unit_id and not is_commune_level(obj.unit):
        fields["unit"] = [_("Bộ phận thủ tục hành chính thuộc Công an cấp xã: chọn một xã, phường, đặc khu.")]


def _check_procedure(obj, kind: str, fields: dict) -> bool:
    procedure = obj.procedure if obj.procedure_id else None
    if procedure is None or procedure.kind != kind:
        fields["procedure"] = [_("Chọn một thủ tục thuộc loại “{k}”.").format(k=Kind(kind).label)]
        return False
    return True


# -- dossiers ------------------------------------------------------------------------------------


def _clock_dossier(dossier: Dossier, fields: dict) -> None:
    """The due moment follows the completeness moment and the rule in force on its day."""
    if dossier.complete_at is None or "procedure" in fields:
        dossier.rule, dossier.due_at = None, None
        return
    try:
        dossier.rule, dossier.due_at = clock.deadline_for(
            dossier.procedure, dossier.complete_at, remote=dossier.unit.is_remote
        )
    except DomainError as exc:
        fields["complete_at"] = [exc.message]


def check_dossier(dossier: Dossier, now: dt.datetime) -> None:
    fields: dict[str, list[str]] = {}
    for key in ("received_at", "complete_at", "resolved_at"):
        setattr(dossier, key, _aware(getattr(dossier, key)))
        _not_future(fields, key, getattr(dossier, key), now)
    _check_unit(dossier, fields)
    _check_procedure(dossier, Kind.DOSSIER, fields)
    if dossier.complete_at and dossier.received_at and dossier.complete_at < dossier.received_at:
        fields.setdefault("complete_at", []).append(_("Hồ sơ không thể đầy đủ trước khi được tiếp nhận."))
    _clock_dossier(dossier, fields)
    if dossier.resolved_at or dossier.outcome:
        _check_resolution(dossier, fields)
    refuse_if_any(fields)


def _check_resolution(dossier: Dossier, fields: dict) -> None:
    # An incomplete dossier is handed back with guidance, not resolved: resolving needs the clock.
    if dossier.complete_at is None:
        fields.setdefault("resolved_at", []).append(_("Chỉ trả kết quả hồ sơ đã đầy đủ, hợp lệ."))
    elif dossier.resolved_at and dossier.resolved_at < dossier.complete_at:
        fields.setdefault("resolved_at", []).append(_("Thời điểm trả kết quả trước khi hồ sơ đầy đủ."))
    if not dossier.resolved_at:
        fields.setdefault("resolved_at", []).append(_("Có kết quả thì phải có thời điểm trả kết quả."))
    if not dossier.outcome:
        fields.setdefault("outcome", []).append(_("Chọn kết quả giải quyết."))
    if dossier.outcome == Outcome.REFUSED and not dossier.outcome_note.strip():
        # Residence Law Art. 22, 25, 28: a refusal is given in writing with its reasons.
        fields.setdefault("outcome_note", []).append(_("Từ chối phải nêu rõ lý do bằng văn bản."))


def dossier_save(*, actor: Any, instance: Dossier | None, data: dict) -> Dossier:
    """Receive a dossier, or correct one (the register's form, its Excel import and the API)."""
    data, person = _split_person(data)
    now = timezone.now()
    dossier = save_record(
        actor=actor,
        instance=instance,
        model=Dossier,
        data=data,
        perm=policy.CHANGE_DOSSIERS,
        denied=_("Bạn không có quyền ghi hồ sơ thủ tục hành chính."),
        validate=lambda d: check_dossier(d, now),
    )
    if person.get("full_name"):
        dossier.applicant = _person_save(actor, dossier.unit, dossier.applicant, person)
        Dossier.objects.filter(pk=dossier.pk).update(applicant=dossier.applicant)
    return dossier


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("unit", "procedure").get(pk=dossier.pk)


def _update(actor: Any, dossier: Dossier, before: dict, message: str) -> Dossier:
    try:
        check_dossier(dossier, timezone.now())
    except DomainError:
        dossier.refresh_from_db()
        raise
    dossier.full_clean()
    dossier.save()
    record_change(actor=actor, obj=dossier, action="update", before=before, message=message)
    return dossier


@transaction.atomic
def dossier_complete(*, actor: Any, dossier: Dossier, complete_at: dt.datetime) -> Dossier:
    """The dossier is complete and valid: the legal clock starts now (or at the moment given)."""
    dossier = _locked(dossier)
    policy.require_desk(actor, dossier.unit)
    if dossier.resolved_at:
        raise DomainError(_("Hồ sơ đã trả kết quả."))
    before = snapshot(dossier)
    dossier.complete_at = _aware(complete_at)
    return _update(actor, dossier, before, _("Hồ sơ đầy đủ, hợp lệ"))


@transaction.atomic
def dossier_resolve(*, actor: Any, dossier: Dossier, resolved_at: dt.datetime, outcome: str, note: str = "") -> Dossier:
    """The result is handed over (or the refusal in writing, or the withdrawal recorded)."""
    dossier = _locked(dossier)
    policy.require_desk(actor, dossier.unit)
    if dossier.resolved_at:
        raise DomainError(_("Hồ sơ đã trả kết quả lúc {t}.").format(t=vn_datetime(dossier.resolved_at)))
    before = snapshot(dossier)
    dossier.resolved_at, dossier.outcome, dossier.outcome_note = _aware(resolved_at), outcome, note.strip()
    return _update(actor, dossier, before, _("Trả kết quả: {o}").format(o=Outcome(outcome).label))


@transaction.atomic
def dossier_apologize(
    *, actor: Any, dossier: Dossier, new_due_at: dt.datetime, reason: str, issued_at: dt.datetime | None = None
) -> ApologySlip:
    """A phiếu xin lỗi và hẹn lại ngày trả kết quả for a dossier that will be (or is) late: the legal
    due time stays what it was (the dossier still counts late); the desk promises a new date, later
    than the last one. Slips are added, never changed."""
    dossier = _locked(dossier)
    policy.require_desk(actor, dossier.unit)
    issued_at, new_due_at = _aware(issued_at) or timezone.now(), _aware(new_due_at)
    fields: dict[str, list[str]] = {}
    if dossier.due_at is None or dossier.resolved_at is not None:
        raise DomainError(_("Chỉ lập phiếu xin lỗi cho hồ sơ đang giải quyết (đã đầy đủ, chưa trả kết quả)."))
    previous = dossier.promised_at or dossier.due_at
    if new_due_at <= previous:
        fields["new_due_at"] = [_("Ngày hẹn mới phải sau {t}.").format(t=vn_datetime(previous))]
    if not reason.strip():
        fields["reason"] = [_("Nêu lý do chậm trả kết quả.")]
    _not_future(fields, "issued_at", issued_at, timezone.now())
    refuse_if_any(fields)
    slip = ApologySlip.objects.create(
        dossier=dossier,
        issued_at=issued_at,
        new_due_at=new_due_at,
        previous_due_at=previous,
        reason=reason.strip(),
        issued_by=actor,
        issued_by_name=getattr(actor, "username", "") or "system",
    )
    before = snapshot(dossier)
    dossier.promised_at = new_due_at
    dossier.save(update_fields=["promised_at", "updated_at"])
    record_change(
        actor=actor,
        obj=dossier,
        action="update",
        before=before,
        message=_("Phiếu xin lỗi, hẹn lại ngày trả kết quả {t}").format(t=vn_datetime(new_due_at)),
    )
    return slip


# -- lưu trú notices and foreigners' declarations ---------------------------------------------------


def check_declaration(declaration: Declaration, now: dt.datetime) -> None:
    fields: dict[str, list[str]] = {}
    for key in ("arrived_at", "declared_at"):
        setattr(declaration, key, _aware(getattr(declaration, key)))
        _not_future(fields, key, getattr(declaration, key), now)
    _check_unit(declaration, fields)
    if _check_procedure(declaration, Kind.DECLARATION, fields) and declaration.arrived_at:
        try:
            declaration.rule, declaration.due_at = clock.deadline_for(
                declaration.procedure, declaration.arrived_at, remote=declaration.unit.is_remote
            )
        except DomainError as exc:
            fields["arrived_at"] = [exc.message]
    if declaration.arrived_at and declaration.stay_from:
        if timezone.localdate(declaration.arrived_at) != declaration.stay_from:
            fields["stay_from"] = [_("Ngày bắt đầu lưu trú là ngày đến.")]
    refuse_if_any(fields)


def declaration_save(*, actor: Any, instance: Declaration | None, data: dict) -> Declaration:
    """Record a notice as it reaches the desk; its deadline counts from the person's arrival."""
    data, person = _split_person(data)
    now = timezone.now()
    declaration = save_record(
        actor=actor,
        instance=instance,
        model=Declaration,
        data=data,
        perm=policy.CHANGE_DECLARATIONS,
        denied=_("Bạn không có quyền ghi thông báo lưu trú, khai báo tạm trú."),
        validate=lambda d: check_declaration(d, now),
    )
    if person.get("full_name"):
        declaration.person = _person_save(actor, declaration.unit, declaration.person, person)
        Declaration.objects.filter(pk=declaration.pk).update(person=declaration.person)
    return declaration


# -- personal data ---------------------------------------------------------------------------------


def _person_save(actor: Any, unit, person: PersonalData | None, values: dict) -> PersonalData:
    creating = person is None
    person = person or PersonalData(unit=unit)
    before = None if creating else snapshot(person)
    for key, value in values.items():
        setattr(person, key, value)
    person.unit = unit
    person.full_clean()
    person.save()
    record_change(actor=actor, obj=person, action="create" if creating else "update", before=before)
    return person


def identity_reveal(*, actor: Any, person: PersonalData | None, channel: str) -> dict[str, str] | None:
    """The person's facts for the managing commune's officers, else None. Every reveal is written to
    the hash-chained access log that auditors read (Law 91/2025), so this is a service."""
    if person is None or not policy.sees_names(actor, person.unit):
        return None
    if actor is not None:
        IdentityRead.objects.create(unit=person.unit, person=person, user=actor, channel=channel)
    return {key: getattr(person, key) for key in PersonalData.FIELDS} | {"purged": bool(person.purged_at)}


@transaction.atomic
def desk_purge_personal_data(*, actor: Any, before: dt.datetime, dry_run: bool = False) -> int:
    """Erases the names of dossiers resolved, and of stays ended, before ``before`` (the retention
    period, ``CAX_DESK_RETENTION_DAYS``), as cases erases reporter identities: the dossier, its
    dates and figures stay; the personal fields go, each erasure in the change log without them."""
    ended_stays = Declaration.objects.filter(
        Q(stay_to__lt=timezone.localdate(before)) | Q(stay_to__isnull=True, stay_from__lt=timezone.localdate(before))
    )
    people = PersonalData.objects.filter(purged_at__isnull=True).filter(
        Q(pk__in=Dossier.objects.filter(resolved_at__lt=before).values("applicant"))
        | Q(pk__in=ended_stays.values("person"))
    )
    people = list(people.order_by("pk"))
    if dry_run:
        return len(people)
    now = timezone.now()
    for person in people:
        person.full_name, person.id_number, person.nationality, person.purged_at = ERASED, "", "", now
        person.save(update_fields=[*PersonalData.FIELDS, "purged_at"])
        # before=None: the log must not keep what the law says to erase.
        record_change(
            actor=actor,
            obj=person,
            action="update",
            before=None,
            message=_("Xoá thông tin cá nhân hết thời hạn lưu trữ"),
        )
    return len(people)


def purge_job(job) -> dict[str, int]:
    """The daily erasure as a background job (cax.core.jobs; queued at CAX_JOB_DAILY)."""
    days = int(job.params.get("days", settings.CAX_DESK_RETENTION_DAYS))
    before = timezone.now() - dt.timedelta(days=days)
    return {"personal_data": desk_purge_personal_data(actor=None, before=before)}
