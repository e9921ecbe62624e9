"""A posting plan ready for approval, as a notice (issue 19.4, docs/notices.md): when a run ends
with a plan (optimal or feasible), whoever may approve it (the planners of the plan's unit and of the
units above it) is told at once."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from cax.accounts.roles import CHANGE_PLANS
from cax.core import notices

READY = "deployment.plan_ready"

KIND = notices.NoticeKind(
    READY,
    gettext_lazy("Phương án bố trí chờ phê duyệt"),
    gettext_lazy("Một phương án bố trí cán bộ đã tính xong, chờ người có thẩm quyền xem xét, phê duyệt."),
    audience=gettext_lazy("Người có quyền phê duyệt phương án của đơn vị"),
    order=30,
)


def register() -> None:
    notices.register_kind(KIND)


def ready(scenario) -> int:
    return notices.publish(
        READY,
        notices.Audience(units=(scenario.unit,), perm=CHANGE_PLANS, up=True),
        title=gettext_noop("Phương án bố trí «{name}» đã tính xong, chờ phê duyệt"),
        params={"name": scenario.name},
        url=reverse("plans:detail", args=[scenario.pk]),
        unit=scenario.unit,
        obj=scenario,
    )
