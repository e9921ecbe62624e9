"""Reads for periodic reports: a unit's reporting calendar, submission lists, completeness and
timeliness, the roll-up pivot (#6). Every read starts from ``visible_to`` or a unit already fetched
through it.

Completeness: "expected" is computed from each unit's validity dates and the unit types the form
version in force asks to report, and "submitted" is counted under exactly the same conditions, so a
rate can never exceed 100%. Roll-up: whole buckets come from ``RollupCell`` (kept current by every
workflow step), the partial months at the edges of a daily range from the values themselves.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models import Value as Literal
from django.db.models.functions import Greatest, StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.accounts.roles import VIEW_REPORTS
from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.scoping import path_q, require_visible
from cax.core.text import matching_words
from cax.reports import periods
from cax.reports.models import (
    COUNTED,
    Aggregation,
    FormVersion,
    Indicator,
    ReportForm,
    RollupCell,
    Submission,
    Value,
)
from cax.reports.services import bucket_end, bucket_expression, bucket_of, schedule, valid_on
from cax.units.lineage import MAX_CHAIN, lineage_around
from cax.units.models import Unit

MAX_PERIODS = 400


def require_view(actor: Any, unit: Unit | None = None) -> None:
    """The right to read reports and, for a figure about ``unit``'s subtree, the unit in the actor's
    scope (a 404 otherwise): the rows read below it are then the actor's by construction. The system
    (``actor`` None) reads everything."""
    if actor is None:
        return
    if not actor.has_perm(VIEW_REPORTS):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    if unit is not None:
        require_visible(actor, unit)


def form_list(*, active_only: bool = True) -> QuerySet[ReportForm]:
    forms = ReportForm.objects.all()
    return forms.filter(is_active=True) if active_only else forms


def form_get(*, code: str) -> ReportForm:
    form = ReportForm.objects.filter(code=code).first()
    if form is None:
        raise NotVisible(_("Không tìm thấy biểu mẫu “{c}”.").format(c=code))
    return form


def versions_of(form: ReportForm) -> list[FormVersion]:
    """Oldest first, with their reporting unit types."""
    return list(FormVersion.objects.filter(form=form).order_by("valid_from").prefetch_related("reporting_unit_types"))


def _version_at(versions: list[FormVersion], day: dt.date) -> FormVersion | None:
    found = None
    for version in versions:
        if version.valid_from <= day:
            found = version
    return found


def period_range(form: ReportForm, first_key: str, last_key: str) -> list[periods.Period]:
    try:
        first, last = form.parse_period(first_key), form.parse_period(last_key)
    except periods.PeriodError as exc:
        raise DomainError(str(exc), fields={"period": [str(exc)]}) from exc
    if last.start < first.start:
        raise DomainError(_("Kỳ cuối phải sau kỳ đầu."))
    result = []
    for period in periods.periods_between(first, last, form.calendar):
        result.append(period)
        if len(result) > MAX_PERIODS:
            raise DomainError(_("Chọn tối đa {n} kỳ.").format(n=MAX_PERIODS))
    return result


# -- one unit -------------------------------------------------------------------------------------


def _last_day(unit: Unit, day: dt.date) -> dt.date:
    """``day``, or the last day of a unit merged away before it: its calendar ends there (issue 14)."""
    return min(day, unit.valid_to) if unit.valid_to is not None else day


def forms_for_unit(*, unit: Unit, day: dt.date) -> list[ReportForm]:
    """Active forms whose version in force on ``day`` (a closed unit's last day) asks this unit's
    type to report."""
    day = _last_day(unit, day)
    result = []
    for form in form_list():
        version = _version_at(versions_of(form), form.period_of(day).start)
        if version and unit.unit_type_id in {t.pk for t in version.reporting_unit_types.all()}:
            result.append(form)
    return result


@dataclass
class CalendarRow:
    period: periods.Period
    submission: Submission | None
    due_at: dt.datetime | None
    overdue: bool


def unit_calendar(*, actor: Any, unit: Unit, form: ReportForm, count: int = 12, now=None) -> list[CalendarRow]:
    """The last ``count`` periods of a form for one unit, newest first, with their reports. A unit
    merged away shows the periods up to its end, none it was not expected to report."""
    require_view(actor)
    now = now or timezone.now()
    recent = periods.recent(form.periodicity, form.calendar, _last_day(unit, timezone.localdate(now)), count)
    versions = versions_of(form)
    found = {
        s.period_start: s
        for s in Submission.objects.visible_to(actor)
        .filter(form=form, unit=unit, period_start__gte=recent[-1].start)
        .select_related("form")
    }
    rows = []
    for period in recent:
        version = _version_at(versions, period.start)
        submission = found.get(period.start)
        if submission is None and not valid_on(unit, period.end):
            continue  # the successor reports the period the unit was merged in
        due = submission.due_at if submission else (schedule(version, period)[0] if version else None)
        unsent = submission is None or submission.first_submitted_at is None
        rows.append(CalendarRow(period, submission, due, bool(due and unsent and now > due)))
    return rows


def submission_get(*, actor: Any, pk: int) -> Submission:
    require_view(actor)
    submission = (
        Submission.objects.visible_to(actor)
        .select_related("form", "version", "unit", "unit__unit_type", "unit__parent", "submitted_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise NotVisible(_("Không tìm thấy báo cáo."))
    return submission


def submission_for(*, actor: Any, unit: Unit, form: ReportForm, period: periods.Period) -> Submission | None:
    """The unit's report for the period, if it exists (and the actor may see it)."""
    require_view(actor)
    return (
        Submission.objects.visible_to(actor)
        .select_related("form", "version", "unit", "submitted_by", "reviewed_by")
        .filter(form=form, unit=unit, period_start=period.start)
        .first()
    )


def submission_values(submission: Submission) -> dict[int, Value]:
    return {v.indicator_id: v for v in Value.objects.filter(submission=submission).select_related("indicator")}


def submission_list(
    *,
    actor: Any,
    unit: Unit,
    form: ReportForm | None = None,
    status: str = "",
    first: dt.date | None = None,
    last: dt.date | None = None,
    late_only: bool = False,
    q: str = "",
) -> QuerySet[Submission]:
    require_view(actor)
    queryset = (
        Submission.objects.visible_to(actor)
        .in_subtree(unit)
        .select_related("form", "unit", "submitted_by", "reviewed_by")
        .order_by("-period_start", "unit__path")
    )
    if form is not None:
        queryset = queryset.filter(form=form)
    if status:
        queryset = queryset.filter(status=status)
    if first:
        queryset = queryset.filter(period_start__gte=first)
    if last:
        queryset = queryset.filter(period_start__lte=last)
    if late_only:
        queryset = queryset.filter(first_submitted_at__gt=F("due_at"))
    if q:
        queryset = matching_words(queryset, q, field="unit__search_key")
    return queryset


# -- completeness and timeliness ------------------------------------------------------------------


@dataclass
class Rate:
    """Imported legacy reports count as submitted but neither on time nor late (no send time)."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def percent(self) -> float:
        return round(100 * self.submitted / self.expected, 1) if self.expected else 0.0

    @property
    def on_time_percent(self) -> float:
        return round(100 * self.on_time / self.expected, 1) if self.expected else 0.0

    def add(self, other: Rate) -> None:
        self.expected += other.expected
        self.submitted += other.submitted
        self.on_time += other.on_time
        self.late += other.late


@dataclass
class RowRate:
    unit_id: int
    code: str
    name: str
    rate: Rate


@dataclass
class LateUnit:
    unit_id: int
    code: str
    name: str
    overdue_missing: int
    late: int


@dataclass
class CompletenessReport:
    form: ReportForm
    unit: Unit
    periods: list[periods.Period]
    total: Rate
    rows: list[RowRate]
    series: list[tuple[periods.Period, Rate]]
    late_units: list[LateUnit]


@dataclass
class _UnitRow:
    pk: int
    code: str
    name: str
    path: str
    unit_type_id: int
    valid_from: dt.date | None
    valid_to: dt.date | None


class _ChildRows:
    """The rows of a table about ``root``: one per direct child (with its validity), and the root's
    own row for anything reported by the root itself."""

    def __init__(self, root: Unit):
        self.root = root
        self.depth = len(root.path.strip("/").split("/"))
        self.children = {
            pk: (code, name, valid_from, valid_to)
            for pk, code, name, valid_from, valid_to in Unit.objects.filter(parent=root).values_list(
                "pk", "code", "name", "valid_from", "valid_to"
            )
        }

    def of_path(self, path: str) -> int:
        """The row of a unit under the root, by its path: the path segment after the root's."""
        segments = path.strip("/").split("/")
        return self.of_segment(segments[self.depth] if len(segments) > self.depth else "")

    def of_segment(self, segment: str) -> int:
        return int(segment) if segment and int(segment) in self.children else self.root.pk

    def label(self, key: int) -> tuple[str, str]:
        code, name, _from, _to = self.children.get(key, (self.root.code, self.root.name, None, None))
        return code, name


def _expected_matrix(form: ReportForm, period_list: list[periods.Period], versions=None):
    """Per period: the version in force (or None) and its reporting unit types."""
    versions = versions_of(form) if versions is None else versions
    return [
        (p, v, frozenset(t.pk for t in v.reporting_unit_types.all()) if v else frozenset())
        for p in period_list
        for v in [_version_at(versions, p.start)]
    ]


def _counted_condition(matrix) -> Q:
    """SQL for "this submission was expected": the same rule as ``services.is_expected``."""
    by_types: dict[frozenset, list[dt.date]] = defaultdict(list)
    for period, version, types in matrix:
        if version is not None:
            by_types[types].append(period.start)
    condition = Q(pk__in=[])
    for types, starts in by_types.items():
        condition |= Q(period_start__in=starts, unit__unit_type_id__in=list(types))
    validity = (Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=F("period_end"))) & (
        Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=F("period_end"))
    )
    return condition & validity


