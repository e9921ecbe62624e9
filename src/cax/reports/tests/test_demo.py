import datetime as dt

from cax.reports import selectors
from cax.reports.demo import generate
from cax.reports.models import Submission
from cax.reports.tests.factories import DAILY, form


def test_demo_reports_fill_the_dashboards_consistently(cast):
    today = dt.date(2026, 11, 23)
    made = generate(unit_code="51", today=today)
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
