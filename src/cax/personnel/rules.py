"""Plausible dates for an officer's record (issue 14): a birth date in the past that gives an age that
can serve; service, party and posting dates after the 18th birthday and not ahead of today unless the
field is a plan. The ages are rule rows (ServiceAgeRule), not constants."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.text import vn_date
from cax.personnel.choices import OfficerStatus
from cax.personnel.models import ServiceAgeRule

# Statuses of an officer still serving: the maximum age applies to them only.
SERVING = {OfficerStatus.ACTIVE, OfficerStatus.ON_LEAVE, OfficerStatus.STUDYING, OfficerStatus.INJURED}


class AgeRules:
    """The rule rows, read once per import or request; ``on(day)`` is the row in force that day."""

    def __init__(self, rows: list[ServiceAgeRule] | None = None):
        self.rows = list(ServiceAgeRule.objects.order_by("-effective_from")) if rows is None else rows

    def on(self, day: dt.date) -> ServiceAgeRule | None:
        for row in self.rows:
            if row.effective_from <= day and (row.effective_to is None or row.effective_to >= day):
                return row
        return self.rows[-1] if self.rows else None


def birthday(born: dt.date, years: int) -> dt.date:
    """The day someone born on ``born`` turns ``years`` (29 February → 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def officer_date_problem(officer, day: dt.date | None, label: str, rules: AgeRules | None = None) -> str | None:
    """Why ``day`` cannot be a date of the officer's service (posting, status change): before they
    came of age or before they joined the service."""
    if day is None:
        return None
    rules = rules or AgeRules()
    rule = rules.on(day)
    if officer.date_of_birth and rule is not None and day < birthday(officer.date_of_birth, rule.minimum_age):
        return _("{f} {d} trước khi cán bộ đủ {n} tuổi (sinh ngày {b}).").format(
            f=label, d=vn_date(day), n=rule.minimum_age, b=vn_date(officer.date_of_birth)
        )
    if officer.service_start and day < officer.service_start:
        return _("{f} {d} trước ngày vào ngành {s}.").format(f=label, d=vn_date(day), s=vn_date(officer.service_start))
    return None


# Lazy: translated only into a message, not for each of an import's rows (issue 20.4).
_RECORD_DATES = (("service_start", gettext_lazy("Ngày vào ngành")), ("party_joined_on", gettext_lazy("Ngày vào Đảng")))


def officer_record_problems(
    officer, rules: AgeRules | None = None, today: dt.date | None = None
) -> dict[str, list[str]]:
    """Every implausible date of an officer's own record, by field."""
    rules = rules or AgeRules()
    today = today or timezone.localdate()
    problems: dict[str, list[str]] = {}
    born = officer.date_of_birth
    rule = rules.on(today)
    if born is not None:
        if born >= today:
            problems["date_of_birth"] = [_("Ngày sinh {d} không ở quá khứ.").format(d=vn_date(born))]
        elif rule is not None and birthday(born, rule.minimum_age) > today:
            problems["date_of_birth"] = [
                _("Ngày sinh {d}: cán bộ chưa đủ {n} tuổi.").format(d=vn_date(born), n=rule.minimum_age)
            ]
        elif rule is not None and officer.status in SERVING and birthday(born, rule.maximum_age) <= today:
            problems["date_of_birth"] = [
                _("Ngày sinh {d}: cán bộ đang công tác đã quá hạn tuổi phục vụ {n}.").format(
                    d=vn_date(born), n=rule.maximum_age
                )
            ]
    for field, label in _RECORD_DATES:
        day = getattr(officer, field)
        if day is None:
            continue
        if day > today:
            problems[field] = [_("{f} {d} ở tương lai.").format(f=label, d=vn_date(day))]
            continue
        day_rule = rules.on(day)
        if born is not None and day_rule is not None and day < birthday(born, day_rule.minimum_age):
            problems[field] = [
                _("{f} {d} trước khi cán bộ đủ {n} tuổi (sinh ngày {b}).").format(
                    f=label, d=vn_date(day), n=day_rule.minimum_age, b=vn_date(born)
                )
            ]
    return problems
