"""Duties of persons under local management, as notices (issue 19.4, docs/notices.md).

A notice NEVER carries a name: "1 nghĩa vụ định kỳ đến hạn" and a link to the file, whose page asks
the reason and logs the opening. It goes only to the users who read that file's names (the
publisher keeps those ``SupervisionFile.objects.visible_to`` shows it to: ``names_q``)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from cax.core import notices

DUTY_DUE = "supervision.duty_due"

KIND = notices.NoticeKind(
    DUTY_DUE,
    gettext_lazy("Nghĩa vụ định kỳ của đối tượng quản lý"),
    gettext_lazy("Một nghĩa vụ định kỳ (trình diện, báo cáo) sắp đến hạn hoặc đã quá hạn; thông báo không ghi tên."),
    audience=gettext_lazy("Cán bộ được xem hồ sơ đối tượng"),
    order=50,
)


def register() -> None:
    notices.register_kind(KIND)


def duties_due(duties, *, today: dt.date) -> int:
    """One notice per file and earliest due day among ``duties`` (rows with file_id, unit_id,
    department_id, due_on), whatever the number of runs."""
    from cax.supervision.models import SupervisionFile
    from cax.units.models import Unit

    ordered = sorted(duties, key=lambda d: (d.file_id, d.due_on))
    units = Unit.objects.in_bulk({d.unit_id for d in ordered} | {d.department_id for d in ordered if d.department_id})
    published = 0
    for file_id, group in groupby(ordered, key=lambda d: d.file_id):
        rows = list(group)
        first = rows[0]
        overdue = first.due_on < today
        if overdue:
            title = gettext_noop("{n} nghĩa vụ định kỳ đã quá hạn")
        else:
            title = gettext_noop("{n} nghĩa vụ định kỳ đến hạn")
        published += notices.publish(
            DUTY_DUE,
            notices.Audience(units=(units[first.unit_id], units.get(first.department_id))),
            title=title,
            params={"n": len(rows)},
            url=reverse("supervision:file_detail", args=[file_id]),
            unit=units[first.unit_id],
            obj=SupervisionFile(pk=file_id),
            due_on=first.due_on,
        )
    return published
