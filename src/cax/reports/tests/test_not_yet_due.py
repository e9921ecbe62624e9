"""Completeness leaves out periods not yet due (issue 17): the daily report is due at 16:00 the same
day, so at 09:30 nobody has missed today's, and at 16:30 everyone who has not sent it has."""

from __future__ import annotations

import datetime as dt

from cax.reports import selectors
from cax.reports.models import FormVersion
from cax.reports.tests.factories import DAILY, at, form, submit
from cax.units.models import Unit

DAY = dt.date(2026, 11, 10)


def _report(cast, now, last=DAY):
    report_form = form(DAILY)
    period_list = selectors.period_range(
        report_form, report_form.period_of(DAY - dt.timedelta(days=1)).key, report_form.period_of(last).key
    )
    return selectors.completeness(
        actor=cast.province_staff, unit=cast.province_a, form=report_form, period_list=period_list, now=now
    )


def test_the_daily_report_is_due_at_16(cast):
    version = FormVersion.objects.filter(form=form(DAILY)).order_by("-valid_from").first()
    assert (version.due_days, str(version.due_time)[:5]) == (0, "16:00")


def test_today_is_not_missing_at_0930_and_is_at_1630(cast):
    communes = Unit.objects.current().commune_level().in_subtree(cast.province_a).count()
    yesterday = DAY - dt.timedelta(days=1)
    submit(cast, cast.commune_a, yesterday, now=at(yesterday, 15))
    submit(cast, cast.commune_b, DAY, now=at(DAY, 9))  # sent early, before 09:30

    morning = _report(cast, at(DAY, 9, 30))
    # Yesterday is owed by every commune; today only counts the one report already sent.
    assert (morning.total.expected, morning.total.submitted) == (communes + 1, 2)
    assert morning.total.missing == communes - 1
    today = morning.series[-1][1]
    assert (today.expected, today.submitted, today.missing) == (1, 1, 0)
    late = {u.unit_id: u.overdue_missing for u in morning.late_units}
    assert late.get(cast.commune_a.pk, 0) == 0  # sent yesterday, today not due yet
    assert late[cast.commune_b.pk] == 1  # missed yesterday only

    evening = _report(cast, at(DAY, 16, 30))
    assert (evening.total.expected, evening.total.submitted) == (2 * communes, 2)
    assert evening.series[-1][1].missing == communes - 1
    late = {u.unit_id: u.overdue_missing for u in evening.late_units}
    assert late[cast.commune_a.pk] == 1  # today's is now missing
    assert late[cast.commune_b.pk] == 1


def test_a_rate_of_a_period_not_yet_due_never_exceeds_100(cast):
    submit(cast, cast.commune_a, DAY, now=at(DAY, 8))
    report = _report(cast, at(DAY, 9, 30))
    assert all(rate.percent <= 100 for _, rate in report.series)
    assert report.total.percent <= 100
