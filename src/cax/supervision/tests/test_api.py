"""The API under the page's rules: names for the managing commune, a reason to open a file, the
events and the move through their endpoints, counts for every other level."""

from __future__ import annotations

import pytest

from cax.accounts.roles import Role
from cax.accounts.services import token_create
from cax.core.testing.cast import make_user
from cax.supervision.models import FileAccess, Status, SupervisionFile
from cax.supervision.tests.factories import NAME, PERSONAL_ID

pytestmark = pytest.mark.django_db

BODY = {
    "unit": "23500",
    "full_name": NAME,
    "personal_id": PERSONAL_ID,
    "category": "Người được hưởng án treo",
    "decision_number": "12/2026/QĐ",
    "decision_date": "10/01/2026",
    "issuer": "Tòa án nhân dân khu vực 1",
    "received_on": "12/01/2026",
    "start_date": "15/01/2026",
    "term_months": 12,
}


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=None, user=user, name='t')[1]}"}


def test_create_open_with_a_reason_and_record_events(cast, client):
    headers = bearer(cast.commune_officer)
    created = client.post("/api/v1/supervision/files", BODY, content_type="application/json", **headers)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["end_date"], body["status"], body["full_name"]) == ("2027-01-14", "waiting", NAME)
    record = body["id"]
    refused = client.get(f"/api/v1/supervision/files/{record}", **headers)
    assert refused.status_code == 400
    assert "reason" in refused.json()["extra"]["fields"]
    opened = client.get(f"/api/v1/supervision/files/{record}", {"reason": "Đối chiếu hồ sơ"}, **headers)
    assert opened.status_code == 200
    assert FileAccess.objects.get().channel == "api"
    event = client.post(f"/api/v1/supervision/files/{record}/events", {"kind": "reception", "on": "2026-01-13"},
                        content_type="application/json", **headers)  # fmt: skip
    assert event.status_code == 201, event.json()
    assert SupervisionFile.objects.get(pk=record).status == Status.ACTIVE
    duties = client.get(f"/api/v1/supervision/files/{record}/duties", **headers).json()
    assert {d["code"]: d["due_on"] for d in duties}["report"] == "2026-02-15"
    wrong = client.post(f"/api/v1/supervision/files/{record}/events", {"kind": "reception", "on": "2026-01-14"},
                        content_type="application/json", **headers)  # fmt: skip
    assert wrong.status_code == 400
    moved = client.post(f"/api/v1/supervision/files/{record}/handovers",
                        {"to_unit": cast.commune_b.code, "moved_at": "2026-11-30T08:00:00+07:00"},
                        content_type="application/json", **headers)  # fmt: skip
    assert moved.status_code == 201, moved.json()
    receiver = bearer(make_user("chief_b", Role.COMMUNE_CHIEF, cast.commune_b))
    waiting = client.get("/api/v1/supervision/handovers", **receiver).json()
    assert waiting["count"] == 1
    accepted = client.post(f"/api/v1/supervision/handovers/{moved.json()['id']}/accept", {},
                           content_type="application/json", **receiver)  # fmt: skip
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["unit_code"] == cast.commune_b.code


def test_other_levels_get_counts_and_never_a_name(cast, client):
    officer = bearer(cast.commune_officer)
    client.post("/api/v1/supervision/files", BODY, content_type="application/json", **officer)
    leader = bearer(cast.province_leader)
    assert client.get("/api/v1/supervision/files", **leader).status_code == 403
    figures = client.get("/api/v1/supervision/figures", {"unit": "51"}, **leader)
    assert figures.status_code == 200
    row = next(r for r in figures.json()["rows"] if r["category"] == "an_treo")
    assert row["counts"]["waiting"] == 1
    assert NAME not in figures.content.decode()
    neighbour = bearer(make_user("chief_b", Role.COMMUNE_CHIEF, cast.commune_b))
    assert client.get("/api/v1/supervision/files", **neighbour).json()["count"] == 0
