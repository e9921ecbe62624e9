"""The legal clock fed from the database: the rules and holidays as the pure engine (deadlines.py)
takes them, the deadline each step starts, and the engine's refusals worded in Vietnamese.

Used by the services, which write what is computed here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.cases import deadlines
from cax.cases.choices import Status, rule_label
from cax.cases.models import Case, CaseEvent, DeadlineRule, Holiday
from cax.core import formatting
from cax.core.exceptions import DomainError
from cax.core.text import vn_datetime
from cax.units.kinds import is_commune_level
from cax.units.models import Unit

# How far ahead of the server's clock a receipt or step may be dated (a clerk's watch, a phone).
CLOCK_SKEW = dt.timedelta(minutes=5)


@contextlib.contextmanager
def rules_or_domain_error():
    """No rule in force (a date before the first rule, two versions on one day) is a data problem
    to explain to the user, not a server error."""
    try:
        yield
    except deadlines.AmbiguousRules as exc:
        # The engine's own text is English and names the rule by its code: the user reads its name.
        message = _(
            "Danh mục quy tắc thời hạn có hai phiên bản “{r}” cùng hiệu lực ngày {d}: báo quản trị hệ thống sửa "
            "danh mục quy tắc."
        )
        raise DomainError(message.format(r=rule_label(exc.code), d=formatting.date(exc.on))) from exc
    except deadlines.NoRuleInForce as exc:
        message = _("Chưa có quy tắc “{r}” áp dụng cho ngày {d}: báo quản trị hệ thống bổ sung danh mục quy tắc.")
        raise DomainError(message.format(r=rule_label(exc.code), d=formatting.date(exc.on))) from exc
    except LookupError as exc:
        raise DomainError(
            _("Không có quy tắc thời hạn áp dụng được: báo quản trị hệ thống kiểm tra danh mục quy tắc.")
        ) from exc


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
    return rules, holiday_calendar()


def holiday_calendar() -> deadlines.Calendar:
    """The working-day calendar of the holidays in the database (reference data, cases.Holiday):
    every rule counted in working days, the crime register's and the procedures desk's, uses it."""
    return deadlines.Calendar(holidays=frozenset(Holiday.objects.values_list("day", flat=True)))


def intake_deadline(unit: Unit, received_at: dt.datetime) -> deadlines.Deadline:
    """The clock a new entry starts: commune police transfer within 24 h (48 h remote); any other unit
    receiving a report (the investigating body's seat, by a transfer) resolves it within Art. 147(1)."""
    rules, calendar = engine_inputs()
    with rules_or_domain_error():
        if is_commune_level(unit):
            return deadlines.transfer_deadline(received_at, remote=unit.is_remote, rules=rules, calendar=calendar)
        return deadlines.resolution_deadline(received_at, rules=rules, calendar=calendar)


def _extension_refusal(exc: deadlines.ExtensionRefused, new_due: dt.datetime, rules, received_at) -> DomainError:
    """The engine's refusal in Vietnamese: the latest moment allowed and the article behind it."""
    current = vn_datetime(exc.current_due)
    if exc.reason == exc.OVER_LIMIT:
        message = _("Hạn mới {new} vượt thời hạn luật cho phép: chậm nhất {latest} ({basis}).").format(
            new=vn_datetime(new_due), latest=vn_datetime(exc.limit.due), basis=exc.limit.rule.legal_basis
        )
        return DomainError(message, fields={"new_due": [message]})
    if exc.reason == exc.NOT_LATER:
        message = _("Hạn mới {new} phải sau hạn hiện tại {current}.").format(new=vn_datetime(new_due), current=current)
        return DomainError(message, fields={"new_due": [message]})
    basis = deadlines.rule_in_force(rules, deadlines.EXTENSION_REQUEST_LEAD, received_at.date()).legal_basis
    if exc.reason == exc.NO_REQUEST:
        message = _(
            "Viện kiểm sát gia hạn theo văn bản đề nghị của Cơ quan điều tra: nhập ngày gửi đề nghị "
            "(chậm nhất {latest}; {basis})."
        ).format(latest=vn_datetime(exc.request_latest), basis=basis)
    else:
        message = _("Đề nghị gia hạn gửi quá muộn: phải gửi chậm nhất {latest}, trước hạn {current} ({basis}).").format(
            latest=vn_datetime(exc.request_latest), current=current, basis=basis
        )
    return DomainError(message, fields={"requested_at": [message]})


def _extension_deadline(case: Case, data: dict[str, Any], rules, calendar) -> deadlines.Deadline:
    """CPC Art. 147(2): the investigating body extends once, the procuracy once, within the caps counted
    from receipt; the new deadline keeps the rule that bounds it (its article is shown beside it)."""
    by = data["extended_by"]
    new_due, current = timezone.localtime(data["new_due"]), timezone.localtime(case.due_at)
    limit = deadlines.extension_limit(current, by=by, received_at=case.received_at, rules=rules, calendar=calendar)
    if CaseEvent.objects.filter(case=case, to_status=Status.EXTENDED, data__extended_by=by).exists():
        message = _("Đã gia hạn một lần bởi cơ quan này; luật chỉ cho phép một lần ({basis}).").format(
            basis=limit.rule.legal_basis
        )
        raise DomainError(message, fields={"extended_by": [message]})
    try:
        deadlines.check_extension(
            new_due,
            current_due=current,
            by=by,
            received_at=case.received_at,
            requested_at=data.get("requested_at"),
            rules=rules,
            calendar=calendar,
        )
    except deadlines.ExtensionRefused as exc:
        raise _extension_refusal(exc, new_due, rules, case.received_at) from exc
    return deadlines.Deadline(code=limit.code, due=new_due, rule=limit.rule)


def next_deadline(case: Case, to_status: str, at: dt.datetime, data: dict[str, Any]):
    rules, calendar = engine_inputs()
    case.received_at, at = timezone.localtime(case.received_at), timezone.localtime(at)
    if to_status == Status.PRELIMINARY_CHECK:
        return deadlines.transfer_deadline(case.received_at, remote=case.unit.is_remote, rules=rules, calendar=calendar)
    if to_status in (Status.TAKEN_UP, Status.VERIFYING):
        return deadlines.resolution_deadline(case.received_at, rules=rules, calendar=calendar)
    if to_status == Status.EXTENDED:
        return _extension_deadline(case, data, rules, calendar)
    if to_status == Status.RESUMED:
        return deadlines.resumption_deadline(at, rules=rules, calendar=calendar)
    # Transferred: the receiving unit or body runs its own clock. Decided, suspended or closed: none runs
    # (a decision starts the procuracy duty instead, see _procuracy_duty).
    return None


def procuracy_duty(at: dt.datetime) -> deadlines.Deadline:
    rules, calendar = engine_inputs()
    return deadlines.decision_to_procuracy_deadline(timezone.localtime(at), rules=rules, calendar=calendar)
