from __future__ import annotations

import re
import tempfile
import uuid

from cax.core.context import request_context

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# No CDN and no inline script (#3): everything the pages use is served by the app itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class RequestContextMiddleware:
    """Gives each request an id (reusing a sane X-Request-ID from nginx) for logs and the change log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        with request_context(request_id):
            request.request_id = request_id
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Personal data must not linger in shared office PCs' caches.
            response.setdefault("Cache-Control", "no-store")
        return response


class DomainErrorMiddleware:
    """Turns errors that escape a view into the right page: outside scope → 404, forbidden → 403,
    any other rule (a value out of range in the address) → its status with its Vietnamese message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render
        from django.views import defaults

        from cax.core.exceptions import DomainError, NotVisible, PermissionDenied

        if isinstance(exception, NotVisible):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        if isinstance(exception, DomainError) and not request.path_info.startswith("/api/"):
            return render(request, "400.html", {"message": exception.message}, status=exception.status_code)
        return None


class ChosenLanguageMiddleware:
    """Vietnamese unless the user picked English with the switch (the language cookie).

    Replaces Django's LocaleMiddleware, which would follow the browser's Accept-Language: office
    PCs often run English-language browsers, and the UI must still open in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# -- upload limits (issue 16 part 1) ---------------------------------------------------------------


class UploadLimitMiddleware:
    """Refuses a body larger than its path allows (``cax.core.uploads.limit_for``) with 413 and a
    Vietnamese message naming the limit, before any of it is read or stored.

    A declared Content-Length is compared and nothing is read. A chunked body (no Content-Length),
    which Django itself would read as empty, is read up to the limit into a spooled temporary file
    (memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then disk) and handed on with its length, or refused
    as soon as it passes the limit. No middleware above this one reads the body: they read headers
    and cookies, and CSRF reads the POST in ``process_view``, which runs after every ``__call__``; so
    the 413 still gets the request id, the security headers and the site's page.
    """

    CHUNK = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from cax.core.uploads import limit_for

        limit = limit_for(request.path_info)
        length = _declared_length(request.META)
        if length is not None and length > limit.body_bytes:
            return _too_large(request, limit)
        if length is None and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            if not self._spool(request, limit.body_bytes):
                return _too_large(request, limit)
        return self.get_response(request)

    def _spool(self, request, limit_bytes: int) -> bool:
        """The chunked body copied, at most ``limit_bytes``; False as soon as it is longer."""
        from django.conf import settings
        from django.core.handlers.wsgi import LimitedStream

        source = request.META.get("wsgi.input")
        if source is None:
            return True
        spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        size = 0
        while chunk := source.read(min(self.CHUNK, limit_bytes + 1 - size)):
            size += len(chunk)
            if size > limit_bytes:
                spool.close()
                return False
            spool.write(chunk)
        spool.seek(0)
        request._stream = LimitedStream(spool, size)
        request._cax_spool = spool  # closed with the request (garbage), kept alive until then
        request.META["CONTENT_LENGTH"] = str(size)
        return True


def _declared_length(meta) -> int | None:
    """The Content-Length as a number; None when absent or not a number (Django reads no body then)."""
    raw = str(meta.get("CONTENT_LENGTH") or "").strip()
    return int(raw) if raw.isdigit() else None


def _too_large(request, limit):
    from django.http import JsonResponse
    from django.shortcuts import render

    from cax.core.uploads import too_large_message

    message = too_large_message(limit.shown_bytes)
    if request.path_info.startswith("/api/"):
        # The API's one error shape (cax.api.errors), written out here: core does not import the API.
        return JsonResponse({"message": message, "extra": {"fields": {}}}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


# -- unreadable input (issue 16 part 4) ------------------------------------------------------------


class UnreadableInputMiddleware:
    """NUL or non-UTF-8 in the path, the query or a text body → 400 (``cax.core.inputs``), before a
    view passes it to the database. Placed after the upload limit: the body it reads is bounded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import JsonResponse
        from django.shortcuts import render

        from cax.core.inputs import unreadable, unreadable_message

        if not unreadable(request):
            return self.get_response(request)
        message = unreadable_message()
        if request.path_info.startswith("/api/"):
            return JsonResponse({"message": message, "extra": {"fields": {}}}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
