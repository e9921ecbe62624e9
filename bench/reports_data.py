"""Benchmark data for periodic reports (#6): one year of a 25-indicator daily report from every commune.

The form ``bench-ngay`` (23 integer flows, 2 integer stocks, reported by every commune-level unit
type, in force from 1 July 2025) and, for every current commune-level unit (3,321 in today's
official tree), one daily report per day of the fixed year 1 July 2025 – 30 June 2026 (365 days)
minus about 2% missing, each with its 25 values: ~1.19 million submissions and ~30 million
``reports_value`` rows. Then the roll-up cells, month by month, through
``services.rollup_rebuild``, the code path production uses.

PostgreSQL only: the rows are written by set-based ``INSERT … SELECT`` over ``generate_series``,
one statement for the submissions and one per month for the values; the ORM row by row would take
hours. Every pseudo-random choice is a hash of the ids, so a run produces the same data set.
Each step is skipped when its rows are already there.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import connection, transaction

FORM_CODE = "bench-ngay"
FIRST_DAY = dt.date(2025, 7, 1)  # the two-level local government: today's communes start here
LAST_DAY = dt.date(2026, 6, 30)
FLOWS, STOCKS = 23, 2
DUE_DAYS, DUE_TIME, LOCK_DAYS = 0, dt.time(16, 0), 7

# Out of 10,000 (unit, day) pairs: a report never opened. One unit in 40 is a chronic laggard.
MISSING, MISSING_LAGGARD = 120, 2500
# Out of 10,000 reports that were opened.
LATE, LATE_LAGGARD = 400, 2500  # first sent after the due time (up to 3 days)
DRAFT, RETURNED, LOCKED, APPROVED = 30, 60, 400, 9200  # cumulative thresholds; the rest: submitted

_SUBMISSIONS_SQL = """
WITH base AS (
    SELECT u.unit_id, d::date AS day,
           (hashint8(u.unit_id * 1000 + (d::date - %(first)s)) & 2147483647) %% 10000 AS r_missing,
           (hashint8(u.unit_id * 1000 + (d::date - %(first)s) + 500000000) & 2147483647) %% 10000 AS r_status,
           (hashint8(u.unit_id * 1000 + (d::date - %(first)s) + 900000000) & 2147483647) %% 10000 AS r_time,
           u.unit_id %% 40 = 0 AS laggard
    FROM unnest(%(units)s::bigint[]) AS u(unit_id)
    CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
), kept AS (
    SELECT b.*,
           ((b.day + %(due_days)s) + %(due_time)s::time) AT TIME ZONE %(tz)s AS due_at,
           (b.day + %(lock_days)s + 1)::timestamp AT TIME ZONE %(tz)s AS lock_at,
           CASE WHEN b.r_status < %(draft)s THEN 'draft'
                WHEN b.r_status < %(returned)s THEN 'returned'
                WHEN b.r_status < %(locked)s THEN 'locked'
                WHEN b.r_status < %(approved)s THEN 'approved'
                ELSE 'submitted' END AS status,
           (b.r_time %% 10000) < CASE WHEN b.laggard THEN %(late_laggard)s ELSE %(late)s END AS late
    FROM base b
    WHERE b.r_missing >= CASE WHEN b.laggard THEN %(missing_laggard)s ELSE %(missing)s END
), timed AS (
    SELECT k.*,
           CASE WHEN k.status = 'draft' THEN NULL
                WHEN k.late THEN k.due_at + make_interval(mins => 1 + k.r_time %% 4320)
                ELSE k.due_at - make_interval(mins => 1 + k.r_time %% 480) END AS sent_at
    FROM kept k
), numbered AS (
    SELECT t.*,
           CASE WHEN t.sent_at IS NOT NULL
                THEN extract(year FROM t.sent_at AT TIME ZONE %(tz)s)::int END AS doc_year
    FROM timed t
)
INSERT INTO reports_submission (
    form_id, version_id, unit_id, period_key, period_start, period_end, status, is_nil, due_at, lock_at,
    first_submitted_at, submitted_at, submitted_by_id, reviewed_at, reviewed_by_id, return_note,
    document_year, document_number, warning_comments, imported, row_version, created_at, updated_at
)
SELECT %(form)s, %(version)s, n.unit_id, to_char(n.day, 'YYYYMMDD'), n.day, n.day, n.status, false,
       n.due_at, n.lock_at,
       n.sent_at, n.sent_at, CASE WHEN n.sent_at IS NOT NULL THEN %(user)s END,
       CASE WHEN n.status IN ('returned', 'locked', 'approved') THEN n.sent_at + interval '2 hours' END,
       CASE WHEN n.status IN ('returned', 'locked', 'approved') THEN %(user)s END,
       CASE WHEN n.status = 'returned' THEN 'Số liệu chưa khớp sổ theo dõi, đề nghị kiểm tra lại.' ELSE '' END,
       n.doc_year,
       CASE WHEN n.doc_year IS NOT NULL
            THEN row_number() OVER (PARTITION BY n.unit_id, n.doc_year ORDER BY n.sent_at) END,
       '{}'::jsonb, false, 3,
       coalesce(n.sent_at, n.due_at) - interval '30 minutes',
       coalesce(n.sent_at + interval '2 hours', n.due_at)
