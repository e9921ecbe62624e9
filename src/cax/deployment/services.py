"""Postings: create, end and transfer, with the rules the database cannot express alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors
from cax.core.exceptions import DomainError, NotVisible, refuse_if_any
from cax.core.models import ChangeLog
from cax.core.scoping import is_within_scope
from cax.core.text import vn_date
from cax.deployment import levels, policy
from cax.deployment.models import Committee, CommitteeSeat, PartyCell, Posting, PostingEndReason, PostingRole
from cax.deployment.rules import posting_unit_problem
from cax.deployment.titles import normalize_role
from cax.personnel.choices import ENDING_STATUSES, OfficerStatus
from cax.personnel.models import Officer, StatusChange
from cax.personnel.policy import require_keeper
from cax.personnel.rules import officer_date_problem
from cax.units.kinds import require_valid_on, validity_problem
from cax.units.models import Unit


def _overlapping(postings, start: dt.date, end: dt.date | None):
    """Postings sharing at least one day with [start, end] (end None = still open)."""
    postings = postings.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    return postings if end is None else postings.filter(start_date__lte=end)


def _check_overlap(officer: Officer, start: dt.date, end: dt.date | None, exclude_pk: int | None = None) -> None:
    """No two postings of one officer may share a day; the officer row is locked by the caller."""
    clash = (
        _overlapping(Posting.objects.filter(officer=officer), start, end)
        .exclude(pk=exclude_pk)
        .select_related("unit")
        .first()
    )
    if clash is not None:
        raise DomainError(
            _("Trùng thời gian với quyết định bố trí tại {u} từ {d:%d/%m/%Y}.").format(
                u=clash.unit.name, d=clash.start_date
            )
        )


def _check_single_chief(unit: Unit, start: dt.date, end: dt.date | None) -> None:
    """One chief per unit on any day; the database guards only the open one, this guards history."""
    clash = _overlapping(Posting.objects.filter(unit=unit, role=PostingRole.CHIEF), start, end)
    clash = clash.select_related("officer").first()
    if clash is not None:
        raise DomainError(
            _("{u} đã có Trưởng Công an {o} trong thời gian này (từ {d:%d/%m/%Y}).").format(
                u=unit.name, o=clash.officer.full_name, d=clash.start_date
            )
        )


def _lock(officer: Officer) -> Officer:
    # Serializes writers per officer, so two clerks cannot post the same officer twice at once.
    # Only the inner join: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return Officer.objects.select_for_update().select_related("unit").get(pk=officer.pk)


def _check_dates(officer: Officer, unit: Unit, start: dt.date, end: dt.date | None, decision_date: dt.date | None):
    """A posting lies inside its unit's validity (a commune merged away in 2025 keeps its earlier
    postings), after the officer came of age and joined the service; a decision is not dated ahead."""
    problems: dict[str, list[str]] = {}
    problem = posting_unit_problem(unit, start, end)
    if problem:
        problems["unit"] = [problem]
    problem = officer_date_problem(officer, start, _("Ngày bắt đầu"))
    if problem:
        problems["start_date"] = [problem]
    problem = _decision_ahead(decision_date)
    if problem:
        problems["decision_date"] = [problem]
    refuse_if_any(problems)


def _decision_ahead(decision_date: dt.date | None) -> str | None:
    """A decision is signed on or before the day it is recorded; the posting it makes may be later."""
    if decision_date is not None and decision_date > timezone.localdate():
        return _("Ngày quyết định {d} ở tương lai.").format(d=vn_date(decision_date))
    return None


def _unit_on(postings: list[Posting], day: dt.date) -> Unit | None:
    """The unit an officer belongs to on ``day`` by these postings: the posted unit, else the unit
    managing the commune of the last posting that ended; None before any posting."""
    last_ended = None
    for posting in postings:
        if posting.start_date <= day and (posting.end_date is None or posting.end_date >= day):
            return posting.unit
        if posting.end_date is not None and posting.end_date < day:
            if last_ended is None or posting.end_date > last_ended.end_date:
                last_ended = posting
    return last_ended.unit.parent if last_ended is not None and last_ended.unit.parent_id else None


def sync_officer_unit(actor: Any, officer: Officer) -> None:
    """Keep the officer's unit (today) and the one planned change after today in step with the
    postings. Reads switch to ``next_unit`` on its date by themselves; a second planned change would
    not, so it is refused until the first has taken effect."""
    today = timezone.localdate()
    postings = list(officer.postings.select_related("unit__parent").order_by("start_date", "pk"))
    now = _unit_on(postings, today) or officer.current_unit
    changes = sorted(
        {p.start_date for p in postings if p.start_date > today}
        | {p.end_date + dt.timedelta(days=1) for p in postings if p.end_date is not None and p.end_date >= today}
    )
    planned: list[tuple[dt.date, Unit]] = []
    unit = now
    for day in changes:
        then = _unit_on(postings, day) or unit
        if then.pk != unit.pk:
            planned.append((day, then))
            unit = then
    if len(planned) > 1:
        (first_day, first_unit), (second_day, _second) = planned[:2]
        raise DomainError(
            _(
                "{o} đã có quyết định chuyển đến {u} từ {d} chưa đến ngày hiệu lực; một cán bộ chỉ có một "
                "thay đổi bố trí chờ hiệu lực (thay đổi sau từ {d2}). Ghi quyết định sau khi quyết định trước "
                "có hiệu lực."
            ).format(o=officer.full_name, u=first_unit.name, d=vn_date(first_day), d2=vn_date(second_day))
        )
    next_day, next_unit = planned[0] if planned else (None, None)
    if (officer.unit_id, officer.next_unit_id, officer.next_unit_from) == (
        now.pk,
        next_unit.pk if next_unit else None,
        next_day,
    ):
        return
    before = snapshot(officer)
    officer.unit, officer.next_unit, officer.next_unit_from = now, next_unit, next_day
    officer.save(update_fields=["unit", "next_unit", "next_unit_from", "updated_at"])
    record_change(
        actor=actor,
        obj=officer,
        action=ChangeLog.Action.UPDATE,
        before=before,
        message=_("Đơn vị hiện tại theo quyết định bố trí"),
    )


@transaction.atomic
def posting_create(
    *,
    actor: Any,
    officer: Officer,
    unit: Unit,
    role: str = PostingRole.OFFICER,
    start_date: dt.date,
    end_date: dt.date | None = None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    reason: str = "",
) -> Posting:
    """Post an officer to a commune-level unit (bổ nhiệm, bố trí). A posting that starts later is a
    plan: the officer stays where they are until its start date, then moves by itself."""
    policy.require_poster(actor, unit)
    if not unit.unit_type.is_commune_level:
        raise DomainError(_("Chỉ bố trí vào đơn vị cấp xã; “{u}” là {t}.").format(u=unit.name, t=unit.unit_type.name))
    if end_date is not None and end_date < start_date:
        raise DomainError(_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."), fields={"end_date": [_("Không hợp lệ")]})
    role = normalize_role(role)
    officer = _lock(officer)
    if actor is not None and not is_within_scope(actor, officer.current_unit.path):
        # Posting someone from outside the actor's subtree would hand the actor their file.
        raise NotVisible(_("Không tìm thấy cán bộ."))
    if officer.status in ENDING_STATUSES:
        raise DomainError(
            _("{o} có trạng thái “{s}”: không bố trí được.").format(o=officer.full_name, s=officer.get_status_display())
        )
    _check_dates(officer, unit, start_date, end_date, decision_date)
    _check_overlap(officer, start_date, end_date)
    if role == PostingRole.CHIEF:
        _check_single_chief(unit, start_date, end_date)
    posting = Posting(
        officer=officer,
        unit=unit,
        role=role,
        start_date=start_date,
        end_date=end_date,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        reason=reason.strip(),
    )
    with constraint_errors(Posting):
        posting.save()
    record_change(actor=actor, obj=posting, action=ChangeLog.Action.CREATE)
    sync_officer_unit(actor, officer)
    return posting


@transaction.atomic
def posting_end(
    *,
    actor: Any,
    posting: Posting,
    end_date: dt.date,
    end_reason: str = PostingEndReason.OTHER,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    note: str = "",
) -> Posting:
    """End a posting with the decision that ends it (number, date, reason), kept beside the decision
    that started it. An end date after today is planned: the officer stays until then."""
    posting = (
        Posting.objects.select_for_update(of=("self",))
        .select_related("unit__unit_type", "unit__parent")
        .get(pk=posting.pk)
    )
    policy.require_poster(actor, posting.unit)
    if posting.end_date is not None:
        raise DomainError(
            _("Quyết định bố trí này đã kết thúc ngày {d}; không ghi đè lịch sử.").format(d=vn_date(posting.end_date))
        )
    if end_date < posting.start_date:
        raise DomainError(
            _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu ({d:%d/%m/%Y}).").format(d=posting.start_date),
            fields={"end_date": [_("Không hợp lệ")]},
        )
    if end_reason not in PostingEndReason.values:
        raise DomainError(
            _("Lý do kết thúc không hợp lệ: {r}").format(r=end_reason), fields={"end_reason": [_("Không hợp lệ")]}
        )
    problem = validity_problem(posting.unit, end_date)
    if problem:
        raise DomainError(problem, fields={"end_date": [problem]})
    problem = _decision_ahead(decision_date)
    if problem:
        raise DomainError(problem, fields={"decision_date": [problem]})
    officer = _lock(posting.officer)
    _check_overlap(officer, posting.start_date, end_date, exclude_pk=posting.pk)
    before = snapshot(posting)
    posting.end_date = end_date
    posting.end_reason = end_reason
    posting.end_decision_number = decision_number.strip()
    posting.end_decision_date = decision_date
    posting.end_note = note.strip()
    with constraint_errors(Posting):
        posting.save(update_fields=["end_date", "end_reason", "end_decision_number", "end_decision_date", "end_note"])
    record_change(actor=actor, obj=posting, action=ChangeLog.Action.UPDATE, before=before)
    sync_officer_unit(actor, officer)
    return posting


def open_posting(officer: Officer) -> Posting | None:
    """The posting without an end date (there is at most one), locked for the caller's transaction."""
    return (
        Posting.objects.select_for_update(of=("self",))
        .select_related("unit__unit_type", "unit__parent")
        .filter(officer=officer, end_date__isnull=True)
        .first()
    )


