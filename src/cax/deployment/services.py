"""Postings: create, end and transfer, with the rules the database cannot express alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_POSTINGS
from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors
from cax.core.exceptions import DomainError, NotVisible
from cax.core.models import ChangeLog
from cax.core.scoping import is_within_scope, require_write
from cax.deployment.models import Committee, CommitteeSeat, PartyCell, Posting, PostingRole
from cax.personnel.models import Officer
from cax.units.models import Unit


def _check_can_post(actor: Any, unit: Unit) -> None:
    require_write(actor, CHANGE_POSTINGS, unit, _("Bạn không có quyền bố trí cán bộ."))


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
    return Officer.objects.select_for_update().select_related("unit").get(pk=officer.pk)


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
    """Post an officer to a commune-level unit; an open posting also makes it the officer's unit."""
    _check_can_post(actor, unit)
    if not unit.unit_type.is_commune_level:
        raise DomainError(_("Chỉ bố trí vào đơn vị cấp xã; “{u}” là {t}.").format(u=unit.name, t=unit.unit_type.name))
    if end_date is not None and end_date < start_date:
        raise DomainError(_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
    if role not in PostingRole.values:
        raise DomainError(_("Chức danh không hợp lệ: {r}").format(r=role))
    officer = _lock(officer)
    if actor is not None and not is_within_scope(actor, officer.unit.path):
        # Posting someone from outside the actor's subtree would hand the actor their file.
        raise NotVisible(_("Không tìm thấy cán bộ."))
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
    if end_date is None and officer.unit_id != unit.pk:
        _move_officer(actor, officer, unit)
    return posting


@transaction.atomic
def posting_end(*, actor: Any, posting: Posting, end_date: dt.date, reason: str = "") -> Posting:
    """Close an open posting; the officer returns to the unit managing the commune."""
    _check_can_post(actor, posting.unit)
    if end_date < posting.start_date:
        raise DomainError(
            _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu ({d:%d/%m/%Y}).").format(d=posting.start_date)
        )
    officer = _lock(posting.officer)
    was_open = posting.end_date is None
    _check_overlap(officer, posting.start_date, end_date, exclude_pk=posting.pk)
    before = snapshot(posting)
    posting.end_date = end_date
    if reason:
        posting.reason = reason.strip()
    with constraint_errors(Posting):
        posting.save(update_fields=["end_date", "reason"])
    record_change(actor=actor, obj=posting, action=ChangeLog.Action.UPDATE, before=before)
    # Only ending the open posting moves the officer; correcting an earlier one must not.
    if was_open and officer.unit_id == posting.unit_id and posting.unit.parent_id:
        _move_officer(actor, officer, posting.unit.parent)
    return posting


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
    """End the open posting the day before ``on`` and open the next one, in one transaction."""
    officer = _lock(officer)  # before reading the open posting: two transfers at once queue here
    current = (
        Posting.objects.select_for_update()
        .select_related("unit__unit_type")
        .filter(officer=officer, end_date__isnull=True)
        .first()
    )
    if current is not None:
        if on <= current.start_date:
            raise DomainError(
                _("Ngày điều động phải sau ngày bắt đầu quyết định hiện tại ({d:%d/%m/%Y}).").format(
                    d=current.start_date
                )
            )
        posting_end(actor=actor, posting=current, end_date=on - dt.timedelta(days=1), reason=reason)
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


def _move_officer(actor: Any, officer: Officer, unit: Unit) -> None:
    before = snapshot(officer)
    officer.unit = unit
    officer.save(update_fields=["unit", "updated_at"])
    record_change(
        actor=actor,
        obj=officer,
        action=ChangeLog.Action.UPDATE,
        before=before,
        message=_("Đơn vị hiện tại theo quyết định bố trí"),
    )


def _check_can_keep_party(actor: Any, unit: Unit, *officers: Officer | None) -> None:
    if actor is None:
        return
    for officer in officers:
        # Naming an officer from outside the subtree would show their file on this unit's pages.
        if officer is not None and not is_within_scope(actor, officer.unit.path):
            raise NotVisible(_("Không tìm thấy cán bộ."))
    require_write(actor, "deployment.change_partycell", unit, _("Bạn không có quyền cập nhật tổ chức đảng."))


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
    seat = CommitteeSeat.objects.filter(officer=officer, unit=unit, committee=committee, start_date=start_date).first()
    before = snapshot(seat) if seat else None
    seat = seat or CommitteeSeat(officer=officer, unit=unit, committee=committee, start_date=start_date)
    seat.end_date = end_date
    return seat, _save_logged(actor, seat, before)