FROM numbered n
ORDER BY n.day, n.unit_id
"""

# Document numbers above run 1, 2, … per unit and calendar year of sending (drafts, never sent, form
# their own NULL partition and get none); the counters continue from there.
_COUNTERS_SQL = """
INSERT INTO reports_documentcounter (unit_id, year, last)
SELECT unit_id, document_year, max(document_number)
FROM reports_submission
WHERE form_id = %(form)s AND document_number IS NOT NULL
GROUP BY unit_id, document_year
ON CONFLICT (unit_id, year) DO UPDATE SET last = greatest(reports_documentcounter.last, excluded.last)
"""

# Flows: rare events (crimes, accidents, fires: mostly 0), small daily counts, office work (0–14).
# Stocks: a slowly growing head count per unit.
_VALUES_SQL = """
INSERT INTO reports_value (submission_id, indicator_id, number, text, prefilled, confirmed, correction_reason)
SELECT s.id, i.id,
       CASE WHEN i.k <= 8 THEN ((x.h %% 100) < 6)::int + ((x.h %% 100) < 1)::int
            WHEN i.k <= 16 THEN x.h %% 4
            WHEN i.k <= %(flows)s THEN x.h %% 15
            WHEN i.k = %(flows)s + 1 THEN 3 + s.unit_id %% 6 + (s.period_start - %(first)s) / 120
            ELSE 15 + s.unit_id %% 20 + (s.period_start - %(first)s) / 30 END,
       '', NULL, false, ''
FROM reports_submission s
CROSS JOIN unnest(%(indicators)s::bigint[]) WITH ORDINALITY AS i(id, k)
CROSS JOIN LATERAL (SELECT hashint8(s.id * 64 + i.k) & 2147483647 AS h) AS x
WHERE s.form_id = %(form)s AND s.period_start BETWEEN %(low)s AND %(high)s
ORDER BY s.id, i.k
"""


def months() -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of every month of the benchmark year."""
    result = []
    start = FIRST_DAY
    while start <= LAST_DAY:
        following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        result.append((start, min(following - dt.timedelta(days=1), LAST_DAY)))
        start = following
    return result


def ensure_form():
    """The benchmark form, created once: 25 numeric indicators on one version."""
    from cax.reports.models import FormItem, FormVersion, Indicator, ReportForm
    from cax.units.models import UnitType

    form = ReportForm.objects.filter(code=FORM_CODE).first()
    if form is not None:
        return form
    with transaction.atomic():
        form = ReportForm.objects.create(
            code=FORM_CODE, name="Báo cáo ngày (benchmark, 25 chỉ tiêu)", periodicity="daily", calendar="calendar"
        )
        version = FormVersion.objects.create(
            form=form,
            number=1,
            valid_from=FIRST_DAY,
            due_days=DUE_DAYS,
            due_time=DUE_TIME,
            lock_days=LOCK_DAYS,
            note="benchmark",
        )
        version.reporting_unit_types.set(UnitType.objects.filter(is_commune_level=True))
        specs = [(f"luong_{n:02d}", f"Chỉ tiêu phát sinh {n:02d}", "sum") for n in range(1, FLOWS + 1)]
        specs += [(f"hien_co_{n:02d}", f"Chỉ tiêu hiện có {n:02d}", "last") for n in range(1, STOCKS + 1)]
        for order, (code, name, aggregation) in enumerate(specs):
            indicator = Indicator.objects.create(
                form=form, code=code, name=name, value_type="integer", aggregation=aggregation, measure="vụ"
            )
            FormItem.objects.create(version=version, indicator=indicator, order=order, section="I. Số liệu")
    return form


