from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from cax.accounts.services import origin_of, token_authenticate


class BearerToken(HttpBearer):
    """``Authorization: Bearer cax_…``: a personal token made on the profile page or by create_token."""

    def authenticate(self, request, token: str):
        origin = origin_of(request)
        user = token_authenticate(token, address=origin.address, user_agent=origin.user_agent)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    """The browser's own session, so pages can call the API with htmx (CSRF is enforced)."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated and user.is_active else None
