from cax.accounts.services import token_create
from cax.cases.models import Case, IdentityAccess

PAYLOAD = {
    "unit": "23500",
    "kind": "report",
    "channel": "phone",
    "received_at": "2025-09-10T14:00:00+07:00",
    "reporter_kind": "person",
    "reporter_name": "Lê Văn Gọi",
    "summary": "Đánh nhau gây thương tích",
    "is_confidential": True,
}


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user, name='t')[1]}"}


def test_register_step_and_read_back_through_the_api(cast, client):
    headers = bearer(cast.commune_officer)
    created = client.post("/api/v1/cases", PAYLOAD, content_type="application/json", **headers)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["serial"], body["status"], body["due_rule"]) == (1, "received", "transfer")
    assert body["reporter"]["reporter_name"] == "Lê Văn Gọi"
    stepped = client.post(
        f"/api/v1/cases/{body['id']}/steps",
        {"to_status": "preliminary_check", "version": body["version"], "at": "2025-09-10T15:00:00+07:00"},
        content_type="application/json",
        **headers,
    )
    assert stepped.status_code == 200, stepped.json()
    assert [e["to_status"] for e in stepped.json()["events"]] == ["received", "preliminary_check"]
    assert IdentityAccess.objects.filter(channel="api").count() == 2


def test_a_wrong_step_and_a_stale_version_answer_in_the_error_shape(cast, client):
    headers = bearer(cast.commune_officer)
    case = client.post("/api/v1/cases", PAYLOAD, content_type="application/json", **headers).json()
    wrong = client.post(
        f"/api/v1/cases/{case['id']}/steps",
        {"to_status": "closed", "version": case["version"]},
        content_type="application/json",
        **headers,
    )
    assert wrong.status_code == 400
    assert set(wrong.json()) == {"message", "extra"}
    stale = client.post(
        f"/api/v1/cases/{case['id']}/steps",
        {"to_status": "preliminary_check", "version": case["version"] + 5},
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409
    assert Case.objects.get().version == case["version"]


def test_a_receipt_in_the_future_or_an_unknown_unit_is_refused(cast, client):
    headers = bearer(cast.commune_officer)
    future = client.post(
        "/api/v1/cases",
        {**PAYLOAD, "received_at": "2099-01-01T00:00:00+07:00"},
        content_type="application/json",
        **headers,
    )
    assert future.status_code == 400
    assert "received_at" in future.json()["extra"]["fields"]
    unknown = client.post("/api/v1/cases", {**PAYLOAD, "unit": "NOPE"}, content_type="application/json", **headers)
    assert unknown.status_code == 404
    assert not Case.objects.exists()


def test_another_commune_cannot_list_or_read_the_case(cast, client):
    case = client.post("/api/v1/cases", PAYLOAD, content_type="application/json", **bearer(cast.commune_officer)).json()
    other = bearer(cast.commune_c_officer)
    assert client.get("/api/v1/cases", **other).json()["count"] == 0
    assert client.get(f"/api/v1/cases/{case['id']}", **other).status_code == 404
    leader = client.get(f"/api/v1/cases/{case['id']}", **bearer(cast.province_leader)).json()
    assert leader["reporter"] is None


def test_attachments_and_the_identity_access_log_through_the_api(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    headers = bearer(cast.commune_officer)
    case = client.post("/api/v1/cases", PAYLOAD, content_type="application/json", **headers).json()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4 receipt"
    added = client.post(
        f"/api/v1/cases/{case['id']}/attachments",
        {"kind": "receipt_record", "file": SimpleUploadedFile("bb.pdf", pdf)},
        **headers,
    )
    assert added.status_code == 201, added.json()
    refused = client.post(
        f"/api/v1/cases/{case['id']}/attachments",
        {"kind": "other", "file": SimpleUploadedFile("x.exe", b"MZ")},
        **headers,
    )
    assert refused.status_code == 400
    assert "file" in refused.json()["extra"]["fields"]
    download = client.get(f"/api/v1/cases/{case['id']}/attachments/{added.json()['id']}", **headers)
    assert b"".join(download.streaming_content) == pdf
    other = bearer(cast.commune_c_officer)
    assert client.get(f"/api/v1/cases/{case['id']}/attachments/{added.json()['id']}", **other).status_code == 404
    log = client.get("/api/v1/identity-accesses", **bearer(cast.auditor)).json()
    assert log["count"] >= 1
    assert {entry["username"] for entry in log["items"]} == {"officer_a"}
    assert client.get("/api/v1/identity-accesses", **headers).status_code == 403


def test_the_api_names_unknown_codes_and_saves_nothing(cast, client):
    headers = bearer(cast.commune_officer)
    response = client.post(
        "/api/v1/cases",
        {**PAYLOAD, "incident_unit": "NOPE", "category": "nope", "receiving_officer": "0000"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"incident_unit", "category", "receiving_officer"}
    assert not Case.objects.exists()
    ok = client.post(
        "/api/v1/cases",
        {**PAYLOAD, "incident_unit": "23293", "category": "property"},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 201
    case = Case.objects.get()
    assert (case.incident_unit.code, case.category.code) == ("23293", "property")


def test_bad_step_values_get_clear_errors_never_a_server_error(cast, client):
    headers = bearer(cast.commune_officer)
    naive = client.post(
        "/api/v1/cases", {**PAYLOAD, "received_at": "2025-09-10T14:00:00"}, content_type="application/json", **headers
    )
    assert naive.status_code == 201, naive.json()  # read as Vietnam time
    case = naive.json()
    url = f"/api/v1/cases/{case['id']}/steps"
    stray = client.post(
        url,
        {
            "to_status": "preliminary_check",
            "version": case["version"],
            "at": "2025-09-10T15:00:00",
            "suspension_ground": "x" * 500,
        },
        content_type="application/json",
        **headers,
    )
    assert stray.status_code == 200, stray.json()
    assert Case.objects.get().suspension_ground == ""
    kind = client.post(f"/api/v1/cases/{case['id']}/attachments", {"kind": "nope"}, **headers)
    assert kind.status_code in (400, 422)


def test_a_duplicate_must_point_at_an_original(cast):
    from cax.cases.services import case_mark_duplicate
    from cax.cases.tests.test_register import register
    from cax.core.exceptions import DomainError

    first = register(cast.commune_officer, cast.commune_a)
    second = register(cast.commune_officer, cast.commune_a)
    second = case_mark_duplicate(actor=cast.commune_officer, case=second, of=first)
    first.refresh_from_db()
    import pytest

    with pytest.raises(DomainError):
        case_mark_duplicate(actor=cast.commune_officer, case=first, of=second)


def test_transfer_and_the_procuracy_duty_through_the_api_with_labels_beside_the_iso_values(cast, client):
    headers = bearer(cast.commune_chief)
    case = client.post("/api/v1/cases", PAYLOAD, content_type="application/json", **headers).json()
    assert case["due_at"] == "2025-09-11T07:00:00Z"  # machine value: ISO (14:00 in Vietnam)
    assert case["time_left"].startswith("quá hạn ")  # the label for people, beside it
    steps = f"/api/v1/cases/{case['id']}/steps"
    case = client.post(
        steps,
        {"to_status": "preliminary_check", "version": case["version"]},
        content_type="application/json",
        **headers,
    ).json()
    unknown = client.post(
        steps, {"to_status": "transferred", "version": case["version"], "to_body": "nope"}, **json(), **headers
    )
    assert unknown.status_code == 400
    assert "to_body" in unknown.json()["extra"]["fields"]
    bodies = client.get("/api/v1/receiving-bodies", **headers).json()
    assert {"code": "hai_quan", "name": "Hải quan"} in bodies
    moved = client.post(
        steps, {"to_status": "transferred", "version": case["version"], "to_unit": "23293"}, **json(), **headers
    )
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["transferred_to_unit"], moved.json()["due_at"], moved.json()["time_left"]) == (
        "23293",
        None,
        "",
    )
    entry = Case.objects.get(transferred_from_id=case["id"])
    assert entry.unit.code == "23293"


def test_a_decision_sent_to_the_procuracy_through_the_api(cast, client):
    from cax.cases.tests.test_register import register, step

    case = register(cast.commune_chief, cast.commune_a)
    for to in ("preliminary_check", "taken_up", "verifying", "not_prosecuted"):
        case = step(cast.commune_chief, case, to, non_prosecution_ground="no_event")
    headers = bearer(cast.commune_chief)
    read = client.get(f"/api/v1/cases/{case.pk}", **headers).json()
    assert read["procuracy_due_at"] == "2025-09-11T08:00:00Z"  # 24 h after 10/09 15:00 in Vietnam
    assert read["events"][-1]["procuracy_due_at"] == read["procuracy_due_at"]
    listed = client.get("/api/v1/cases", {"procuracy_overdue": True, "as_of": "2025-09-12"}, **headers).json()
    assert [c["id"] for c in listed["items"]] == [case.pk]
    sent = client.post(
        f"/api/v1/cases/{case.pk}/procuracy-notice",
        {"version": read["version"], "at": "2025-09-11T09:00:00+07:00"},
        **json(),
        **headers,
    )
    assert sent.status_code == 200, sent.json()
    assert sent.json()["procuracy_due_at"] is None
    assert sent.json()["events"][-1]["kind"] == "procuracy_notice"


def json() -> dict:
    return {"content_type": "application/json"}


def test_a_report_received_before_a_merger_is_registered_in_the_merged_commune_by_its_code(cast, client):
    from cax.core.testing.units import make_merged_commune

    ha_mon = make_merged_commune(cast.commune_a)
    headers = bearer(cast.department_staff)
    june = {**PAYLOAD, "unit": ha_mon.code, "received_at": "2025-06-20T09:00:00+07:00"}
    created = client.post("/api/v1/cases", june, **json(), **headers)
    assert created.status_code == 201, created.json()
    assert Case.objects.get().unit == ha_mon
    late = client.post("/api/v1/cases", {**june, "received_at": "2025-07-02T09:00:00+07:00"}, **json(), **headers)
    assert late.status_code == 400
    assert late.json()["extra"]["fields"]["received_at"] == ["Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà"]
