"""The home page's lines about periodic reports (issue 17).

A commune: each report due today and not sent yet (late once its due time has passed: a daily report
due at 16:00 is waiting at 09:30, missing at 16:30), the periods of its calendar already overdue, and
the reports returned for correction. A province: per form, the communes that have not sent the latest
period already past its due time (a period still before its due time is nobody's fault yet), and
the reports waiting for its review. Each count is read from the rows of the page the line opens."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.accounts.roles import APPROVE_REPORTS, VIEW_REPORTS
from cax.core import formatting as fmt
from cax.core.todo import LATE, WARN, TodoLine, counted
from cax.reports import periods, selectors
from cax.reports.models import Status
from cax.units.kinds import COMMUNE, PROVINCE, home_level, is_department

GROUP = gettext_lazy("Báo cáo định kỳ")
CALENDAR_PERIODS = 8  # the periods a commune's reporting calendar shows (views.unit_overview)


def todo(*, actor, now: dt.datetime) -> list[TodoLine]:
    if not actor.has_perm(VIEW_REPORTS):
        return []
    unit = actor.unit
    level = home_level(unit)
    if level == COMMUNE:
        return commune_lines(actor=actor, unit=unit, now=now)
    if level == PROVINCE and not is_department(unit):  # a department has no communes reporting to it
        return province_lines(actor=actor, unit=unit, now=now)
    return []


def _unsent(row: selectors.CalendarRow) -> bool:
    return row.submission is None or row.submission.first_submitted_at is None


def commune_lines(*, actor, unit, now: dt.datetime) -> list[TodoLine]:
    today = timezone.localdate(now)
    due_today: list[TodoLine] = []
    overdue: list[TodoLine] = []
    calendar_url = reverse("reports:unit", args=[unit.pk])
    for form in selectors.forms_for_unit(unit=unit, day=today):
        rows = selectors.unit_calendar(actor=actor, unit=unit, form=form, count=CALENDAR_PERIODS, now=now)
        for row in rows:
            if row.due_at and timezone.localdate(row.due_at) == today and _unsent(row):
                due_today.append(_due_today_line(unit, form, row))
        earlier = [r for r in rows if r.overdue and timezone.localdate(r.due_at) < today]
        if earlier:
            overdue.append(
                TodoLine(
                    GROUP,
                    _("Kỳ báo cáo quá hạn chưa gửi: {form}").format(form=form.name),
                    len(earlier),
                    severity=LATE,
                    url=calendar_url,
                    detail=", ".join(r.period.label() for r in earlier),
                )
            )
    if not due_today:
        due_today.append(TodoLine(GROUP, _("Báo cáo đến hạn gửi hôm nay"), 0, url=calendar_url))
    if not overdue:
        overdue.append(TodoLine(GROUP, _("Kỳ báo cáo quá hạn chưa gửi"), 0, url=calendar_url))
    return due_today + overdue + [returned_line(actor=actor, unit=unit)]


def _due_today_line(unit, form, row: selectors.CalendarRow) -> TodoLine:
    if row.overdue:
        detail = _("hạn gửi {due} đã qua, chưa gửi").format(due=fmt.datetime(row.due_at))
    else:
        detail = _("hạn gửi {due}").format(due=fmt.datetime(row.due_at))
    if row.submission is not None:
        detail += " · " + _("đã có bản nháp")
    return TodoLine(
        GROUP,
        _("{form}, kỳ {period}").format(form=form.name, period=row.period.label()),
        severity=LATE if row.overdue else WARN,
        url=reverse("reports:entry", args=[unit.pk, form.code, row.period.key]),
        detail=detail,
    )


def returned_line(*, actor, unit) -> TodoLine:
    """Reports the upper level returned for correction: sent again, they count once more."""
    n = selectors.submission_list(actor=actor, unit=unit, status=Status.RETURNED).count()
    return TodoLine(
        GROUP,
        _("Báo cáo bị trả lại, cần sửa và gửi lại"),
        n,
        severity=counted(n, WARN),
        url=reverse("reports:submissions", args=[unit.pk]) + f"?status={Status.RETURNED}",
    )


def completeness_url(unit, form, period: periods.Period) -> str:
    key = period.start.isoformat() if form.periodicity == periods.DAILY else period.key
    return reverse("reports:completeness", args=[unit.pk]) + f"?form={form.code}&first={key}&last={key}"


def province_lines(*, actor, unit, now: dt.datetime) -> list[TodoLine]:
    lines = []
    for form, report in selectors.latest_due_completeness(actor=actor, unit=unit, now=now):
        period = report.periods[0]
        missing = sum(1 for u in report.late_units if u.overdue_missing)
        lines.append(
            TodoLine(
                GROUP,
                _("Đơn vị chưa gửi {form}, kỳ {period}").format(form=form.name, period=period.label()),
                missing,
                severity=counted(missing, LATE),
                url=completeness_url(unit, form, period),
                detail=_("{n}/{total} đơn vị đã gửi").format(
                    n=fmt.number(report.total.submitted), total=fmt.number(report.total.expected)
                ),
            )
        )
    if actor.has_perm(APPROVE_REPORTS):
        waiting = selectors.submission_list(actor=actor, unit=unit, status=Status.SUBMITTED).count()
        lines.append(
            TodoLine(
                GROUP,
                _("Báo cáo đã gửi, chờ duyệt"),
                waiting,
                severity=counted(waiting, WARN),
                url=reverse("reports:submissions", args=[unit.pk]) + f"?status={Status.SUBMITTED}",
            )
        )
    return lines or [TodoLine(GROUP, _("Đơn vị chưa gửi báo cáo"), 0, url=reverse("reports:unit", args=[unit.pk]))]
