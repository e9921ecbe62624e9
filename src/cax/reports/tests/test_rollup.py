"""Completeness, timeliness and roll-up over any subtree and range (#6)."""

from __future__ import annotations

import datetime as dt

from cax.reports import selectors, services
from cax.reports.models import Submission
from cax.reports.tests.factories import DAILY, MONTHLY, at, form, number, submit
from cax.units.models import Unit

DAY = dt.date(2026, 11, 10)


def _range(code, first, last):
    report_form = form(code)
    return selectors.period_range(report_form, report_form.period_of(first).key, report_form.period_of(last).key)


def test_national_rollup_equals_the_sum_of_the_communes(cast):
    submit(cast, cast.commune_a, DAY, values={"tngt_vu": "2", "vphc_tien_phat": "1,5"})
    submit(cast, cast.commune_a, DAY + dt.timedelta(days=1), values={"tngt_vu": "1"})
    submit(cast, cast.commune_b, DAY, values={"tngt_vu": "4"})
    submit(cast, cast.commune_c, DAY, values={"tngt_vu": "8"})
    period_list = _range(DAILY, DAY, DAY + dt.timedelta(days=1))
    report_form = form(DAILY)
    pivot = selectors.rollup(actor=cast.admin, unit=cast.root, form=report_form, period_list=period_list)
    tngt = report_form.indicators.get(code="tngt_vu").pk
    fines = report_form.indicators.get(code="vphc_tien_phat").pk
    assert pivot.total.cells[tngt].value == 15
    assert pivot.total.cells[tngt].reports == 4
    assert pivot.total.cells[fines].value == number("4.5")  # 1.5 + 1 + 1 + 1
    by_unit = {row.unit_id: row for row in pivot.rows}
    assert by_unit[cast.province_a.pk].cells[tngt].value == 7
    assert by_unit[cast.province_b.pk].cells[tngt].value == 8
    assert sum(row.cells[tngt].value for row in pivot.rows if tngt in row.cells) == pivot.total.cells[tngt].value
    province = selectors.rollup(
        actor=cast.province_leader, unit=cast.province_a, form=report_form, period_list=period_list
    )
    communes = {row.unit_id: row.cells.get(tngt) for row in province.rows}
    assert communes[cast.commune_a.pk].value == 3
    assert communes[cast.commune_b.pk].value == 4
    # A commune with no report has a row with no value: missing, not zero.
    other = next(row for row in province.rows if row.unit_id not in (cast.commune_a.pk, cast.commune_b.pk))
    assert tngt not in other.cells


def test_cells_and_raw_values_agree_across_whole_and_partial_months(cast):
    days = [
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 15),
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 1),
    ]
    for i, day in enumerate(days):
        submit(cast, cast.commune_a, day, values={"tngt_vu": str(i + 1)})
    report_form = form(DAILY)
    for first, last in [(days[0], days[-1]), (days[1], days[3]), (days[2], days[4]), (days[0], days[0])]:
        period_list = _range(DAILY, first, last)
        for split in (False, True):
            fast = selectors.rollup(
                actor=cast.admin, unit=cast.province_a, form=report_form, period_list=period_list, split=split
            )
            slow = selectors.rollup(
                actor=cast.admin,
                unit=cast.province_a,
                form=report_form,
                period_list=period_list,
                split=split,
                use_cells=False,
            )
            assert [(r.unit_id, r.bucket, r.cells) for r in fast.rows] == [
                (r.unit_id, r.bucket, r.cells) for r in slow.rows
            ]
            assert fast.total.cells == slow.total.cells


def test_stock_takes_the_last_value_then_adds_units(cast):
    months = [dt.date(2026, 9, 10), dt.date(2026, 10, 10), dt.date(2026, 11, 10)]
    for i, day in enumerate(months):
        submit(
            cast,
            cast.commune_a,
            day,
            form_code=MONTHLY,
            values={"thanh_vien_to": str(10 + i), "thanh_vien_tap_huan": "5", "tuan_tra_co_so": "3"},
        )
    submit(
        cast, cast.commune_b, months[0], form_code=MONTHLY, values={"thanh_vien_to": "7", "thanh_vien_tap_huan": "5"}
    )
    report_form = form(MONTHLY)
    pivot = selectors.rollup(
        actor=cast.province_staff,
        unit=cast.province_a,
        form=report_form,
        period_list=_range(MONTHLY, months[0], months[-1]),
    )
    members = report_form.indicators.get(code="thanh_vien_to").pk
    patrols = report_form.indicators.get(code="tuan_tra_co_so").pk
    assert pivot.total.cells[members].value == 12 + 7  # last of commune a + last of commune b
    assert pivot.total.cells[patrols].value == 3 * 3 + 1  # a flow adds up