def completeness(
    *, actor: Any, unit: Unit, form: ReportForm, period_list: list[periods.Period], now=None, versions=None
) -> CompletenessReport:
    """Expected, submitted and on-time reports for ``unit``'s subtree over the periods (6 queries)."""
    require_view(actor, unit)
    now = now or timezone.now()
    matrix = _expected_matrix(form, period_list, versions)
    all_types = set().union(*(types for _, _, types in matrix)) if matrix else set()
    first, last = period_list[0], period_list[-1]
    units = [
        _UnitRow(*row)
        for row in Unit.objects.in_subtree(unit)
        .filter(unit_type_id__in=all_types)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first.end))
        .values_list("pk", "code", "name", "path", "unit_type_id", "valid_from", "valid_to")
    ]
    # Periods already past their due time (due at or before now): only those can miss a report. A
    # period not yet due counts the reports already sent and nothing missing: at 09:30 today's daily
    # report due at 16:00 is not missing yet.
    overdue_starts = {p.start for p, v, _ in matrix if v is not None and schedule(v, p)[0] <= now}
    expected = _Expected(units, matrix, overdue_starts)
    counted = (
        Submission.objects.in_subtree(unit)
        .filter(
            form=form,
            status__in=COUNTED,
            period_start__gte=first.start,
            period_start__lte=last.start,
        )
        .filter(_counted_condition(matrix))
        .order_by()
    )
    per_unit, per_period = _counted_per_unit(counted, overdue_starts), _counted_per_period(counted)
    total, rows, late_units = _completeness_rows(unit, units, expected, per_unit)
    series = []
    for period, _version, _types in matrix:
        n, ok, n_late = per_period.get(period.start, (0, 0, 0))
        owed = expected.per_period[period.start] if period.start in overdue_starts else n
        series.append((period, Rate(owed, n, ok, n_late)))
    return CompletenessReport(
        form=form,
        unit=unit,
        periods=period_list,
        total=total,
        rows=rows,
        series=series,
        late_units=late_units,
    )


