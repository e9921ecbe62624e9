"""What periodic reports tell people through notices (issue 19.4, docs/notices.md): a report
returned for correction, at once; a report due soon or overdue, from the daily run."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from cax.accounts.roles import CHANGE_REPORTS, Role
from cax.core import notices
from cax.core.text import vn_date

RETURNED, DUE, OVERDUE = "reports.returned", "reports.due", "reports.overdue"

KINDS = (
    notices.NoticeKind(
        RETURNED,
        gettext_lazy("Báo cáo bị trả lại"),
        gettext_lazy("Cấp trên trả lại báo cáo của xã để sửa và gửi lại."),
        audience=gettext_lazy("Trưởng Công an xã và người đã gửi báo cáo"),
        order=10,
    ),
    notices.NoticeKind(
        DUE,
        gettext_lazy("Báo cáo sắp đến hạn gửi"),
        gettext_lazy("Một kỳ báo cáo của xã sắp đến hạn mà chưa gửi."),
        audience=gettext_lazy("Cán bộ lập báo cáo của xã"),
        order=11,
    ),
    notices.NoticeKind(
        OVERDUE,
        gettext_lazy("Báo cáo quá hạn chưa gửi"),
        gettext_lazy("Hạn gửi một kỳ báo cáo của xã đã qua mà chưa gửi."),
        audience=gettext_lazy("Cán bộ lập báo cáo của xã"),
        order=12,
    ),
)


def register() -> None:
    for kind in KINDS:
        notices.register_kind(kind)
    notices.add_deadlines("cax.reports.notices.deadlines")


def returned(submission, *, actor) -> int:
    """In the transaction of the return: the commune's chief(s) and whoever sent the report."""
    return notices.publish(
        RETURNED,
        notices.Audience(units=(submission.unit,), roles=(Role.COMMUNE_CHIEF,), users=(submission.submitted_by,)),
        title=gettext_noop("Báo cáo {form}, kỳ {period} bị trả lại: {note}"),
        params={
            "form": submission.form.name,
            "period": submission.period_label,
            "note": submission.return_note[:150],
        },
        url=reverse("reports:detail", args=[submission.pk]),
        unit=submission.unit,
        obj=submission,
        exclude=(actor,),
    )


def deadlines(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """Each commune's unsent periods due within CAX_NOTICE_LEAD_DAYS or already past, read through
    the commune's own chief (its calendar is what the chief's page shows): one notice per period and
    due day for those who fill the commune's reports."""
    from cax.accounts.models import User
    from cax.reports import selectors

    now = now or timezone.now()
    horizon = today + dt.timedelta(days=settings.CAX_NOTICE_LEAD_DAYS)
    chiefs = (
        User.objects.filter(is_active=True, role=Role.COMMUNE_CHIEF)
        .select_related("unit", "unit__unit_type")
        .order_by("unit_id", "pk")
    )
    published = 0
    for _unit_id, group in groupby(chiefs, key=lambda u: u.unit_id):
        chief = next(group)
        unit = chief.unit
        for form in selectors.forms_for_unit(unit=unit, day=today):
            for row in selectors.unit_calendar(actor=chief, unit=unit, form=form, count=2, now=now):
                published += _period_notice(unit, form, row, horizon=horizon, now=now)
    return published


def _period_notice(unit, form, row, *, horizon: dt.date, now: dt.datetime) -> int:
    unsent = row.submission is None or row.submission.first_submitted_at is None
    if not row.due_at or not unsent:
        return 0
    due_day = timezone.localdate(row.due_at)
    if due_day > horizon:
        return 0
    kind = OVERDUE if row.overdue else DUE
    if row.overdue:
        text = gettext_noop("Báo cáo {form}, kỳ {period}: quá hạn gửi {due}")
    else:
        text = gettext_noop("Báo cáo {form}, kỳ {period}: hạn gửi {due}")
    return notices.publish(
        kind,
        notices.Audience(units=(unit,), perm=CHANGE_REPORTS),
        title=text,
        params={"form": form.name, "period": str(row.period.label()), "due": vn_date(due_day)},
        url=reverse("reports:entry", args=[unit.pk, form.code, row.period.key]),
        unit=unit,
        obj=row.submission,
        ref=f"reports.form:{form.code}:{unit.pk}:{row.period.key}",
        due_on=due_day,
    )