@transaction.atomic
def posting_transfer(
    *,
    actor: Any,
    officer: Officer,
    to_unit: Unit,
    role: str = PostingRole.OFFICER,
    on: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    reason: str = "",
) -> Posting:
    """Điều động: end the open posting the day before ``on`` and open the next one under the same
    decision, in one transaction. A date after today is planned until it comes."""
    with levels.batch():  # both communes rebuilt together, locked in one order
        return _transfer(actor, officer, to_unit, role, on, decision_number, decision_date, reason)


def _transfer(actor, officer: Officer, to_unit: Unit, role: str, on: dt.date, decision_number, decision_date, reason):
    officer = _lock(officer)  # before reading the open posting: two transfers at once queue here
    current = open_posting(officer)
    if current is not None:
        if on <= current.start_date:
            raise DomainError(
                _("Ngày điều động phải sau ngày bắt đầu quyết định hiện tại ({d:%d/%m/%Y}).").format(
                    d=current.start_date
                ),
                fields={"on": [_("Không hợp lệ")]},
            )
        posting_end(
            actor=actor,
            posting=current,
            end_date=on - dt.timedelta(days=1),
            end_reason=PostingEndReason.TRANSFER,
            decision_number=decision_number,
            decision_date=decision_date,
            note=_("Điều động đến {u}").format(u=to_unit.name),
        )
    return posting_create(
        actor=actor,
        officer=officer,
        unit=to_unit,
        role=role,
        start_date=on,
        decision_number=decision_number,
        decision_date=decision_date,
        reason=reason,
    )