class _Expected:
    """How many reports each unit owed over the periods already past due, and how many each period
    expected in all."""

    def __init__(self, units: list[_UnitRow], matrix, overdue_starts: set[dt.date]):
        self.overdue: Counter = Counter()
        self.per_period: Counter = Counter()
        # Units sharing type and validity share their expectations: a handful of groups, not 3,000 units.
        groups: dict[tuple, list[_UnitRow]] = defaultdict(list)
        for row in units:
            groups[(row.unit_type_id, row.valid_from, row.valid_to)].append(row)
        for members in groups.values():
            sample = members[0]
            flags = [(p.start, sample.unit_type_id in types and valid_on(sample, p.end)) for p, v, types in matrix]
            n_due = sum(1 for start, ok in flags if ok and start in overdue_starts)
            for start, ok in flags:
                if ok:
                    self.per_period[start] += len(members)
            for row in members:
                self.overdue[row.pk] = n_due


# Submissions sent by their due time, and after it (legacy imports have no send time: neither).
_ON_TIME = Q(first_submitted_at__lte=F("due_at"))
_LATE = Q(first_submitted_at__gt=F("due_at"))


def _counted_per_unit(counted: QuerySet, overdue_starts: set[dt.date]) -> dict[int, tuple]:
    """Unit id → (counted, on time, late, counted for a period already due)."""
    return {
        unit_id: (n, ok, n_late, n_due)
        for unit_id, n, ok, n_late, n_due in counted.values_list("unit_id").annotate(
            n=Count("pk"),
            ok=Count("pk", filter=_ON_TIME),
            late=Count("pk", filter=_LATE),
            due=Count("pk", filter=Q(period_start__in=overdue_starts)),
        )
    }