def _vacuum_analyze(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def generate(*, user_id: int) -> dict[str, float]:
    """Create what is missing of the data set; returns the seconds each step took (PostgreSQL only)."""
    from cax.reports import services
    from cax.reports.models import FormVersion, RollupCell, Submission, Value
    from cax.units.models import Unit

    if connection.vendor != "postgresql":
        raise RuntimeError("the reports benchmark data set is generated on PostgreSQL only")
    timings: dict[str, float] = {}
    form = ensure_form()
    version = FormVersion.objects.get(form=form, number=1)
    indicators = list(form.indicators.order_by("pk").values_list("pk", flat=True))
    assert len(indicators) == FLOWS + STOCKS
    wrote_rows = False

    if not Submission.objects.filter(form=form).exists():
        units = list(Unit.objects.current().commune_level().order_by("pk").values_list("pk", flat=True))
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _SUBMISSIONS_SQL,
                {
                    "units": units,
                    "first": FIRST_DAY,
                    "last": LAST_DAY,
                    "form": form.pk,
                    "version": version.pk,
                    "user": user_id,
                    "tz": settings.TIME_ZONE,
                    "due_days": DUE_DAYS,
                    "due_time": DUE_TIME,
                    "lock_days": LOCK_DAYS,
                    "missing": MISSING,
                    "missing_laggard": MISSING_LAGGARD,
                    "late": LATE,
                    "late_laggard": LATE_LAGGARD,
                    "draft": DRAFT,
                    "returned": RETURNED,
                    "locked": LOCKED,
                    "approved": APPROVED,
                },
            )
            inserted = cursor.rowcount
            cursor.execute(_COUNTERS_SQL, {"form": form.pk})
        timings["submissions"] = time.perf_counter() - started
        print(f"# {inserted:,} submissions for {len(units):,} units in {timings['submissions']:.0f} s", flush=True)
        _vacuum_analyze("reports_submission", "reports_documentcounter")
        wrote_rows = True

    started_values = time.perf_counter()
    for low, high in months():
        in_month = Submission.objects.filter(form=form, period_start__gte=low, period_start__lte=high)
        if Value.objects.filter(submission__in=in_month[:1]).exists():
            continue
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _VALUES_SQL,
                {
                    "indicators": indicators,
                    "flows": FLOWS,
                    "first": FIRST_DAY,
                    "form": form.pk,
                    "low": low,
                    "high": high,
                },
            )
            inserted = cursor.rowcount
        print(f"# values {low:%Y-%m}: {inserted:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
        wrote_rows = True
    if wrote_rows:
        timings["values"] = time.perf_counter() - started_values
        started = time.perf_counter()
        _vacuum_analyze("reports_value")
        timings["vacuum_analyze"] = time.perf_counter() - started
        print(f"# VACUUM ANALYZE in {timings['vacuum_analyze']:.0f} s", flush=True)

    started_cells = time.perf_counter()
    built = False
    for low, _high in months():
        if RollupCell.objects.filter(indicator__form=form, bucket=low).exists():
            continue
        started = time.perf_counter()
        with transaction.atomic():
            written = services.rollup_rebuild(form=form, unit_ids=None, first_bucket=low, last_bucket=low)
        print(f"# rollup_rebuild {low:%Y-%m}: {written:,} cells in {time.perf_counter() - started:.1f} s", flush=True)
        built = True
    if built:
        timings["cells"] = time.perf_counter() - started_cells
        _vacuum_analyze("reports_rollupcell")
    return timings


def dataset_counts(form) -> dict[str, int]:
    """Exact sizes of the data set, for docs/BENCHMARKS.md."""
    from django.db.models import Count

    from cax.reports.models import RollupCell, Submission
    from cax.units.models import Unit

    counts = {"units": Unit.objects.current().commune_level().count()}
    by_status = Submission.objects.filter(form=form).values_list("status").order_by().annotate(n=Count("pk"))
    for status, n in by_status:
        counts[f"submissions_{status}"] = n
    counts["submissions"] = sum(v for k, v in counts.items() if k.startswith("submissions_"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM reports_value v JOIN reports_submission s ON s.id = v.submission_id "
            "WHERE s.form_id = %s",
            [form.pk],
        )
        counts["values"] = cursor.fetchone()[0]
    counts["cells"] = RollupCell.objects.filter(indicator__form=form).count()
    return counts
