"""Helpers for report tests: open a standard form's period for a unit and fill it in."""

from __future__ import annotations

import datetime as dt
import decimal

from django.utils import timezone

from cax.reports import services
from cax.reports.models import ReportForm, Submission

DAILY, WEEKLY, MONTHLY = "bc-antt-ngay", "bc-antt-tuan", "bc-antt-thang"


def form(code: str = DAILY) -> ReportForm:
    return ReportForm.objects.get(code=code)


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())


def full_entries(submission: Submission, overrides: dict | None = None) -> dict[str, services.Entry]:
    """Every item filled: prefilled items confirmed at their CAX value, numbers 1, texts "Ổn định"."""
    overrides = overrides or {}
    entries = {}
    prefilled = services.prefill_values(submission, services.items_of(submission.version))
    for item in services.items_of(submission.version):
        code = item.indicator.code
        if code in overrides:
            entries[code] = (
                overrides[code] if isinstance(overrides[code], services.Entry) else services.Entry(overrides[code])
            )
        elif item.indicator_id in prefilled:
            entries[code] = services.Entry(str(prefilled[item.indicator_id]), confirmed=True)
        elif item.indicator.value_type == "text":
            entries[code] = services.Entry("Ổn định")
        elif item.indicator.value_type == "boolean":
            entries[code] = services.Entry("0")
        else:
            entries[code] = services.Entry("1")
    return entries


def staff_of(cast, unit) -> tuple:
    """(officer, chief) of a commune: the cast's own for commune_a, made on demand elsewhere."""
    if unit.pk == cast.commune_a.pk:
        return cast.commune_officer, cast.commune_chief
    from cax.accounts.models import User
    from cax.core.testing.cast import make_user

    users = []
    for role in ("commune_officer", "commune_chief"):
        name = f"{role}_{unit.code}"
        found = User.objects.select_related("unit").filter(username=name).first()
        users.append(found or make_user(name, role, unit))
    return tuple(users)


def submit(
    cast, unit, day: dt.date, *, form_code: str = DAILY, values: dict | None = None, now: dt.datetime | None = None
) -> Submission:
    """Open, fill (officer) and send (chief) a report of ``unit`` for the period containing ``day``."""
    report_form = form(form_code)
    period = report_form.period_of(day)
    now = now or at(period.end, 15)
    officer, chief = staff_of(cast, unit)
    submission = services.submission_open(actor=officer, form=report_form, unit=unit, period=period, now=now)
    services.submission_save(actor=officer, submission=submission, entries=full_entries(submission, values), now=now)
    return services.submission_submit(actor=chief, submission=submission, now=now)


def number(value) -> decimal.Decimal:
    return decimal.Decimal(str(value))
