"""Demo reports for the demo province (#6): recent daily, weekly and monthly reports of every
commune, mostly sent and approved, some late, some returned, some missing, so the completeness and
roll-up pages have something to show on a fresh ``./cax up``.

Bulk inserts of generated data (no change log, like the other demo generators); the document
counters are set so real reports continue the numbering; roll-up cells are rebuilt by the
production code path.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from cax.core.revision import bump_after_commit
from cax.reports import periods, prefill, services
from cax.reports.models import Aggregation, DocumentCounter, ReportForm, Status, Submission, Value
from cax.units.models import Unit

HOW_MANY = {periods.DAILY: 45, periods.WEEKLY: 10, periods.MONTHLY: 4, periods.QUARTERLY: 2, periods.YEARLY: 1}


def how_many_for(days: int | None) -> dict[str, int]:
    """The periods of each kind to fill when only the last ``days`` days are wanted (a test's short
    demo): every kind keeps at least one period; None is the full demo."""
    if days is None:
        return HOW_MANY
    span = {periods.DAILY: 1, periods.WEEKLY: 7, periods.MONTHLY: 30, periods.QUARTERLY: 91, periods.YEARLY: 365}
    return {kind: min(full, max(1, -(-days // span[kind]))) for kind, full in HOW_MANY.items()}


def _status(rng: random.Random, age_days: int) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return None  # not reported
    if roll < 0.12:
        return Status.RETURNED
    if age_days > 3 and roll < 0.85:
        return Status.APPROVED
    return Status.SUBMITTED


def _number(rng: random.Random, indicator) -> decimal.Decimal:
    if indicator.value_type == "boolean":
        return decimal.Decimal(1 if rng.random() < 0.03 else 0)
    if indicator.value_type == "decimal":
        return decimal.Decimal(rng.choice([0, 0, 0, 1.5, 2, 3.75, 10]))
    if indicator.aggregation == Aggregation.STOCK:
        return decimal.Decimal(rng.randint(8, 40))
    return decimal.Decimal(rng.choice([0, 0, 0, 0, 1, 1, 2, 3]))


def _numbers(rng: random.Random, version, items, known: dict) -> dict:
    """Figures for one report: CAX's own where the form pre-fills them (officers, women officers,
    crime reports: what a commune confirms), random for the rest, drawn again until every rule of
    the form passes, as a sent report must; what no draw satisfies falls back to zeros."""
    numeric = [item.indicator for item in items if item.indicator.value_type != "text"]
    for _attempt in range(200):
        numbers = {i.code: known.get(i.code, _number(rng, i)) for i in numeric}
        if not services.check_rules(version, numbers):
            return numbers
    return {i.code: known.get(i.code, decimal.Decimal(0)) for i in numeric}


@transaction.atomic
def generate(*, unit_code: str = "51", today: dt.date | None = None, seed: int = 6, days: int | None = None) -> int:
    """Reports of the communes under ``unit_code`` for recent periods (``how_many_for(days)`` of each
    kind); returns how many were made."""
    how_many = how_many_for(days)
    today = today or timezone.localdate()
    now = timezone.now()
    rng = random.Random(seed)
    root = Unit.objects.get(code=unit_code, valid_to__isnull=True)
    communes = list(Unit.objects.current().commune_level().in_subtree(root).order_by("path"))
    counters: dict[tuple[int, int], int] = {}
    made = 0
    for form in ReportForm.objects.filter(is_active=True):
        recent = periods.recent(form.periodicity, form.calendar, today, how_many[form.periodicity] + 1)[1:]
        buckets = set()
        for period in reversed(recent):
            try:
                version = services.version_for(form, period)
            except Exception:  # noqa: BLE001 - no version yet for an old period: skip it
                continue
            made += _period_reports(rng, form, version, period, communes, counters, today=today, now=now)
            buckets.add(services.bucket_of(form, period.start))
        for bucket in sorted(buckets):
            services.rollup_rebuild(
                form=form, unit_ids=[u.pk for u in communes], first_bucket=bucket, last_bucket=bucket
            )
    for (unit_id, year), last in counters.items():
        DocumentCounter.objects.update_or_create(unit_id=unit_id, year=year, defaults={"last": last})
    bump_after_commit()
    return made


def _period_reports(rng: random.Random, form, version, period, communes, counters: dict, *, today, now) -> int:
    """Inserts the communes' reports for one period with their values; returns how many."""
    items = services.items_of(version)
    prefetch_related_objects([version], "rules")  # the rules are checked for every report
    unit_ids = [u.pk for u in communes]
    sourced = {
        item.indicator.code: prefill.compute(item.prefill_source, unit_ids, period.start, period.end)
        for item in items
        if item.prefill_source in prefill.sources()
    }
    due, _lock = services.schedule(version, period)
    rows, values = [], []
    for unit in communes:
        if not services.is_expected(version, unit, period):
            continue
        status = _status(rng, (today - period.end).days)
        if status is None:
            continue
        submission = _sent_report(form, version, unit, period, status, min(_sent_at(rng, due), now), counters)
        rows.append(submission)
        known = {code: by_unit[unit.pk] for code, by_unit in sourced.items()}
        numbers = _numbers(rng, version, items, known)
        for item in items:
            indicator = item.indicator
            if indicator.value_type == "text":
                values.append((submission, indicator, None, "Tình hình ANTT trên địa bàn ổn định.", None))
            else:
                values.append((submission, indicator, numbers[indicator.code], "", known.get(indicator.code)))
    Submission.objects.bulk_create(rows, batch_size=1000)
    Value.objects.bulk_create(
        (
            Value(submission=s, indicator=i, number=n, text=t, prefilled=p, confirmed=p is not None)
            for s, i, n, t, p in values
        ),
        batch_size=5000,
    )
    return len(rows)


def _sent_at(rng: random.Random, due: dt.datetime) -> dt.datetime:
    """Most reports a few hours before their due time, some up to a day and a bit after."""
    if rng.random() < 0.85:
        return due - dt.timedelta(hours=rng.randint(1, 20))
    return due + dt.timedelta(hours=rng.randint(1, 30))


def _sent_report(form, version, unit, period, status: str, sent: dt.datetime, counters: dict) -> Submission:
    """An unsaved sent report numbered in its unit's yearly sequence of documents."""
    year = timezone.localtime(sent).year
    counters[(unit.pk, year)] = counters.get((unit.pk, year), 0) + 1
    return services.new_submission(
        form,
        version,
        unit,
        period,
        status=status,
        first_submitted_at=sent,
        submitted_at=sent,
        document_year=year,
        document_number=counters[(unit.pk, year)],
        return_note="Đề nghị kiểm tra lại số liệu tai nạn giao thông." if status == Status.RETURNED else "",
    )
