"""Writes on requests: raise (record), assign to a department, answer, remind. Every rule lives here,
so the form, the Excel import and the API refuse the same things with the same words."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_CONFERENCES, RAISE_PETITIONS
from cax.core.changelog import record_change, snapshot
from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.records.services import save_record
from cax.core.text import vn_date
from cax.petitions import notices, policy
from cax.petitions.models import Conference, Petition, Source, Status
from cax.units.kinds import is_department, province_path


def _check_department(petition: Petition) -> None:
    department = petition.assigned_department
    if not is_department(department):
        raise DomainError(
            _("“{u}” không phải là phòng nghiệp vụ.").format(u=department),
            fields={"assigned_department": [_("Chỉ giao cho phòng nghiệp vụ.")]},
        )
    if province_path(department) != province_path(petition.unit):
        raise DomainError(
            _("{d} không thuộc tỉnh của {u}.").format(d=department, u=petition.unit),
            fields={"assigned_department": [_("Phòng phải thuộc Công an tỉnh của đơn vị kiến nghị.")]},
        )


def _derive(petition: Petition, today: dt.date) -> None:
    """Status follows the facts recorded: an answer closes it, a department and due date assign it."""
    fields: dict[str, list[str]] = {}
    if petition.raised_on and petition.raised_on > today:
        fields["raised_on"] = [_("Ngày kiến nghị {d} ở tương lai.").format(d=vn_date(petition.raised_on))]
    if petition.conference_id:
        petition.source = Source.CONFERENCE
        conference = petition.conference
        if not petition.raised_on:
            petition.raised_on = conference.held_on
        if province_path(conference.unit) != province_path(petition.unit):
            fields["conference"] = [_("Hội nghị của tỉnh khác với đơn vị kiến nghị.")]
    if petition.assigned_department_id:
        _check_department(petition)
        petition.assigned_on = petition.assigned_on or today
        if not petition.due_on:
            fields["due_on"] = [_("Giao phòng nghiên cứu thì phải có hạn trả lời.")]
        elif petition.due_on < petition.assigned_on:
            fields["due_on"] = [
                _("Hạn trả lời {d} trước ngày giao {a}.").format(
                    d=vn_date(petition.due_on), a=vn_date(petition.assigned_on)
                )
            ]
    elif petition.due_on:
        fields["assigned_department"] = [_("Có hạn trả lời nhưng chưa chọn phòng được giao.")]
    if petition.answer.strip():
        petition.answered_on = petition.answered_on or today
        if not petition.answered_by.strip():
            fields["answered_by"] = [_("Ghi rõ ai trả lời (họ tên, chức vụ).")]
        if petition.raised_on and petition.answered_on < petition.raised_on:
            fields["answered_on"] = [_("Ngày trả lời trước ngày kiến nghị.")]
        if not petition.assigned_department_id:
            petition.answered_on_spot = True
        petition.status = Status.ANSWERED
    elif petition.assigned_department_id:
        petition.status = Status.ASSIGNED
    else:
        petition.status = Status.OPEN
    refuse_if_any(fields)


def _derive_or_restore(petition: Petition, today: dt.date) -> None:
    """A refused change leaves the caller's object as stored, not half-changed."""
    try:
        _derive(petition, today)
    except DomainError:
        petition.refresh_from_db()
        raise


ANSWER_FIELDS = ("answer", "answered_by", "answered_on")
ASSIGN_FIELDS = ("assigned_department", "due_on", "assigned_on")


def _touched(instance: Petition | None, data: dict, keys: tuple[str, ...]) -> bool:
    """Whether ``data`` sets any of ``keys`` to something other than what is stored."""

    def norm(value):
        return "" if value is None else value

    return any(
        key in data and norm(data[key]) != norm(getattr(instance, key) if instance is not None else None)
        for key in keys
    )