# The posting ends for the reason its officer's status gives.
END_REASON_OF_STATUS = {
    OfficerStatus.RETIRED: PostingEndReason.RETIREMENT,
    OfficerStatus.DIED_ON_DUTY: PostingEndReason.DIED_ON_DUTY,
    OfficerStatus.TRANSFERRED_OUT: PostingEndReason.TRANSFERRED_OUT,
}
assert set(END_REASON_OF_STATUS) == set(ENDING_STATUSES)


@transaction.atomic
def officer_status_change(
    *,
    actor: Any,
    officer: Officer,
    status: str,
    on: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    reason: str = "",
) -> StatusChange:
    """Change an officer's status from ``on`` (nghỉ phép, đi học, trở lại công tác, nghỉ hưu…),
    appended to the status history. Retirement, death on duty and transfer out end the open
    posting the day before in the same transaction, or the change is refused; never left open."""
    officer = _lock(officer)
    require_keeper(actor, officer.current_unit)
    _refuse_status_change(officer, status, on, decision_date)
    end_reason = END_REASON_OF_STATUS.get(status)
    if end_reason is not None:
        _end_posting_for(actor, officer, on, end_reason, decision_number, decision_date, reason)
        officer.refresh_from_db()
    change = StatusChange.objects.create(
        officer=officer,
        status=status,
        previous_status=officer.status,
        effective_from=on,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        reason=reason.strip(),
    )
    record_change(actor=actor, obj=change, action=ChangeLog.Action.CREATE)
    before = snapshot(officer)
    officer.status = status
    officer.save(update_fields=["status", "updated_at"])
    record_change(actor=actor, obj=officer, action=ChangeLog.Action.UPDATE, before=before, message=reason)
    return change


