"""``Idempotency-Key`` on the API's POSTs (#14): a retried call creates one record and gets the first
answer; the key reused for another request is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cax.accounts.services import token_create
from cax.api.idempotency import HEADER, REPLAYED
from cax.cases.models import Attachment, Case
from cax.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db

REPORT = {
    "unit": "23500",
    "kind": "report",
    "channel": "phone",
    "received_at": "2025-09-10T14:00:00+07:00",
    "reporter_kind": "person",
    "reporter_name": "Lê Văn Gọi",
    "summary": "Đánh nhau gây thương tích",
}


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_create(actor=None, user=user, name='máy trạm')[1]}"}


def send(headers, key=None, body=REPORT, path="/api/v1/cases"):
    extra = {HEADER: key} if key is not None else {}
    return Client().post(path, body, content_type="application/json", headers={**headers, **extra})


def test_every_post_operation_documents_the_header(cast):
    schema = Client().get("/api/v1/openapi.json").json()
    posts = {path: ops["post"] for path, ops in schema["paths"].items() if "post" in ops}
    assert "/api/v1/cases" in posts
    assert "/api/v1/training/courses" in posts
    for path, operation in posts.items():
        names = [(p["in"], p["name"]) for p in operation.get("parameters", [])]
        assert ("header", HEADER) in names, path
        assert "422" in operation["responses"], path
    gets = [ops["get"] for ops in schema["paths"].values() if "get" in ops]
    assert not any(p["name"] == HEADER for op in gets for p in op.get("parameters", []))


def test_a_retry_with_the_same_key_creates_one_report_and_gets_the_same_answer(cast):
    headers = bearer(cast.commune_officer)
    first = send(headers, "b1f0c5e2-0001")
    second = send(headers, "b1f0c5e2-0001")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second[REPLAYED] == "true"
    assert REPLAYED not in first
    assert Case.objects.count() == 1
    assert first.json()["serial"] == 1

    # Another key is another call; no key at all is a call each time (API clients are not forms).
    assert send(headers, "b1f0c5e2-0002").json()["serial"] == 2
    assert [send(headers).json()["serial"] for _ in range(2)] == [3, 4]


def test_the_same_key_with_another_body_or_path_is_refused_with_the_error_shape(cast):
    headers = bearer(cast.commune_officer)
    send(headers, "k-1")
    other_body = send(headers, "k-1", {**REPORT, "summary": "Trộm xe máy"})
    assert other_body.status_code == 422
    body = other_body.json()
    assert set(body) == {"message", "extra"}
    assert "k-1" in body["message"]
    assert HEADER in body["extra"]["fields"]
    other_path = send(headers, "k-1", {"title": "x"}, path="/api/v1/training/courses")
    assert other_path.status_code == 422
    assert Case.objects.count() == 1


def test_keys_are_each_users_own(cast):
    send(bearer(cast.commune_officer), "chung")
    assert send(bearer(cast.commune_chief), "chung").status_code == 201
    assert Case.objects.count() == 2


def test_a_refused_call_is_answered_the_same_way_on_retry(cast):
    headers = bearer(cast.commune_officer)
    bad = {**REPORT, "unit": "NOPE"}
    first, second = send(headers, "k-bad", bad), send(headers, "k-bad", bad)
    assert first.status_code == second.status_code == 404
    assert second.content == first.content
    assert second[REPLAYED] == "true"
    assert not Case.objects.exists()


def test_a_bad_key_is_refused(cast):
    headers = bearer(cast.commune_officer)
    for key in ("x" * 256, "khoá-có-dấu"):
        refused = send(headers, key)
        assert refused.status_code == 422
        assert HEADER in refused.json()["extra"]["fields"]
    assert not Case.objects.exists()


def test_an_expired_key_is_a_new_call(cast):
    headers = bearer(cast.commune_officer)
    send(headers, "k-old")
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    again = send(headers, "k-old")
    assert again.status_code == 201
    assert REPLAYED not in again
    assert Case.objects.count() == 2


def test_a_register_create_and_a_file_upload_run_once(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    headers = bearer(cast.province_staff)
    course = {
        "title": "Đề án 06",
        "unit": "51",
        "topic": "Công nghệ thông tin, Đề án 06",
        "starts_on": "2025-04-01",
        "ends_on": "2025-04-02",
    }
    answers = [send(headers, "khoa-hoc-1", course, path="/api/v1/training/courses") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    from cax.training.models import Course

    assert Course.objects.count() == 1

    officer = bearer(cast.commune_officer)
    case = send(officer).json()
    client = Client()

    def attach(name="bien-ban.pdf"):
        upload = SimpleUploadedFile(name, b"%PDF-1.4 receipt", content_type="application/pdf")
        return client.post(
            f"/api/v1/cases/{case['id']}/attachments",
            {"kind": "other", "file": upload},
            headers={**officer, HEADER: "tep-1"},
        )

    assert [attach().status_code, attach().status_code] == [201, 201]
    assert Attachment.objects.count() == 1
    assert attach("khac.pdf").status_code == 422, "another file under the same key"
