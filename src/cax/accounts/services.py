"""Writes for users, tokens and sign-in lockout."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.accounts import policy
from cax.accounts.models import ApiToken, LoginCounter, LoginFailure, SecurityEvent, User, hash_token
from cax.accounts.roles import Role
from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors
from cax.core.exceptions import DomainError, from_validation_error
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
        raise from_validation_error(user, exc) from exc


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
def user_set_password(*, actor: Any, user: User, password: str, origin: Origin | None = None) -> User:
    """Users change their own password; managers reset others' within their scope."""
    if actor is not None and actor.pk != user.pk:
        _check_manages(actor, user.unit)
    _validate_password(password, user)
    before = snapshot(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_change(actor=actor, obj=user, action=ChangeLog.Action.UPDATE, before=before, message=_("Đặt lại mật khẩu"))
    # A new password ends the lockout of the account; the failures stay in the history.
    LoginCounter.objects.filter(key=_user_key(user.username)).update(failures=0)
    # Other sessions end by themselves: Django keeps a hash of the password in each session and
    # drops a session whose hash no longer matches (the changer's own is renewed by the view).
    revoked = _revoke_all_tokens(user)
    security_event(
        SecurityEvent.Kind.PASSWORD_CHANGED,
        user=user,
        actor=actor,
        origin=origin,
        detail={"by_admin": actor is not None and actor.pk != user.pk, "tokens_revoked": revoked},
    )
    return user


def _revoke_all_tokens(user: User) -> int:
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).select_for_update(of=("self",)))
    now = timezone.now()
    for token in tokens:
        before = snapshot(token)
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record_change(
            actor=None, obj=token, action=ChangeLog.Action.UPDATE, before=before, message=_("Thu hồi khi đổi mật khẩu")
        )
    return len(tokens)


# -- API tokens --------------------------------------------------------------------------------


@transaction.atomic
def token_create(
    *, actor: Any, user: User, name: str, expires_at: dt.datetime | None = None, origin: Origin | None = None
) -> tuple[ApiToken, str]:
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
    security_event(SecurityEvent.Kind.TOKEN_CREATED, user=user, actor=actor, origin=origin, detail=_token_detail(token))
    return token, raw


def _token_detail(token: ApiToken) -> dict[str, Any]:
    return {"token_id": token.pk, "name": token.name, "prefix": token.prefix}


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken, origin: Origin | None = None) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        _check_manages(actor, token.user.unit)
    if token.revoked_at is None:
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(
            actor=actor, obj=token, action=ChangeLog.Action.UPDATE, before=before, message=_("Thu hồi mã truy cập")
        )
        security_event(
            SecurityEvent.Kind.TOKEN_REVOKED, user=token.user, actor=actor, origin=origin, detail=_token_detail(token)
        )
    return token


def token_authenticate(raw: str, address: str | None = None, user_agent: str = "") -> User | None:
    """The active user owning an active token, or None. A use from an address the token has never
    been used from writes one security event."""
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
    if address and address != token.last_used_address:
        _token_seen_from(token, address, user_agent, now)
    # Record use at most once a minute: a write per API call would dominate read-heavy clients.
    elif token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _token_seen_from(token: ApiToken, address: str, user_agent: str, now: dt.datetime) -> None:
    """Of concurrent requests from the new address only the one whose conditional update wins goes on
    to the log; an address seen before (the client moved back) writes nothing again."""
    with transaction.atomic():
        moved = (
            ApiToken.objects.filter(pk=token.pk)
            .exclude(last_used_address=address)
            .update(last_used_address=address, last_used_at=now)
        )
        if not moved:
            return
        seen = SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.TOKEN_NEW_ADDRESS, user_id=token.user_id, address=address
        ).filter(detail__token_id=token.pk)
        if not seen.exists():
            security_event(
                SecurityEvent.Kind.TOKEN_NEW_ADDRESS,
                user=token.user,
                origin=Origin(address, user_agent),
                detail=_token_detail(token),
            )


# -- sign-in lockout ---------------------------------------------------------------------------


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.CAX_LOCKOUT_WINDOW_MINUTES)


def _user_key(username: str) -> str:
    return "u:" + username.strip().lower()[:150]