def _refuse_status_change(officer: Officer, status: str, on: dt.date, decision_date: dt.date | None) -> None:
    """A status that is unknown or unchanged, a date in the future, before the last change or
    outside the officer's service, a decision dated ahead: refused, naming the field."""
    if status not in OfficerStatus.values:
        raise DomainError(_("Trạng thái không hợp lệ: {s}").format(s=status), fields={"status": [_("Không hợp lệ")]})
    if status == officer.status:
        raise DomainError(
            _("{o} đang có trạng thái “{s}”.").format(o=officer.full_name, s=officer.get_status_display()),
            fields={"status": [_("Không đổi")]},
        )
    today = timezone.localdate()
    if on > today:
        raise DomainError(
            _("Ngày hiệu lực {d} ở tương lai: ghi thay đổi trạng thái từ ngày nó có hiệu lực.").format(d=vn_date(on)),
            fields={"on": [_("Không hợp lệ")]},
        )
    last = officer.status_changes.order_by("-effective_from", "-pk").first()
    if last is not None and on < last.effective_from:
        raise DomainError(
            _("Ngày hiệu lực phải từ {d} (thay đổi trạng thái gần nhất).").format(d=vn_date(last.effective_from)),
            fields={"on": [_("Không hợp lệ")]},
        )
    problem = officer_date_problem(officer, on, _("Ngày hiệu lực"))
    if problem:
        raise DomainError(problem, fields={"on": [problem]})
    problem = _decision_ahead(decision_date)
    if problem:
        raise DomainError(problem, fields={"decision_date": [problem]})


