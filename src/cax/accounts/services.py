"""Writes for users, tokens and sign-in lockout."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.accounts import policy
from cax.accounts.models import ApiToken, LoginFailure, User, hash_token
from cax.accounts.roles import Role
from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors
from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog
from cax.core.text import search_key
from cax.units.models import Unit

TOKEN_PREFIX = "cax_"


def _check_manages(actor: Any, unit: Unit) -> None:
    """Only user managers, and only for units inside their own subtree."""
    policy.require_manager(actor, unit)


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), fields={"password": exc.messages}) from exc


def _clean(user: User) -> None:
    user.search_key = search_key(f"{user.username} {user.full_name} {user.email}")
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise DomainError("; ".join(exc.messages), fields=exc.message_dict) from exc


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    role: str,
    unit: Unit,
    full_name: str = "",
    email: str = "",
    password: str | None = None,
) -> User:
    """Create an account; with no password it cannot sign in until one is set."""
    _check_manages(actor, unit)
    if role not in Role.values:
        raise DomainError(_("Vai trò không hợp lệ: {r}").format(r=role))
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip(), role=role, unit=unit)
    _clean(user)
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with constraint_errors(User):
        user.save()
    record_change(actor=actor, obj=user, action=ChangeLog.Action.CREATE)
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, **changes: Any) -> User:
    allowed = {"full_name", "email", "role", "unit", "is_active"}
    if set(changes) - allowed:
        raise DomainError(_("Không sửa được trường: {f}").format(f=", ".join(sorted(set(changes) - allowed))))
    _check_manages(actor, user.unit)
    if "unit" in changes:
        _check_manages(actor, changes["unit"])
    if actor is not None and actor.pk == user.pk and changes.get("is_active") is False:
        raise DomainError(_("Bạn không thể tự khoá tài khoản của mình."))
    if actor is not None and actor.pk == user.pk and changes.get("role", user.role) != user.role:
        raise DomainError(_("Bạn không thể tự đổi vai trò của mình."), fields={"role": [_("Không được tự đổi")]})
    before = snapshot(user)
    for field, value in changes.items():
        setattr(user, field, value)
    _clean(user)
    with constraint_errors(User):
        user.save()
    record_change(actor=actor, obj=user, action=ChangeLog.Action.UPDATE, before=before)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """Users change their own password; managers reset others' within their scope."""
    if actor is not None and actor.pk != user.pk:
        _check_manages(actor, user.unit)
    _validate_password(password, user)
    before = snapshot(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_change(actor=actor, obj=user, action=ChangeLog.Action.UPDATE, before=before, message=_("Đặt lại mật khẩu"))
    LoginFailure.objects.filter(username=user.username.lower()).delete()
    return user


# -- API tokens --------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor: Any, user: User, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new personal token; the raw value is returned once and never stored."""
    if actor is not None and actor.pk != user.pk:
        _check_manages(actor, user.unit)
    if not name.strip():
        raise DomainError(_("Hãy đặt tên gợi nhớ cho mã truy cập."), fields={"name": [_("Bắt buộc")]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw[:12], token_hash=hash_token(raw), expires_at=expires_at
    )
    record_change(actor=actor, obj=token, action=ChangeLog.Action.CREATE)
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        _check_manages(actor, token.user.unit)
    if token.revoked_at is None:
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(
            actor=actor, obj=token, action=ChangeLog.Action.UPDATE, before=before, message=_("Thu hồi mã truy cập")
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user owning an active token, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user__unit")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute: a write per API call would dominate read-heavy clients.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# -- sign-in lockout ---------------------------------------------------------------------------


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.CAX_LOCKOUT_WINDOW_MINUTES)


def login_is_locked(*, username: str, address: str | None) -> bool:
    """Locked when either the account or the client address failed too often in the window."""
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username=username.strip().lower()).count() >= settings.CAX_LOCKOUT_MAX_FAILURES_PER_USER:
        return True
    return bool(address) and (recent.filter(address=address).count() >= settings.CAX_LOCKOUT_MAX_FAILURES_PER_ADDRESS)


def login_record_failure(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.strip().lower()[:150], address=address or None)


def login_record_success(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.strip().lower()).delete()
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
