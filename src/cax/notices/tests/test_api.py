"""The notices API (issue 19.4): list, count, mark read; the caller's own notices only."""

from __future__ import annotations

import pytest

from cax.notices.models import Notice
from cax.notices.tests.helpers import notify

pytestmark = pytest.mark.django_db


def test_list_count_and_mark_read(cast, login):
    notify(cast.commune_officer, 3)
    client = login(cast.commune_officer)
    assert client.get("/api/v1/notices/count").json() == {"unread": 3}
    body = client.get("/api/v1/notices", {"read": "unread"}).json()
    assert body["count"] == 3
    first = body["items"][0]
    assert first["kind"] == "reports.returned"
    assert first["kind_label"] == "Báo cáo bị trả lại"
    marked = client.post(f"/api/v1/notices/{first['id']}/read", content_type="application/json")
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/notices/count").json() == {"unread": 2}
    assert client.post("/api/v1/notices/read-all", {}, content_type="application/json").json() == {"marked": 2}


def test_another_users_notice_is_not_found(cast, login):
    notify(cast.commune_chief, 1)
    theirs = Notice.objects.get()
    response = login(cast.commune_officer).post(f"/api/v1/notices/{theirs.pk}/read", content_type="application/json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_bad_filters_are_refused(cast, login):
    client = login(cast.commune_officer)
    assert client.get("/api/v1/notices", {"read": "maybe"}).status_code == 422
    assert client.post("/api/v1/notices/0/read", content_type="application/json").status_code == 422
