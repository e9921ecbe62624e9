"""The clock fed from the database: the rule rows and the holiday calendar (cases.Holiday, the one
CAX keeps) as the pure engine (deadlines.py) takes them, and its refusals worded in Vietnamese."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from cax.cases.models import Holiday
from cax.core import formatting
from cax.core.exceptions import DomainError
from cax.supervision import deadlines
from cax.supervision.models import Rule


def duty_label(code: str) -> str:
    """A duty or rule by name (labels, never codes, in the UI)."""
    labels = {
        deadlines.TERM_MIN: _("thời hạn tối thiểu"),
        deadlines.TERM_MAX: _("thời hạn tối đa"),
        deadlines.CUSTODY_CREDIT: _("trừ thời gian tạm giữ, tạm giam"),
        deadlines.COMMITMENT: _("hạn cam kết"),
        deadlines.HANDOVER: _("hạn thông báo nơi đến"),
        deadlines.TEMPORARY_ABSENCE: _("khai báo tạm vắng"),
        deadlines.REPORT: _("báo cáo định kỳ"),
        deadlines.ASSESSMENT: _("nhận xét của người giám sát"),
        deadlines.RESIDENCE_CHECK: _("kiểm tra cư trú"),
        deadlines.INCOME_DEDUCTION: _("nộp thu nhập bị khấu trừ"),
    }
    return labels.get(code, code)


def engine_rules() -> list[deadlines.Rule]:
    """Every rule row, as the pure engine takes them (one query)."""
    return [
        deadlines.Rule(
            category=code or "",
            code=r.code,
            amount=r.amount,
            unit=r.unit,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            legal_basis=r.legal_basis,
            verified=r.verified,
        )
        for r, code in ((r, r.category.code if r.category_id else "") for r in Rule.objects.select_related("category"))
    ]


def calendar() -> deadlines.Calendar:
    return deadlines.Calendar(holidays=frozenset(Holiday.objects.values_list("day", flat=True)))


def term_refusal(exc: deadlines.TermOutOfRange) -> DomainError:
    rule = exc.rule
    if rule.code == deadlines.TERM_MIN:
        text = _("Thời hạn ngắn hơn mức tối thiểu {n} tháng ({basis}).")
    else:
        text = _("Thời hạn dài hơn mức tối đa {n} tháng ({basis}).")
    message = text.format(n=formatting.number(rule.amount), basis=rule.legal_basis)
    return DomainError(message, fields={"term_months": [message]})


def periodic_rules(rules: list[deadlines.Rule], category: str, on: dt.date) -> list[deadlines.Rule]:
    """The periodic duties of a category on a day, each the version in force."""
    found = []
    for code in deadlines.PERIODIC:
        rule = deadlines.optional_rule(rules, category, code, on)
        if rule is not None and rule.amount > 0:
            found.append(rule)
    return found
