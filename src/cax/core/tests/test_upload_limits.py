"""Upload limits (issue 16 part 1): every endpoint that takes a file or a body refuses one over its
limit with 413 and a Vietnamese message naming the limit, before reading or storing any of it.

The oversized requests below declare a Content-Length just over the limit and carry a small body:
Django's test client refuses to read past the bytes it holds ("Cannot read more than the available
bytes"), so a 413 here also proves the body was never read.
"""

from __future__ import annotations

import inspect
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cax.accounts.services import token_create
from cax.api.errors import _body
from cax.api.main import api
from cax.cases.models import Attachment
from cax.core.idempotency import TOKEN_FIELD, issue_token
from cax.core.models import ImportBatch
from cax.core.uploads import MIB, limit_for

pytestmark = pytest.mark.django_db


def _routes(resolver=None, prefix="/"):
    """(path with sample arguments, view) for every page of the URL conf, the API's excepted."""
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if route.startswith("/api/"):
            continue
        if isinstance(p, URLResolver):
            yield from _routes(p, route)
        elif isinstance(p, URLPattern):
            path = re.sub(r"<int:\w+>", "1", route)
            # A fixed uuid: pytest-xdist workers must collect the same test ids.
            path = re.sub(r"<uuid:\w+>", str(uuid.UUID(int=1)), path)
            yield re.sub(r"<(str:)?\w+>", "officers", path), p.callback


def _reads_files(view) -> bool:
    """A CAX view that reads uploaded files. Django's own (the reference editors' admin views) are
    left out: no model has a file field but the case attachment (checked below)."""
    view = inspect.unwrap(view)
    if getattr(view, "__module__", "").startswith("django."):
        return False
    try:
        return "request.FILES" in inspect.getsource(view)
    except (OSError, TypeError):
        return False


def test_no_model_but_the_attachment_and_the_import_batch_holds_a_file():
    """A new file field is a new way in: it must come with its limit and its test here."""
    from django.apps import apps
    from django.db.models import FileField

    with_files = {m.__name__ for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, FileField)}
    # Document: the library's PDF/DOCX, limited on /library/documents/<id>/file/ (library tests).
    assert with_files == {"Attachment", "Document", "ImportBatch"}


PAGES = sorted(
    {path for path, view in _routes() if "/import/" in path and not path.endswith(".xlsx")}
    | {path for path, view in _routes() if _reads_files(view)}
)


def _api_upload_paths() -> list[str]:
    """The API operations that take a file (multipart) or a whole file as their body (the import)."""
    found = []
    for path, operations in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "multipart/form-data" in content or "import" in operation.get("operationId", ""):
                found.append(re.sub(r"\{\w+\}", "1", path))
    return sorted(set(found))


def _api_body_operations() -> list[tuple[str, str]]:
    found = []
    for path, operations in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items():
        for method in operations:
            if method in {"post", "put", "patch"}:
                found.append((method, re.sub(r"\{\w+\}", "1", path)))
    return found


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user, name='t')[1]}"}


def test_every_page_that_takes_a_file_has_a_file_limit():
    """A new upload view outside the patterns of cax.core.uploads would only get the small body limit."""
    assert len(PAGES) >= 10
    for path in PAGES:
        assert limit_for(path).file_bytes > 0, path
    assert set(_api_upload_paths()) == {"/api/v1/cases/1/attachments", "/api/v1/dataValueSets"}
    for path in _api_upload_paths():
        assert limit_for(path).file_bytes > 0, path


@pytest.mark.parametrize("path", PAGES)
def test_each_import_page_refuses_a_body_over_its_limit_with_413_and_stores_nothing(cast, login, path):
    client = login(cast.commune_officer)
    limit = limit_for(path)
    response = client.post(path, {"file": SimpleUploadedFile("a.csv", b"x")}, CONTENT_LENGTH=str(limit.body_bytes + 1))
    assert response.status_code == 413
    expected = "20 MB" if limit.setting == "CAX_IMPORT_MAX_BYTES" else "50 MB"
    assert f"Dữ liệu gửi lên quá lớn: tối đa {expected}." in response.content.decode()
    assert "Content-Security-Policy" in response
    assert "X-Request-ID" in response
    assert not ImportBatch.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("path", _api_upload_paths())
def test_each_api_upload_refuses_a_body_over_its_limit_with_413_in_the_error_shape(cast, client, path):
    limit = limit_for(path)
    response = client.post(
        path,
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-")},
        CONTENT_LENGTH=str(limit.body_bytes + 1),
        **_bearer(cast.commune_officer),
    )
    assert response.status_code == 413
    mb = limit.file_bytes // MIB
    assert response.json() == _body(f"Dữ liệu gửi lên quá lớn: tối đa {mb} MB.")
    assert not ImportBatch.objects.exists()
    assert not Attachment.objects.exists()