def petition_save(*, actor, instance, data) -> Petition:
    """Record a request, or correct one; a row may carry its on-the-spot answer or its assignment
    (a conference's minutes import in one file). Changing an answer or an assignment, in any way
    (setting, moving a due date, clearing), needs the right to answer or to assign, whatever the
    path (form, import, API); a recorded answer is never rewritten."""
    answering = _touched(instance, data, ANSWER_FIELDS)
    if answering:
        policy.require_answerer(actor)
    if _touched(instance, data, ASSIGN_FIELDS):
        policy.require_assigner(actor)
    if answering and instance is not None and instance.status == Status.ANSWERED:
        raise DomainError(
            _("Kiến nghị đã được trả lời ngày {d}.").format(d=vn_date(instance.answered_on)),
            fields={"answer": [_("Không sửa được câu trả lời đã ghi.")]},
        )
    if answering and data.get("answer") and getattr(actor, "pk", None):
        data = {**data, "answered_by_user": actor}
    today = timezone.localdate()
    return save_record(
        actor=actor,
        instance=instance,
        model=Petition,
        data=data,
        perm=RAISE_PETITIONS,
        denied=_("Bạn không có quyền ghi nhận kiến nghị."),
        validate=lambda petition: _derive(petition, today),
    )


def conference_save(*, actor, instance, data) -> Conference:
    return save_record(
        actor=actor,
        instance=instance,
        model=Conference,
        data=data,
        perm=CHANGE_CONFERENCES,
        denied=_("Bạn không có quyền ghi hội nghị."),
    )


def _update(actor, petition: Petition, before: dict, message: str) -> Petition:
    petition.full_clean()
    petition.save()
    record_change(actor=actor, obj=petition, action="update", before=before, message=message)
    return petition


def petition_assign(*, actor, petition: Petition, department, due_on: dt.date, note: str = "") -> Petition:
    """Hand the request to a provincial department to study and answer by ``due_on``."""
    policy.require_assigner(actor, petition)
    policy.require_unanswered(petition)
    before = snapshot(petition)
    today = timezone.localdate()
    petition.assigned_department, petition.due_on, petition.assigned_on = department, due_on, today
    _derive_or_restore(petition, today)
    text = _("Giao {d}, hạn {due}").format(d=department.name, due=vn_date(due_on))
    petition = _update(actor, petition, before, f"{text}. {note}".strip(" ."))
    notices.assigned(petition, actor=actor)
    return petition


def petition_answer(
    *, actor, petition: Petition, answer: str, answered_by: str, answered_on: dt.date | None = None
) -> Petition:
    """Record the answer: the assigned department's staff answer what they were given; leaders
    of the raising unit's province answer on the spot (or instead of the department)."""
    policy.require_answerer(actor, petition)
    policy.require_unanswered(petition)
    if not answer.strip():
        raise DomainError(_("Chưa nhập nội dung trả lời."), fields={"answer": [_("Bắt buộc.")]})
    before = snapshot(petition)
    petition.answer, petition.answered_by = answer.strip(), answered_by.strip()
    petition.answered_on = answered_on or timezone.localdate()
    petition.answered_by_user = actor
    if petition.answered_on > timezone.localdate():
        petition.refresh_from_db()
        raise DomainError(_("Ngày trả lời ở tương lai."), fields={"answered_on": [_("Ở tương lai.")]})
    _derive_or_restore(petition, timezone.localdate())
    petition = _update(actor, petition, before, _("Trả lời kiến nghị"))
    notices.answered(petition, actor=actor)
    return petition


def petition_remind(*, actor, petition: Petition, note: str = "", today: dt.date | None = None) -> Petition:
    """Remind the department of a request it has not answered (nhắc), counted and logged."""
    policy.require_reminder(actor, petition)
    before = snapshot(petition)
    petition.reminders += 1
    petition.last_reminded_on = today or timezone.localdate()
    text = _("Nhắc lần {n}: {d} trả lời, hạn {due}").format(
        n=petition.reminders, d=petition.assigned_department.name, due=vn_date(petition.due_on)
    )
    return _update(actor, petition, before, f"{text}. {note}".strip(" ."))


def remind_overdue(*, today: dt.date, every_days: int) -> list[Petition]:
    """The daily run: remind every overdue request not reminded in the last ``every_days`` days."""
    stale = Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=today - dt.timedelta(days=every_days))
    due = Petition.objects.overdue(today).filter(stale).select_related("unit", "assigned_department").order_by("pk")
    reminded = []
    for petition in due:
        reminded.append(petition_remind(actor=None, petition=petition, today=today))
    return reminded


def remind_job(job) -> dict:
    """The daily reminder as a background job (cax.core.jobs; queued by the worker at CAX_JOB_DAILY)."""
    every = int(job.params.get("every", settings.CAX_PETITION_REMIND_EVERY_DAYS))
    reminded = remind_overdue(today=timezone.localdate(), every_days=every)
    return {"reminded": len(reminded)}
