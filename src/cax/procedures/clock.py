"""The desk's legal clock: a procedure's rule rows as the pure deadline engine of
``cax.cases.deadlines`` takes them, the holiday calendar CAX already keeps (``cases.Holiday``),
and the due moment a dossier or a notice gets. Used by the services, which store what is computed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.cases import deadlines
from cax.cases.clock import holiday_calendar
from cax.core import formatting
from cax.core.exceptions import DomainError
from cax.procedures.models import ProcedureType, ProcessingRule


def _engine_rule(row: ProcessingRule) -> deadlines.Rule:
    # A cut-off rule has no amount to count; the engine only chooses the version in force for it.
    unit = "hours" if row.unit == ProcessingRule.Unit.CUTOFF else row.unit
    return deadlines.Rule(
        code=str(row.procedure_id),
        amount=row.amount,
        unit=unit,
        effective_from=row.valid_from,
        effective_to=row.valid_to,
        remote_amount=row.remote_amount,
        legal_basis=row.legal_basis,
    )


def rule_in_force(procedure: ProcedureType, on: dt.date, rows: list[ProcessingRule] | None = None) -> ProcessingRule:
    """The version of the procedure's time limit for a period starting on ``on`` (the latest to take
    effect wins, as in the crime-report register); refused in Vietnamese when none covers the day."""
    rows = list(procedure.rules.all()) if rows is None else rows
    by_start = {row.valid_from: row for row in rows}
    try:
        chosen = deadlines.rule_in_force([_engine_rule(r) for r in rows], str(procedure.pk), on)
    except deadlines.NoRuleInForce as exc:
        message = _("Thủ tục “{p}” chưa có thời hạn giải quyết áp dụng cho ngày {d}: báo quản trị bổ sung.").format(
            p=procedure.name, d=formatting.date(on)
        )
        raise DomainError(message) from exc
    return by_start[chosen.effective_from]


def due(row: ProcessingRule, start: dt.datetime, *, remote: bool, calendar: deadlines.Calendar) -> dt.datetime:
    """The last instant of the rule's period from ``start``, counted on Vietnam's local days."""
    local = timezone.localtime(start)
    if row.unit == ProcessingRule.Unit.CUTOFF:
        return deadlines.notice_cutoff(local, cutoff=row.cutoff_time, next_day_by=row.next_day_time)
    amount = row.remote_amount if remote and row.remote_amount is not None else row.amount
    return deadlines.add_period(local, amount, row.unit, calendar)


def deadline_for(
    procedure: ProcedureType, start: dt.datetime, *, remote: bool, calendar: deadlines.Calendar | None = None
) -> tuple[ProcessingRule, dt.datetime]:
    """The rule in force on the local day of ``start`` and the due moment it gives."""
    row = rule_in_force(procedure, timezone.localdate(start))
    return row, due(row, start, remote=remote, calendar=calendar or holiday_calendar())
