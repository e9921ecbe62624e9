"""The home page's lines about periodic reports (issue 17): due today, not yet due, missing,
returned; each line's link lists exactly what it counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cax.core.todo import LATE, OK, WARN
from cax.reports import services, todo
from cax.reports.tests.factories import DAILY, at, form, submit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 23)  # a Monday in the past, so the pages (read at the real now) agree


def _lines(actor, now):
    return todo.todo(actor=actor, now=now)


def _due_today(lines, day=DAY):
    key = form(DAILY).period_of(day).key
    return [line for line in lines if line.url.endswith(f"/{DAILY}/{key}/")]


def test_a_daily_report_due_at_16_is_waiting_at_09_30_and_late_at_16_30(cast):
    morning = _due_today(_lines(cast.commune_officer, at(DAY, 9, 30)))
    assert [line.severity for line in morning] == [WARN]
    assert "16:00" in morning[0].detail
    evening = _due_today(_lines(cast.commune_officer, at(DAY, 16, 30)))
    assert [line.severity for line in evening] == [LATE]


def test_a_report_due_today_shows_and_a_submitted_one_does_not(cast):
    assert len(_due_today(_lines(cast.commune_chief, at(DAY, 10)))) == 1
    submit(cast, cast.commune_a, DAY, now=at(DAY, 11))
    lines = _lines(cast.commune_chief, at(DAY, 11, 30))
    assert _due_today(lines) == []
    # Monday: last week's report was due at 11:00 and is not sent, so it stays, late.
    (weekly,) = [
        x
        for x in lines
        if x.url.endswith(f"/bc-antt-tuan/{form('bc-antt-tuan').period_of(DAY - dt.timedelta(days=1)).key}/")
    ]
    assert weekly.severity == LATE


def test_the_province_counts_missing_communes_only_once_the_period_is_due(cast, login):
    def daily_line(now):
        (line,) = [x for x in _lines(cast.province_leader, now) if f"form={DAILY}" in x.url]
        return line

    yesterday = DAY - dt.timedelta(days=1)
    submit(cast, cast.commune_a, yesterday, now=at(yesterday, 15))
    morning = daily_line(at(DAY, 9, 30))
    # At 09:30 today's report is not due: the line is about yesterday, which Đăk Hà sent.
    assert f"first={yesterday.isoformat()}" in morning.url
    evening = daily_line(at(DAY, 16, 30))
    assert f"first={DAY.isoformat()}" in evening.url
    assert (evening.count, evening.severity) == (morning.count + 1, LATE)
    # The completeness page the line opens lists exactly the communes it counts.
    report = login(cast.province_leader).get(evening.url).context["report"]
    missing = [u for u in report.late_units if u.overdue_missing]
    assert len(missing) == evening.count
    assert cast.commune_a.pk in {u.unit_id for u in missing}
    report = login(cast.province_leader).get(morning.url).context["report"]
    assert cast.commune_a.pk not in {u.unit_id for u in report.late_units if u.overdue_missing}


def test_a_returned_report_shows_for_the_commune_and_its_link_lists_it(cast, login):
    submission = submit(cast, cast.commune_a, DAY, now=at(DAY, 15))
    services.submission_return(actor=cast.province_leader, submission=submission, note="Sửa số vụ", now=at(DAY, 17))
    (line,) = [x for x in _lines(cast.commune_officer, at(DAY, 18)) if "status=returned" in x.url]
    assert (line.count, line.severity) == (1, WARN)
    page = login(cast.commune_officer).get(line.url).context["page"]
    assert [s.pk for s in page] == [submission.pk]
    (other,) = [x for x in _lines(cast.commune_c_officer, at(DAY, 18)) if "status=returned" in x.url]
    assert (other.count, other.severity) == (0, OK)


def test_overdue_periods_count_the_rows_the_calendar_marks(cast, login):
    now = at(DAY, 9, 30)
    lines = [x for x in _lines(cast.commune_officer, now) if x.url == reverse("reports:unit", args=[cast.commune_a.pk])]
    daily = next(x for x in lines if form(DAILY).name in str(x.label))
    # Seven days before today, none sent: the calendar's eight days less today, not yet due.
    assert (daily.count, daily.severity) == (7, LATE)
    submit(cast, cast.commune_a, DAY - dt.timedelta(days=3), now=at(DAY - dt.timedelta(days=3), 15))
    lines = [x for x in _lines(cast.commune_officer, now) if form(DAILY).name in str(x.label)]
    assert next(x for x in lines if x.count is not None).count == 6


def test_a_commune_officer_sees_no_province_lines_and_the_ministry_none_of_these(cast):
    assert not any("completeness" in x.url for x in _lines(cast.commune_officer, at(DAY, 16, 30)))
    assert _lines(cast.ministry_leader, at(DAY, 16, 30)) == []


def test_a_department_gets_no_report_lines(cast):
    from cax.core.testing.cast import make_user
    from cax.core.testing.units import make_department

    staff = make_user("pc06", "department_staff", make_department(cast.province_a, "51-PC06", "Phòng PC06"))
    assert staff.has_perm("reports.view_submission")
    assert _lines(staff, at(DAY, 16, 30)) == []


def test_the_overdue_line_counts_the_rows_its_calendar_page_marks_overdue(cast, login):
    from django.utils import timezone

    now = timezone.now()
    today = timezone.localdate(now)
    submit(cast, cast.commune_a, today - dt.timedelta(days=2), now=at(today - dt.timedelta(days=2), 15))
    lines = [x for x in _lines(cast.commune_officer, now) if x.count and "quá hạn chưa gửi" in str(x.label)]
    calendars = login(cast.commune_officer).get(lines[0].url).context["calendars"]
    marked = {
        f.name: sum(1 for r in rows if r.overdue and timezone.localdate(r.due_at) < today) for f, rows in calendars
    }
    assert {str(x.label).split(": ", 1)[1]: x.count for x in lines} == {k: v for k, v in marked.items() if v}
