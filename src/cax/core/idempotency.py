"""One record per submit (#14): a one-time token on every form that creates something.

A double click, a resent POST or a form sent from two tabs must create one record. Every create form
renders ``{% submit_token %}`` (a hidden field, signed, bound to the user, no database write), and
its view is wrapped in ``submit_once``. The first POST of a token inserts a ``SubmitToken`` row in
the same transaction as the view's writes; the unique nonce makes any other POST of that token wait
for that transaction (whichever app process serves it, PostgreSQL decides), then find the row and
be answered like the first: sent to the record the first submit created, with a notice. A first
POST that fails (an exception) rolls back its row with everything else, so the token stays usable.

The API's counterpart, the ``Idempotency-Key`` header, is in ``cax.api.idempotency``; both kinds of
rows expire after ``CAX_SUBMIT_EXPIRY_HOURS`` and are purged after each use and by
``./cax manage purge_submit_tokens``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cax.core.context import current_request_id
from cax.core.models import ChangeLog, IdempotencyKey, SubmitToken

TOKEN_FIELD = "cax_submit"
_SALT = "cax.core.idempotency.submit"


def expiry() -> dt.timedelta:
    return dt.timedelta(hours=settings.CAX_SUBMIT_EXPIRY_HOURS)


def issue_token(user_pk) -> str:
    """A fresh token for one rendering of a form: "<user>.<nonce>:<time>:<signature>"."""
    return signing.TimestampSigner(salt=_SALT).sign(f"{user_pk}.{secrets.token_hex(16)}")


class TokenRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_token(value: str, user) -> str:
    """The nonce of a token this user was given less than the expiry ago; TokenRefused otherwise."""
    if not value:
        raise TokenRefused(_("Biểu mẫu thiếu mã gửi. Hãy mở lại trang, nhập lại và gửi."))
    try:
        text = signing.TimestampSigner(salt=_SALT).unsign(value, max_age=expiry())
    except signing.SignatureExpired:
        raise TokenRefused(_("Biểu mẫu đã mở quá lâu nên hết hạn. Hãy mở lại trang, nhập lại và gửi.")) from None
    except signing.BadSignature:
        raise TokenRefused(_("Mã gửi của biểu mẫu không hợp lệ. Hãy mở lại trang, nhập lại và gửi.")) from None
    owner, _dot, nonce = text.partition(".")
    if owner != str(user.pk) or len(nonce) != 32:
        # A token rendered for another account (a shared PC, a copied form) is not this user's.
        raise TokenRefused(_("Mã gửi của biểu mẫu không hợp lệ. Hãy mở lại trang, nhập lại và gửi."))
    return nonce


def _back(request) -> str:
    """The page the form was on (same site only), else the URL it was posted to."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.get_full_path()


def _claim(nonce: str, request) -> SubmitToken | None:
    """Insert the token's row; None when it was already there (the first submit committed)."""
    try:
        with transaction.atomic():
            return SubmitToken.objects.create(nonce=nonce, user=request.user, path=request.path[:500])
    except IntegrityError:
        return None


def _settle(token: SubmitToken, response) -> None:
    """Keep what the first submit answered; free the token if it wrote nothing.

    A form re-rendered with its errors created nothing: its token is deleted so a double click on
    that invalid form shows the errors again rather than "already sent". Whether anything was
    written is read off the change log, which every service write goes through (this request's id).
    """
    location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
    if location:
        token.location = location[:2000]
        token.save(update_fields=["location"])
    elif not ChangeLog.objects.filter(request_id=current_request_id(), time__gte=token.created_at).exists():
        token.delete()


def submit_once(view: Callable | None = None, *, exempt: Callable | None = None):
    """Wrap a view whose POST creates something; ``exempt(request)`` names POSTs that are not a
    submit (the report form's autosave). GETs and anonymous requests pass through unchanged."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method != "POST" or not request.user.is_authenticated or (exempt and exempt(request)):
                return view(request, *args, **kwargs)
            try:
                nonce = read_token(request.POST.get(TOKEN_FIELD, ""), request.user)
            except TokenRefused as exc:
                # Refused rather than run without the guarantee: nothing is created.
                messages.error(request, exc.message)
                return redirect(_back(request))
            with transaction.atomic():
                token = _claim(nonce, request)
                if token is None:
                    first = SubmitToken.objects.filter(nonce=nonce, user=request.user).first()
                    messages.info(request, _("Biểu mẫu này đã được gửi; không tạo thêm bản ghi."))
                    return redirect(first.location if first is not None and first.location else _back(request))
                response = view(request, *args, **kwargs)
                _settle(token, response)
            transaction.on_commit(purge_expired)
            return response

        guarded.submit_once = True  # read by the test that finds every create form
        return guarded

    return decorate(view) if view is not None else decorate


def purge_expired(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete form tokens and API keys older than the expiry (an expired token is refused anyway)."""
    cutoff = (now or timezone.now()) - expiry()
    tokens, _n = SubmitToken.objects.filter(created_at__lt=cutoff).delete()
    keys, _n = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return tokens, keys
