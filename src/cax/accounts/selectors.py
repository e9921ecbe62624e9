from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cax.accounts.models import ApiToken, SecurityEvent, User
from cax.core.exceptions import NotVisible
from cax.core.text import matching_words


def user_list(*, actor: Any, q: str = "", role: str = "", is_active: bool | None = None) -> QuerySet[User]:
    queryset = User.objects.visible_to(actor).select_related("unit")
    queryset = matching_words(queryset, q)
    if role:
        queryset = queryset.filter(role=role)
    if is_active is not None:
        queryset = queryset.filter(is_active=is_active)
    return queryset.order_by("username")


def user_get(*, actor: Any, pk: int, action: str = "view") -> User:
    user = User.objects.visible_to(actor, action).select_related("unit").filter(pk=pk).first()
    if user is None:
        raise NotVisible(_("Không tìm thấy người dùng."))
    return user


def token_list_for(*, user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens (the profile page)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_get_own(*, user: Any, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=pk).select_related("user__unit").first()
    if token is None:
        raise NotVisible(_("Không tìm thấy mã truy cập."))
    return token


def security_event_list(
    *,
    actor: Any,
    q: str = "",
    kind: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SecurityEvent]:
    """The security log as the actor may read it (scoped by the users' units), newest first."""
    queryset = SecurityEvent.objects.visible_to(actor)
    queryset = matching_words(queryset, q)
    if kind:
        queryset = queryset.filter(kind=kind)
    if username:
        queryset = queryset.filter(username=username.strip().lower())
    if date_from:
        queryset = queryset.filter(time__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(time__date__lte=date_to)
    return queryset.order_by("-time", "-id")