def test_completeness_counts_on_time_late_and_missing(cast):
    report_form = form(DAILY)
    submit(cast, cast.commune_a, DAY, now=at(DAY, 15))
    submit(cast, cast.commune_a, DAY + dt.timedelta(days=1), now=at(DAY + dt.timedelta(days=1), 17))  # late
    submit(cast, cast.commune_b, DAY, now=at(DAY, 10))
    period_list = _range(DAILY, DAY, DAY + dt.timedelta(days=1))
    report = selectors.completeness(
        actor=cast.province_staff,
        unit=cast.province_a,
        form=report_form,
        period_list=period_list,
        now=at(DAY + dt.timedelta(days=3)),
    )
    communes = Unit.objects.current().commune_level().filter(path__startswith=cast.province_a.path).count()
    assert report.total.expected == 2 * communes
    assert (report.total.submitted, report.total.on_time, report.total.late) == (3, 2, 1)
    assert report.total.percent <= 100
    late = {u.unit_id: u for u in report.late_units}
    assert late[cast.commune_a.pk].late == 1
    assert late[cast.commune_a.pk].overdue_missing == 0
    assert late[cast.commune_b.pk].overdue_missing == 1
    assert [rate.submitted for _, rate in report.series] == [2, 1]


def test_rate_never_exceeds_100_when_a_unit_closes(cast):
    """A unit merged away still has its old reports; it is not expected after it closed, and its
    reports after closing are not counted either."""
    report_form = form(DAILY)
    submit(cast, cast.commune_b, DAY)
    submit(cast, cast.commune_b, DAY + dt.timedelta(days=1))
    Unit.objects.filter(pk=cast.commune_b.pk).update(valid_to=DAY)
    report = selectors.completeness(
        actor=cast.province_staff,
        unit=cast.commune_b,
        form=report_form,
        period_list=_range(DAILY, DAY, DAY + dt.timedelta(days=1)),
        now=at(DAY + dt.timedelta(days=3)),
    )
    assert (report.total.expected, report.total.submitted) == (1, 1)
    assert report.total.percent == 100


def test_predecessor_history_rolls_up_under_its_successor(cast):
    report_form = form(DAILY)
    submit(cast, cast.commune_c, DAY, values={"tngt_vu": "5"})  # Hà Nội commune, merged into commune_a
    Unit.objects.filter(pk=cast.commune_c.pk).update(valid_to=DAY)
    cast.commune_c.successors.add(cast.commune_a)
    pivot = selectors.rollup(
        actor=cast.province_staff, unit=cast.province_a, form=report_form, period_list=_range(DAILY, DAY, DAY)
    )
    tngt = report_form.indicators.get(code="tngt_vu").pk
    row = next(r for r in pivot.rows if r.unit_id == cast.commune_a.pk)
    assert row.cells[tngt].value == 5


def test_a_new_submission_shows_at_once(cast):
    report_form = form(DAILY)
    period_list = _range(DAILY, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    tngt = report_form.indicators.get(code="tngt_vu").pk
    before = selectors.rollup(actor=cast.admin, unit=cast.root, form=report_form, period_list=period_list)
    assert tngt not in before.total.cells
    submit(cast, cast.commune_c, DAY, values={"tngt_vu": "6"})
    after = selectors.rollup(actor=cast.admin, unit=cast.root, form=report_form, period_list=period_list)
    assert after.total.cells[tngt].value == 6
    services.submission_approve(actor=cast.admin, submission=Submission.objects.get(unit=cast.commune_c))
    again = selectors.rollup(actor=cast.admin, unit=cast.root, form=report_form, period_list=period_list)
    assert again.total.cells[tngt].value == 6