def _counted_per_period(counted: QuerySet) -> dict[dt.date, tuple]:
    """Period start → (counted, on time, late)."""
    return {
        start: (n, ok, n_late)
        for start, n, ok, n_late in counted.values_list("period_start").annotate(
            n=Count("pk"), ok=Count("pk", filter=_ON_TIME), late=Count("pk", filter=_LATE)
        )
    }


def _completeness_rows(unit: Unit, units: list[_UnitRow], expected: _Expected, per_unit: dict):
    """The total, one row per child of ``unit`` (sorted by name) and the units late or missing a
    report already due (worst first)."""
    total = Rate()
    rows: dict[int, RowRate] = {}
    late_units = []
    table = _ChildRows(unit)
    for row in units:
        n, ok, n_late, n_due = per_unit.get(row.pk, (0, 0, 0, 0))
        # Owed: every period already due, plus the reports sent early for a period not yet due.
        rate = Rate(expected.overdue[row.pk] + (n - n_due), n, ok, n_late)
        total.add(rate)
        key = table.of_path(row.path)
        rows.setdefault(key, RowRate(key, *table.label(key), Rate())).rate.add(rate)
        missing_due = expected.overdue[row.pk] - n_due
        if missing_due > 0 or rate.late > 0:
            late_units.append(LateUnit(row.pk, row.code, row.name, missing_due, rate.late))
    late_units.sort(key=lambda u: (-u.overdue_missing, -u.late, u.name))
    return total, sorted(rows.values(), key=lambda r: r.name), late_units


# -- roll-up --------------------------------------------------------------------------------------


@dataclass
class Cell:
    value: decimal.Decimal | None = None
    reports: int = 0


@dataclass
class PivotRow:
    unit_id: int
    code: str
    name: str
    bucket: dt.date | None = None
    cells: dict[int, Cell] = field(default_factory=dict)
    drill: bool = False
    merged: list[str] = field(default_factory=list)  # units merged away whose figures this row holds


@dataclass
class Pivot:
    form: ReportForm
    unit: Unit
    periods: list[periods.Period]
    indicators: list[Indicator]
    rows: list[PivotRow]
    total: PivotRow
    split: bool


