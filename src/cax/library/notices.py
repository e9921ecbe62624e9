"""What the library tells people through notices (issue 19.4, docs/notices.md): a document that
asks to be read and acknowledged, to each user it applies to, in the transaction that publishes it
(or widens its audience). Classified documents are stubs with nothing to read: no notice."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from cax.core import notices
from cax.library.selectors import audience_users_q

ACKNOWLEDGE = "library.acknowledge"

KINDS = (
    notices.NoticeKind(
        ACKNOWLEDGE,
        gettext_lazy("Tài liệu cần xác nhận đã đọc"),
        gettext_lazy("Một tài liệu nghiệp vụ áp dụng cho đơn vị, cần xác nhận đã đọc."),
        audience=gettext_lazy("Cán bộ thuộc phạm vi áp dụng của tài liệu"),
        order=90,
    ),
)


def register() -> None:
    for kind in KINDS:
        notices.register_kind(kind)


def acknowledgement_requested(document, *, actor) -> int:
    users = get_user_model().objects.filter(is_active=True, unit__isnull=False).filter(audience_users_q(document))
    already = document.acknowledgements.values("user_id")
    return notices.publish(
        ACKNOWLEDGE,
        notices.Audience(users=tuple(users.exclude(pk__in=already).select_related("unit"))),
        title=gettext_noop("Tài liệu “{title}” cần xác nhận đã đọc"),
        params={"title": document.title[:200]},
        url=reverse("library:document_detail", args=[document.pk]),
        unit=document.unit,
        obj=document,
        exclude=(actor,) if actor is not None else (),
    )
