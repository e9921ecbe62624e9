import datetime as dt

from cax.reports import selectors
from cax.reports.demo import generate
from cax.reports.models import Submission
from cax.reports.tests.factories import DAILY, form


def test_demo_reports_fill_the_dashboards_consistently(cast):
    today = dt.date(2026, 11, 23)
    made = generate(unit_code="51", today=today, days=23)  # 01–22/11 and the day before
    assert made == Submission.objects.count() > 1000
    report_form = form(DAILY)
    period_list = selectors.period_range(report_form, "20261101", "20261122")
    report = selectors.completeness(
        actor=cast.province_staff, unit=cast.province_a, form=report_form, period_list=period_list
    )
    assert 50 < report.total.percent < 100
    assert report.late_units
    fast = selectors.rollup(actor=cast.province_staff, unit=cast.province_a, form=report_form, period_list=period_list)
    slow = selectors.rollup(
        actor=cast.province_staff, unit=cast.province_a, form=report_form, period_list=period_list, use_cells=False
    )
    assert fast.total.cells == slow.total.cells


def test_a_short_demo_keeps_a_period_of_every_kind_and_never_more_than_the_full_one():
    from cax.reports import periods
    from cax.reports.demo import HOW_MANY, how_many_for

    assert how_many_for(None) == HOW_MANY
    assert how_many_for(7) == {
        periods.DAILY: 7,
        periods.WEEKLY: 1,
        periods.MONTHLY: 1,
        periods.QUARTERLY: 1,
        periods.YEARLY: 1,
    }
    assert how_many_for(10_000) == HOW_MANY