class _PivotRows:
    """Which pivot row holds a unit's figures: the root's child it lies under, after following
    mergers (``units.lineage``): a predecessor's figures go to its successor's row, whether the
    predecessor lies inside the subtree (a commune merged into a sibling, an old district whose
    communes were merged) or outside it (an old province's commune), so the chain is grouped
    with its successor and counted once."""

    def __init__(self, root: Unit):
        self.child_rows = _ChildRows(root)
        self.lineage = lineage_around(root)
        self.moved = self.lineage.moved()  # unit id → the unit holding its history
        self.contributors: dict[int, set[int]] = defaultdict(set)  # row → moved units with figures in it

    def of_key(self, segment: str) -> int:
        """The row of the (not moved) units grouped in SQL under the root's child ``segment``."""
        return self._child_home(self.child_rows.of_segment(segment))

    def of_unit(self, unit_id: int, path: str) -> int:
        home = self.moved.get(unit_id)
        row = self._child_home(self.child_rows.of_path(self.lineage.paths[home] if home else path))
        if home:
            self.contributors[row].add(unit_id)
        return row

    def _child_home(self, key: int) -> int:
        """A child of the root that was merged away hands its row to its successor's."""
        for _step in range(MAX_CHAIN):
            home = self.moved.get(key)
            following = self.child_rows.of_path(self.lineage.paths[home]) if home else key
            if following == key:
                break
            self.contributors[following].add(key)
            key = following
        return key

    def merged_names(self, row: int) -> list[str]:
        return sorted(self.lineage.names.get(u) or self.child_rows.label(u)[1] for u in self.contributors.get(row, ()))


def _split_range(form: ReportForm, first: dt.date, last: dt.date):
    """(first full bucket, last full bucket, raw edge ranges) for period starts in [first, last]."""
    if form.periodicity != periods.DAILY:
        return first, last, []
    start_bucket = first if first.day == 1 else bucket_end(form, first.replace(day=1)) + dt.timedelta(days=1)
    end_bucket = last.replace(day=1)
    if bucket_end(form, end_bucket) > last:  # the last month is partial
        end_bucket = (end_bucket - dt.timedelta(days=1)).replace(day=1)
    if start_bucket > end_bucket:
        return None, None, [(first, last)]
    edges = []
    if first < start_bucket:
        edges.append((first, start_bucket - dt.timedelta(days=1)))
    after = bucket_end(form, end_bucket) + dt.timedelta(days=1)
    if after <= last:
        edges.append((after, last))
    return start_bucket, end_bucket, edges


def rollup(
    *,
    actor: Any,
    unit: Unit,
    form: ReportForm,
    period_list: list[periods.Period],
    split: bool = False,
    indicator_codes: list[str] | None = None,
    use_cells: bool = True,
) -> Pivot:
    """Units × indicators (× buckets when ``split``) for the subtree of ``unit`` over the periods.

    Flows are summed; stocks take each unit's last reported value in the range, then add units up.
    Across a merger a predecessor's figures sit in its successor's row, and its last stock value
    counts only until a unit that took it over reports a later one (issue 14), so a stock over a
    range spanning the merger is the successor's, not the sum of both.
    ``use_cells=False`` reads every value instead of the roll-up cells: the naive baseline the
    benchmark compares against, and a cross-check in the tests.
    """
    require_view(actor, unit)
    indicators = _pivot_indicators(form, indicator_codes)
    first, last = period_list[0].start, period_list[-1].start
    reader = _RollupReader(unit, indicators, split)
    start_bucket, end_bucket, edges = _split_range(form, first, last) if use_cells else (None, None, [(first, last)])
    if start_bucket is not None:
        reader.read_cells(start_bucket, end_bucket)
    for low, high in edges:
        reader.read_values(form, low, high)
    rows = reader.rows
    return _assemble(
        unit, form, period_list, indicators, split, rows, reader.flows, _current_stocks(reader.latest, rows.lineage)
    )


