from __future__ import annotations

from django.utils.translation import gettext_noop

from cax.core import notices


def notify(user, n: int = 1, *, kind: str = "reports.returned", text: str = "Báo cáo {n} bị trả lại") -> None:
    """``n`` notices for ``user`` through the publish point, as an app would give them."""
    for i in range(n):
        notices.publish(
            kind,
            notices.Audience(users=(user,)),
            title=gettext_noop(text),
            params={"n": i + 1},
            url="/reports/",
            unit=user.unit,
        )
