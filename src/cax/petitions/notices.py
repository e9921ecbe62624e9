"""What requests tell people through notices (issue 19.4, docs/notices.md), in the transaction of
the assignment or the answer: the assigned department's staff, then the commune that raised it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from cax.accounts.roles import ANSWER_PETITIONS
from cax.core import notices
from cax.core.text import vn_date

ASSIGNED, ANSWERED = "petitions.assigned", "petitions.answered"

KINDS = (
    notices.NoticeKind(
        ASSIGNED,
        gettext_lazy("Kiến nghị được giao trả lời"),
        gettext_lazy("Một kiến nghị của Công an xã được giao cho phòng nghiệp vụ nghiên cứu, trả lời."),
        audience=gettext_lazy("Cán bộ của phòng được giao"),
        order=20,
    ),
    notices.NoticeKind(
        ANSWERED,
        gettext_lazy("Kiến nghị đã được trả lời"),
        gettext_lazy("Kiến nghị do xã nêu đã có câu trả lời."),
        audience=gettext_lazy("Công an xã đã nêu kiến nghị"),
        order=21,
    ),
)


def register() -> None:
    for kind in KINDS:
        notices.register_kind(kind)


def _url(petition) -> str:
    return reverse("petitions:petition_detail", args=[petition.pk])


def assigned(petition, *, actor) -> int:
    return notices.publish(
        ASSIGNED,
        notices.Audience(units=(petition.assigned_department,), perm=ANSWER_PETITIONS),
        title=gettext_noop("Kiến nghị #{n} của {unit} được giao trả lời, hạn {due}"),
        params={"n": petition.pk, "unit": petition.unit.name, "due": vn_date(petition.due_on)},
        url=_url(petition),
        unit=petition.assigned_department,
        obj=petition,
        exclude=(actor,),
    )


def answered(petition, *, actor) -> int:
    return notices.publish(
        ANSWERED,
        notices.Audience(units=(petition.unit,), perm="petitions.view_petition"),
        title=gettext_noop("Kiến nghị #{n} đã được trả lời"),
        params={"n": petition.pk},
        url=_url(petition),
        unit=petition.unit,
        obj=petition,
        exclude=(actor,),
    )