class _RollupReader:
    """Reads the figures of ``unit``'s subtree (and of the units merged into it) into pivot rows:
    flows summed per (row, indicator, bucket), stocks as each unit's latest value per bucket.
    The bucket is None unless the pivot is ``split`` by bucket."""

    def __init__(self, unit: Unit, indicators: list[Indicator], split: bool):
        self.unit, self.split = unit, split
        self.indicator_ids = [i.pk for i in indicators]
        self.stocks = {i.pk for i in indicators if i.aggregation == Aggregation.STOCK}
        self.rows = _PivotRows(unit)
        self.moved_inside = [u for u in self.rows.moved if self.rows.lineage.inside(u)]
        # Flows are summed per child row in SQL: a national month is 34 × 25 rows to Python, not 83,000.
        self.flows: dict[tuple, list] = defaultdict(lambda: [decimal.Decimal(0), 0])  # (row, indicator, bucket)
        self.latest: dict[tuple, tuple] = {}  # (unit, indicator, bucket) → (period, value, row)

    def read_cells(self, start_bucket: dt.date, end_bucket: dt.date) -> None:
        """Whole buckets, from the roll-up cells."""
        cells = RollupCell.objects.filter(
            indicator_id__in=self.indicator_ids, bucket__gte=start_bucket, bucket__lte=end_bucket
        ).order_by()
        for row in self._grouped(cells, "unit_id", "unit__path", F("bucket"), "total", Sum("reports")):
            self._add_flow(*row)
        if self.stocks:
            in_scope = path_q("unit__path", self.unit.path) | Q(unit_id__in=list(self.rows.moved))
            for unit_id, path, indicator_id, bucket, last_value, last_period in cells.filter(
                in_scope, indicator_id__in=self.stocks, last_period__isnull=False
            ).values_list("unit_id", "unit__path", "indicator_id", "bucket", "last_value", "last_period"):
                self._add_stock(unit_id, path, indicator_id, bucket, last_period, last_value)

    def read_values(self, form: ReportForm, low: dt.date, high: dt.date) -> None:
        """Reports whose period starts in [low, high], from their values (the partial buckets at the
        edges of a daily range, or everything when the cells are not used)."""
        values = Value.objects.filter(
            submission__form=form,
            submission__status__in=COUNTED,
            submission__period_start__gte=low,
            submission__period_start__lte=high,
            indicator_id__in=self.indicator_ids,
            number__isnull=False,
        ).order_by()
        bucket_expr = bucket_expression(form, "submission__period_start")
        for row in self._grouped(
            values, "submission__unit_id", "submission__unit__path", bucket_expr, "number", Count("pk")
        ):
            self._add_flow(*row)
        if self.stocks:
            scope = path_q("submission__unit__path", self.unit.path) | Q(submission__unit_id__in=list(self.rows.moved))
            for unit_id, path, indicator_id, start, number in values.filter(
                scope, indicator_id__in=self.stocks
            ).values_list(
                "submission__unit_id", "submission__unit__path", "indicator_id", "submission__period_start", "number"
            ):
                self._add_stock(unit_id, path, indicator_id, bucket_of(form, start), start, number)

    def _add_flow(self, row, indicator_id, bucket, total, reports) -> None:
        cell = self.flows[(row, indicator_id, bucket if self.split else None)]
        cell[0] += total
        cell[1] += reports

    def _add_stock(self, unit_id, path, indicator_id, bucket, period, value) -> None:
        key = (unit_id, indicator_id, bucket if self.split else None)
        if key not in self.latest or self.latest[key][0] < period:
            self.latest[key] = (period, value, self.rows.of_unit(unit_id, path))

    def _grouped(self, queryset, unit_field, path_field, bucket_expr, value_field, count_expr):
        """(row, indicator, bucket, sum, count) for the subtree by child row, then for the units
        whose figures belong to another row (merged away) one by one."""
        split, rows, root_path = self.split, self.rows, self.unit.path
        extra = ["b"] if split else []
        if split:
            queryset = queryset.annotate(b=bucket_expr)
        inside = (
            queryset.filter(path_q(path_field, root_path))
            .exclude(**{f"{unit_field}__in": self.moved_inside})
            .annotate(k=_child_key(path_field, root_path))
            .values_list("k", "indicator_id", *extra)
            .annotate(t=Sum(value_field), n=count_expr)
        )
        for key, indicator_id, *rest in inside:
            yield rows.of_key(key), indicator_id, _as_date(rest[0]) if split else None, rest[-2], rest[-1]
        if rows.moved:
            beyond = (
                queryset.filter(**{f"{unit_field}__in": list(rows.moved)})
                .values_list(unit_field, path_field, "indicator_id", *extra)
                .annotate(t=Sum(value_field), n=count_expr)
            )
            for unit_id, path, indicator_id, *rest in beyond:
                yield rows.of_unit(unit_id, path), indicator_id, _as_date(rest[0]) if split else None, *rest[-2:]