def _take_place(key: str, limit: int) -> int:
    """Count one attempt on ``key`` unless ``limit`` attempts since the last success are already
    counted within the window; the attempt's place (1…limit), or 0 when refused. The row lock
    makes check-and-count one step: of N concurrent attempts exactly ``limit`` get through."""
    counter, _created = LoginCounter.objects.select_for_update().get_or_create(key=key)
    now = timezone.now()
    if counter.last_at < _window_start():
        counter.failures = 0
    if counter.failures >= limit:
        return 0
    counter.failures += 1
    counter.last_at = now
    counter.save(update_fields=["failures", "last_at"])
    return counter.failures


@transaction.atomic
def login_attempt_begin(*, username: str, address: str | None, user_agent: str = "") -> int:
    """Before checking a password: the attempt's place in the account's count (0: refused, do not
    check). It is counted as a failure in advance; ``login_record_success`` takes it back. A
    refused attempt is logged."""
    place = _take_place(_user_key(username), settings.CAX_LOCKOUT_MAX_FAILURES_PER_USER)
    if place and address and not _take_place("a:" + address, settings.CAX_LOCKOUT_MAX_FAILURES_PER_ADDRESS):
        place = 0
        # Give the account's place back: the address, not the account, was over its limit.
        LoginCounter.objects.filter(key=_user_key(username)).update(failures=F("failures") - 1)
    if not place:
        security_event(
            SecurityEvent.Kind.LOGIN_FAILED,
            username=username,
            origin=Origin(address, user_agent),
            detail={"reason": "locked"},
        )
    return place


@transaction.atomic
def login_record_failure(*, username: str, address: str | None, user_agent: str = "", place: int = 0) -> None:
    """A wrong password (its attempt was counted by login_attempt_begin at ``place``): kept, and
    logged; the failure in the last place also logs the lockout (once, however many race)."""
    username = username.strip().lower()[:150]
    LoginFailure.objects.create(username=username, address=address or None)
    origin = Origin(address, user_agent)
    security_event(SecurityEvent.Kind.LOGIN_FAILED, username=username, origin=origin, detail={"reason": "password"})
    if place == settings.CAX_LOCKOUT_MAX_FAILURES_PER_USER:
        security_event(
            SecurityEvent.Kind.LOCKOUT,
            username=username,
            origin=origin,
            detail={"failures": place, "minutes": settings.CAX_LOCKOUT_WINDOW_MINUTES},
        )


@transaction.atomic
def login_record_success(*, user: User, address: str | None, user_agent: str = "") -> None:
    """The account's count starts again; the address gets its place back. Failures stay recorded."""
    LoginCounter.objects.filter(key=_user_key(user.username)).update(failures=0)
    if address:
        LoginCounter.objects.filter(key="a:" + address, failures__gt=0).update(failures=F("failures") - 1)
    LoginCounter.objects.filter(last_at__lt=_window_start(), failures=0).delete()
    security_event(SecurityEvent.Kind.LOGIN, user=user, origin=Origin(address, user_agent))


# -- security log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a request came from, as the security log keeps it."""

    address: str | None = None
    user_agent: str = ""


def client_address(request: Any) -> str | None:
    if settings.CAX_TRUST_X_FORWARDED_FOR and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def origin_of(request: Any) -> Origin:
    return Origin(client_address(request), request.META.get("HTTP_USER_AGENT", "")[:300])


def security_event(
    kind: str,
    *,
    user: User | None = None,
    username: str = "",
    actor: Any = None,
    origin: Origin | None = None,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event. ``user`` when the account is known; else the name as typed, looked up so
    that a failure for an existing account is filed under its unit."""
    username = (user.username if user is not None else username).strip().lower()[:150]
    if user is None and username:
        user = User.objects.select_related("unit").filter(username__iexact=username).first()
    origin = origin or Origin()
    event = SecurityEvent(
        kind=kind,
        username=username,
        user=user,
        unit_path=user.unit.path if user is not None else "",
        address=_valid_address(origin.address),
        user_agent=origin.user_agent[:300],
        actor=actor if getattr(actor, "pk", None) else None,
        detail=detail or {},
    )
    full_name = user.full_name if user is not None else ""
    event.search_key = search_key(f"{username} {full_name} {origin.address or ''}")[:400]
    event.save()
    return event


def _valid_address(address: str | None) -> str | None:
    if not address:
        return None
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address
