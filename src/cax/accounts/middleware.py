"""Idle and absolute session timeouts (issue 16.5, docs/security.md).

``SESSION_COOKIE_AGE`` alone is not an absolute limit: the session is saved again on activity and
its expiry moves with it. So the session carries the moment of sign-in and of the last request,
and this middleware ends it when either is too old: ``CAX_SESSION_IDLE_MINUTES`` after the last
request, ``SESSION_COOKIE_AGE`` seconds after sign-in. Pages then go to the login page with a
message, htmx requests get 401 with ``HX-Redirect`` (a login page inside a fragment would be
useless), and the API sees an anonymous request (its own 401).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.translation import gettext as _

from cax.accounts import services
from cax.accounts.models import SecurityEvent

AUTH_AT = "cax_auth_at"
LAST_SEEN = "cax_last_seen"
# Saving the session on every request would be a write per page view; a minute is precise enough.
TOUCH_EVERY_SECONDS = 60


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: the clocks of a new session start now."""
    now = int(time.time())
    request.session[AUTH_AT] = now
    request.session[LAST_SEEN] = now


def _expired_reason(session, now: int) -> str:
    auth_at, last_seen = session.get(AUTH_AT), session.get(LAST_SEEN)
    if auth_at is None or last_seen is None:
        return ""
    if now - last_seen > settings.CAX_SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - auth_at > settings.SESSION_COOKIE_AGE:
        return "absolute"
    return ""


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        if session.get(AUTH_AT) is None:
            # A session from before this middleware: its clocks start now.
            session[AUTH_AT] = session[LAST_SEEN] = now
        reason = _expired_reason(session, now)
        if reason:
            return self._expire(request, reason)
        if now - session[LAST_SEEN] >= TOUCH_EVERY_SECONDS:
            session[LAST_SEEN] = now
        return self.get_response(request)

    def _expire(self, request, reason: str):
        user = request.user
        services.security_event(
            SecurityEvent.Kind.SESSION_EXPIRED, user=user, origin=services.origin_of(request), detail={"reason": reason}
        )
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # anonymous now: the API answers its own 401
        if reason == "idle":
            text = _("Phiên làm việc đã hết hạn vì không hoạt động quá {m} phút. Hãy đăng nhập lại.").format(
                m=settings.CAX_SESSION_IDLE_MINUTES
            )
        else:
            text = _("Phiên làm việc đã hết thời hạn tối đa. Hãy đăng nhập lại.")
        messages.warning(request, text)
        login = redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=401)
            response["HX-Redirect"] = login["Location"]
            return response
        return login