def _pivot_indicators(form: ReportForm, codes: list[str] | None) -> list[Indicator]:
    indicators = [i for i in form.indicators.order_by("pk") if i.is_numeric]
    if codes:
        wanted = set(codes)
        unknown = sorted(wanted - {i.code for i in indicators})
        if unknown:
            raise DomainError(_("Không có chỉ tiêu số: {c}.").format(c=", ".join(unknown)))
        indicators = [i for i in indicators if i.code in wanted]
    return indicators


def _current_stocks(latest: dict[tuple, tuple], lineage) -> dict[tuple, tuple]:
    """Drops a unit's last stock value when a unit that took it over (a successor, down the chain)
    reported a later one in the same bucket: the members of a merged commune's teams are counted
    again in its successor's report, so adding both would count them twice."""
    periods_of = {key: period for key, (period, _value, _row) in latest.items()}
    current = {}
    for (unit_id, indicator_id, bucket), entry in latest.items():
        superseded = any(
            periods_of.get((heir, indicator_id, bucket), dt.date.min) > entry[0] for heir in lineage.later(unit_id)
        )
        if not superseded:
            current[(unit_id, indicator_id, bucket)] = entry
    return current


def _assemble(unit, form, period_list, indicators, split, rows: _PivotRows, flows, stocks_now) -> Pivot:
    stock_ids = {i.pk for i in indicators if i.aggregation == Aggregation.STOCK}
    children = rows.child_rows.children
    table: dict[tuple, PivotRow] = {}

    def row_for(key: int, bucket) -> PivotRow:
        if (key, bucket) not in table:
            table[(key, bucket)] = PivotRow(key, *rows.child_rows.label(key), bucket, drill=key in children)
        return table[(key, bucket)]

    for (row, indicator_id, bucket), (total, reports) in flows.items():
        cell = row_for(row, bucket).cells.setdefault(indicator_id, Cell(decimal.Decimal(0)))
        cell.reports += reports
        if indicator_id not in stock_ids:
            cell.value += total
    for (_unit_id, indicator_id, bucket), (_period, value, row) in stocks_now.items():
        row_for(row, bucket).cells.setdefault(indicator_id, Cell(decimal.Decimal(0))).value += value
    if not split:  # every child that existed during the range gets a row (its successor's if merged)
        for key, (_code, _name, valid_from, valid_to) in children.items():
            started = valid_from is None or valid_from <= period_list[-1].end
            if started and (valid_to is None or valid_to >= period_list[0].start):
                row_for(rows.of_key(str(key)), None)
    for (key, _bucket), pivot_row in table.items():
        pivot_row.merged = rows.merged_names(key)
    ordered = sorted(table.values(), key=lambda r: (r.bucket or dt.date.min, r.name))
    total_row = PivotRow(unit.pk, unit.code, _("Tổng cộng"))
    for pivot_row in ordered:
        for indicator_id, cell in pivot_row.cells.items():
            summed = total_row.cells.setdefault(indicator_id, Cell(decimal.Decimal(0)))
            summed.value += cell.value
            summed.reports += cell.reports
    return Pivot(form, unit, period_list, indicators, ordered, total_row, split)


def _child_key(path_field: str, root_path: str):
    """SQL for the id (as text) of the root's child that a row's unit lies under: the path segment
    after the root's path; empty for the root itself."""
    start = len(root_path) + 1
    rest = Substr(path_field, start)
    return Substr(path_field, start, Greatest(StrIndex(rest, Literal("/")) - 1, Literal(0)))


