"""The bell in the top bar: the count of the user's unread notices, read once, when a page draws it.

The base template knows no app: it draws ``notice_bell`` (a link and a count) when a context
processor gives one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse


@dataclass
class Bell:
    user: object

    @property
    def url(self) -> str:
        return reverse("notices:list")

    @cached_property
    def count(self) -> int:
        from cax.notices.selectors import unread_count

        return unread_count(actor=self.user)


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Read when drawn: an API answer or a redirect that draws no page reads nothing.
    return {"notice_bell": Bell(user)}
