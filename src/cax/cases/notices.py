"""Crime reports near or past their legal deadline, as notices (issue 19.4, docs/notices.md).

The daily run reads the register's own clock (``selectors.clock_q``: the figures of the home page
and the list's filters) and tells those who work the commune's register: one notice per report and
deadline day for "near" (within CAX_NOTICE_LEAD_DAYS), one for "past". A notice names the entry by
its register number, never the reporter."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from cax.accounts.roles import CHANGE_CASES
from cax.core import notices
from cax.core.text import vn_date

NEAR, PAST = "cases.deadline_near", "cases.deadline_past"

KINDS = (
    notices.NoticeKind(
        NEAR,
        gettext_lazy("Tin báo sắp đến hạn giải quyết"),
        gettext_lazy("Một tin báo, tố giác tội phạm sắp hết thời hạn giải quyết theo luật."),
        audience=gettext_lazy("Cán bộ thụ lý sổ tin báo của đơn vị"),
        order=40,
    ),
    notices.NoticeKind(
        PAST,
        gettext_lazy("Tin báo quá hạn giải quyết"),
        gettext_lazy("Thời hạn giải quyết một tin báo, tố giác tội phạm đã qua."),
        audience=gettext_lazy("Cán bộ thụ lý sổ tin báo của đơn vị"),
        order=41,
    ),
)


def register() -> None:
    for kind in KINDS:
        notices.register_kind(kind)
    notices.add_deadlines("cax.cases.notices.deadlines")


def deadlines(*, today: dt.date, now: dt.datetime | None = None) -> int:
    from cax.cases.models import Case
    from cax.cases.selectors import clock_q, with_clock_state

    now = now or timezone.now()
    near = with_clock_state(Case.objects.all(), now, now).filter(
        clock_q("overdue", now) | clock_q("due_soon", now, settings.CAX_NOTICE_LEAD_DAYS)
    )
    published = 0
    for case in near.select_related("unit").order_by("pk").iterator(chunk_size=500):
        past = case.due_at < now
        published += notices.publish(
            PAST if past else NEAR,
            notices.Audience(units=(case.unit,), perm=CHANGE_CASES),
            title=gettext_noop("Tin báo số {n}/{year}: quá hạn giải quyết từ {due}")
            if past
            else gettext_noop("Tin báo số {n}/{year}: hạn giải quyết {due}"),
            params={"n": case.serial, "year": case.year, "due": vn_date(timezone.localdate(case.due_at))},
            url=reverse("cases:detail", args=[case.pk]),
            unit=case.unit,
            obj=case,
            due_on=timezone.localdate(case.due_at),
        )
    return published