def _as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def issued_get(*, actor: Any, pk: int):
    from cax.reports.models import IssuedReport

    require_view(actor)
    issued = IssuedReport.objects.visible_to(actor, "view").select_related(
        "unit", "unit__unit_type", "unit__parent", "form", "issued_by"
    )
    found = issued.filter(pk=pk).first()
    if found is None:
        raise NotVisible(_("Không tìm thấy báo cáo tổng hợp."))
    return found


def latest_due_completeness(*, actor: Any, unit: Unit, now=None) -> list[tuple[ReportForm, CompletenessReport]]:
    """For each active form, completeness of the most recent period already past its due time."""
    now = now or timezone.now()
    result = []
    for form in form_list():
        versions = versions_of(form)
        period = form.period_of(timezone.localdate(now))
        for _attempt in range(3):
            version = _version_at(versions, period.start)
            if version is not None and schedule(version, period)[0] <= now:
                break
            period = periods.preceding(period, form.calendar)
        else:
            continue
        if version is None:
            continue
        report = completeness(actor=actor, unit=unit, form=form, period_list=[period], now=now, versions=versions)
        result.append((form, report))
    return result


def monthly_completeness(
    *, actor: Any, unit: Unit, first: dt.date, last: dt.date, now=None
) -> list[tuple[dt.date, Rate]]:
    """Completeness of every active form together, per month from ``first``'s month to ``last``'s:
    each period counts in the month it ends in, and a period not yet due owes nothing missing
    (``completeness``). A fixed 8 queries per form, whatever the number of units or periods."""
    require_view(actor, unit)
    now = now or timezone.now()
    months: dict[dt.date, Rate] = {}
    month = first.replace(day=1)
    while month <= last:
        months[month] = Rate()
        month = (month + dt.timedelta(days=32)).replace(day=1)
    for form in form_list():
        versions = versions_of(form)
        # Periods that end after ``last`` belong to a later month.
        period_list = [
            p
            for p in periods.periods_between(form.period_of(first.replace(day=1)), form.period_of(last), form.calendar)
            if p.end <= last
        ]
        if not period_list:
            continue
        report = completeness(actor=None, unit=unit, form=form, period_list=period_list, now=now, versions=versions)
        for period, rate in report.series:
            bucket = months.get(period.end.replace(day=1))
            if bucket is not None:
                bucket.add(rate)
    return list(months.items())


def dashboard_figures(*, actor: Any, unit: Unit, ends: list[dt.date], now: dt.datetime):
    """The leaders' dashboard's report figures (core.dashboard): the completeness trend per month,
    the completeness of the latest period already due of each form per child unit, and the communes
    that have not sent one of those."""
    from cax.core.dashboard import Column, Figures

    if actor is not None and not actor.has_perm(VIEW_REPORTS):
        return None
    require_view(actor, unit)
    rates = monthly_completeness(actor=actor, unit=unit, first=ends[0], last=ends[-1], now=now)
    trend = [rate.percent if rate.expected else None for _month, rate in rates]
    by_child: dict[int, Rate] = defaultdict(Rate)
    total = Rate()
    missing: set[int] = set()
    for _form, report in latest_due_completeness(actor=actor, unit=unit, now=now):
        total.add(report.total)
        for row in report.rows:
            by_child[row.unit_id].add(row.rate)
        missing |= {late.unit_id for late in report.late_units if late.overdue_missing}
    column = Column(
        _("Báo cáo đầy đủ"),
        "pct",
        {pk: rate.percent if rate.expected else None for pk, rate in by_child.items()},
        total.percent if total.expected else None,
        _(
            "Báo cáo đầy đủ: báo cáo đã gửi trên số phải gửi của kỳ gần nhất đã đến hạn của mỗi loại báo cáo; "
            "kỳ chưa đến hạn không tính là thiếu."
        ),
    )
    return Figures(
        trends=[(_("Tỷ lệ báo cáo đầy đủ"), "pct", trend)], columns=[column], flags={"not_reported": missing}
    )