def _end_posting_for(actor, officer: Officer, on: dt.date, end_reason: str, decision_number, decision_date, reason):
    """Ends the open posting the day before a status that ends service; refused while a later
    posting exists (it would be left open)."""
    later = Posting.objects.filter(officer=officer, start_date__gte=on).select_related("unit").first()
    if later is not None:
        raise DomainError(
            _(
                "{o} có quyết định bố trí tại {u} từ {d}, sau ngày hiệu lực; kết thúc hoặc sửa quyết định đó trước."
            ).format(o=officer.full_name, u=later.unit.name, d=vn_date(later.start_date)),
            fields={"on": [_("Không hợp lệ")]},
        )
    current = open_posting(officer)
    if current is not None:
        posting_end(
            actor=actor,
            posting=current,
            end_date=on - dt.timedelta(days=1),
            end_reason=end_reason,
            decision_number=decision_number,
            decision_date=decision_date,
            note=reason,
        )


def _check_can_keep_party(actor: Any, unit: Unit, *officers: Officer | None) -> None:
    if actor is None:
        return
    for officer in officers:
        # Naming an officer from outside the subtree would show their file on this unit's pages.
        if officer is not None and not is_within_scope(actor, officer.unit.path):
            raise NotVisible(_("Không tìm thấy cán bộ."))
    policy.require_party_keeper(actor, unit)


def _save_logged(actor: Any, obj, before: dict | None) -> str:
    """Saves a new or changed record and logs it; "create", "update" or "unchanged"."""
    if before is not None and snapshot(obj) == before:
        return "unchanged"
    with constraint_errors(type(obj)):
        obj.save()
    record_change(
        actor=actor, obj=obj, action=ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, before=before
    )
    return "update" if before else "create"


@transaction.atomic
def party_cell_record(
    *,
    actor: Any,
    unit: Unit,
    founded_on: dt.date,
    secretary: Officer | None = None,
    dissolved_on: dt.date | None = None,
) -> tuple[PartyCell, str]:
    """Create or update the open party cell (chi bộ) of a commune police unit."""
    _check_can_keep_party(actor, unit, secretary)
    if not unit.unit_type.is_commune_level:
        raise DomainError(
            _("Chi bộ Công an xã chỉ lập ở đơn vị cấp xã; “{u}” là {t}.").format(u=unit.name, t=unit.unit_type.name)
        )
    if dissolved_on is not None and dissolved_on < founded_on:
        raise DomainError(_("Ngày giải thể phải sau ngày thành lập."))
    require_valid_on(unit, founded_on, field="founded_on")
    require_valid_on(unit, dissolved_on, field="dissolved_on")
    # The cell founded that day (a dissolved one too: an exported history imports back as it is);
    # otherwise the open cell, whose founding date the row corrects.
    cells = PartyCell.objects.filter(unit=unit)
    cell = cells.filter(founded_on=founded_on).order_by("pk").first() or cells.filter(dissolved_on__isnull=True).first()
    before = snapshot(cell) if cell else None
    cell = cell or PartyCell(unit=unit)
    cell.founded_on, cell.secretary, cell.dissolved_on = founded_on, secretary, dissolved_on
    return cell, _save_logged(actor, cell, before)


@transaction.atomic
def committee_seat_record(
    *,
    actor: Any,
    officer: Officer,
    unit: Unit,
    committee: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> tuple[CommitteeSeat, str]:
    """An officer's seat on the commune party executive (BCH) or standing (BTV) committee."""
    _check_can_keep_party(actor, unit, officer)
    if committee not in Committee.values:
        raise DomainError(_("Cấp ủy không hợp lệ: {c}").format(c=committee))
    if end_date is not None and end_date < start_date:
        raise DomainError(_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
    require_valid_on(unit, start_date, field="start_date")
    problem = officer_date_problem(officer, start_date, _("Ngày bắt đầu"))
    if problem:
        raise DomainError(problem, fields={"start_date": [problem]})
    seat = CommitteeSeat.objects.filter(officer=officer, unit=unit, committee=committee, start_date=start_date).first()
    before = snapshot(seat) if seat else None
    seat = seat or CommitteeSeat(officer=officer, unit=unit, committee=committee, start_date=start_date)
    seat.end_date = end_date
    return seat, _save_logged(actor, seat, before)