def test_every_api_body_is_limited(cast, client, settings):
    """Plain JSON bodies get CAX_BODY_MAX_BYTES (2 MB by default), whatever the operation."""
    headers = _bearer(cast.commune_officer)
    operations = _api_body_operations()
    assert len(operations) > 15
    for method, path in operations:
        limit = limit_for(path)
        response = getattr(client, method)(
            path, "{}", content_type="application/json", CONTENT_LENGTH=str(limit.body_bytes + 1), **headers
        )
        assert response.status_code == 413, (method, path)
        assert response.json()["extra"] == {"fields": {}}
    assert limit_for("/api/v1/cases").body_bytes == settings.CAX_BODY_MAX_BYTES == 2 * MIB


def test_a_form_body_over_the_plain_limit_is_refused(cast, login):
    response = login(cast.commune_officer).post(
        reverse("cases:register", args=[cast.commune_a.pk]), {"summary": "x"}, CONTENT_LENGTH=str(2 * MIB + 1)
    )
    assert response.status_code == 413
    assert "tối đa 2 MB" in response.content.decode()


def test_a_chunked_body_is_read_only_up_to_the_limit(cast, login, settings):
    settings.CAX_IMPORT_MAX_BYTES = 1000
    settings.CAX_BODY_MAX_BYTES = 1000
    stream = io.BytesIO(b"x" * 100_000)
    response = login(cast.commune_officer).post(
        reverse("units:import"),
        {"file": SimpleUploadedFile("a.csv", b"x")},
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": stream},
    )
    assert response.status_code == 413
    assert stream.tell() <= 2001
    assert not ImportBatch.objects.exists()


def test_a_chunked_body_within_the_limit_reaches_the_view(cast, login):
    """Django alone reads a body without Content-Length as empty; spooled, it is the upload it was."""
    boundary = "BoUnDaRy"
    part = '--{b}\r\nContent-Disposition: form-data; name="{name}"{extra}\r\n\r\n{value}\r\n'
    body = (
        part.format(b=boundary, name="file", extra='; filename="u.csv"', value="Mã,Tên")
        + part.format(b=boundary, name=TOKEN_FIELD, extra="", value=issue_token(cast.admin.pk))
        + f"--{boundary}--\r\n"
    ).encode()
    response = login(cast.admin).generic(
        "POST",
        reverse("units:import"),
        b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body)},
    )
    assert response.status_code == 302
    assert ImportBatch.objects.get().read() == "Mã,Tên".encode()


def test_a_file_at_the_limit_is_accepted_and_one_byte_more_is_refused_on_the_field(cast, login, settings):
    settings.CAX_IMPORT_MAX_BYTES = MIB // 2
    client = login(cast.admin)
    at_limit = "Mã,Tên\n".encode().ljust(MIB // 2, b" ")
    response = client.post(reverse("units:import"), {"file": SimpleUploadedFile("u.csv", at_limit)})
    assert response.status_code == 302
    assert len(ImportBatch.objects.get().read()) == ImportBatch.objects.get().size == MIB // 2
    response = client.post(reverse("units:import"), {"file": SimpleUploadedFile("u.csv", at_limit + b" ")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Tệp quá lớn: 0,5 MB (tối đa 0,5 MB)."]
    assert ImportBatch.objects.count() == 1


def test_the_limits_follow_the_settings(settings):
    settings.CAX_IMPORT_MAX_BYTES, settings.CAX_ATTACHMENT_MAX_BYTES, settings.CAX_BODY_MAX_BYTES = 10, 20, 3
    assert (limit_for("/officers/import/").body_bytes, limit_for("/grassroots/teams/import/").file_bytes) == (13, 10)
    assert limit_for("/api/v1/dataValueSets").body_bytes == 10  # the body is the file
    assert (limit_for("/cases/7/attachments/").body_bytes, limit_for("/api/v1/cases/7/attachments").body_bytes) == (
        23,
        23,
    )
    assert limit_for("/cases/7/").body_bytes == 3


def test_a_signed_out_client_is_refused_before_the_sign_in_redirect(client):
    """The limit is checked before anything else looks at the request: no session, no token needed."""
    response = client.post(
        reverse("units:import"), {"file": SimpleUploadedFile("a.csv", b"x")}, CONTENT_LENGTH="99999999999"
    )
    assert response.status_code == 413
    assert (
        client.post(
            "/api/v1/dataValueSets", "{}", content_type="application/json", CONTENT_LENGTH="99999999999"
        ).json()["message"]
        == "Dữ liệu gửi lên quá lớn: tối đa 20 MB."
    )
