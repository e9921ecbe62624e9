"""The security log, the kept failures, revocation on a password change, the session timeouts and
the auditors' page (issue 16.5, docs/security.md)."""

from __future__ import annotations

import io
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cax.accounts.middleware import AUTH_AT, LAST_SEEN
from cax.accounts.models import ApiToken, SecurityEvent
from cax.accounts.roles import Role
from cax.accounts.services import security_event, token_create, user_set_password
from cax.core.testing.cast import PASSWORD, make_user

Kind = SecurityEvent.Kind
BROWSER = "Mozilla/5.0 (X11; Linux) " + "x" * 400


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=BROWSER,
    )


def signed_in(user) -> Client:
    """A client of its own (the ``login`` fixture hands out one shared client)."""
    client = Client()
    client.force_login(user)
    return client


def kinds(username: str) -> list[str]:
    return list(SecurityEvent.objects.filter(username=username).order_by("chain_seq").values_list("kind", flat=True))


# -- what is logged --------------------------------------------------------------------------------


def test_a_sign_in_and_a_sign_out_are_logged_with_address_and_browser(cast):
    client = Client()
    assert sign_in(client, "officer_a", PASSWORD, address="10.1.2.3").status_code == 302
    assert client.post(reverse("accounts:logout"), REMOTE_ADDR="10.1.2.3").status_code == 302

    login, logout = SecurityEvent.objects.filter(username="officer_a").order_by("chain_seq")
    assert (login.kind, logout.kind) == (Kind.LOGIN, Kind.LOGOUT)
    assert login.user == cast.commune_officer
    assert login.unit_path == cast.commune_a.path
    assert login.address == "10.1.2.3"
    assert login.user_agent == BROWSER[:300]


def test_failures_are_logged_and_kept_and_the_lockout_once(cast, settings):
    settings.CAX_LOCKOUT_MAX_FAILURES_PER_USER = 3
    client = Client()
    for _ in range(3):
        assert sign_in(client, "Officer_A", "sai").status_code == 200
    assert sign_in(client, "officer_a", PASSWORD).status_code == 429
    assert sign_in(client, "officer_a", PASSWORD).status_code == 429

    assert kinds("officer_a") == [Kind.LOGIN_FAILED] * 3 + [Kind.LOCKOUT] + [Kind.LOGIN_FAILED] * 2
    refused = SecurityEvent.objects.filter(username="officer_a", kind=Kind.LOGIN_FAILED).order_by("chain_seq")
    assert [e.detail["reason"] for e in refused] == ["password"] * 3 + ["locked"] * 2
    # Filed under the account's unit, though the typed name differed in case.
    assert {e.user_id for e in refused} == {cast.commune_officer.pk}


def test_a_failure_for_an_unknown_name_has_no_user_and_no_unit(cast):
    sign_in(Client(), "khong-ai-ca", "sai")
    event = SecurityEvent.objects.get(username="khong-ai-ca")
    assert (event.kind, event.user_id, event.unit_path) == (Kind.LOGIN_FAILED, None, "")


def test_creating_and_revoking_a_token_are_logged(cast, login):
    client = login(cast.commune_officer)
    client.post(reverse("accounts:profile"), {"create_token": "1", "name": "máy báo cáo", "expires_at": ""})
    token = ApiToken.objects.get(user=cast.commune_officer)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    created, revoked = SecurityEvent.objects.filter(user=cast.commune_officer).exclude(kind=Kind.LOGIN)
    assert {created.kind, revoked.kind} == {Kind.TOKEN_CREATED, Kind.TOKEN_REVOKED}
    assert created.detail["token_id"] == token.pk == revoked.detail["token_id"]


# -- a token used from a new address ---------------------------------------------------------------


def api_get(raw: str, address: str):
    return Client().get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}, REMOTE_ADDR=address)


def test_a_token_used_from_a_new_address_writes_one_event_not_one_per_request(cast):
    _token, raw = token_create(actor=None, user=cast.commune_officer, name="báo cáo")
    for address in ["10.0.0.1"] * 3 + ["10.0.0.2"] * 2 + ["10.0.0.1"]:
        assert api_get(raw, address).status_code == 200

    seen = SecurityEvent.objects.filter(kind=Kind.TOKEN_NEW_ADDRESS).order_by("chain_seq")
    # Back on an address seen before: nothing new.
    assert [e.address for e in seen] == ["10.0.0.1", "10.0.0.2"]
    assert seen[0].user == cast.commune_officer


# -- a password change revokes tokens and ends other sessions --------------------------------------


def test_changing_ones_password_revokes_tokens_and_ends_other_sessions_but_not_this_one(cast):
    _token, raw = token_create(actor=None, user=cast.commune_officer, name="báo cáo")
    here, elsewhere = signed_in(cast.commune_officer), signed_in(cast.commune_officer)
    response = here.post(
        reverse("accounts:profile"),
        {"change_password": "1", "old_password": PASSWORD, "new_password": "Mat-khau-moi-2026!"},
    )
    assert response.status_code == 302

    assert api_get(raw, "10.0.0.1").status_code == 401
    assert here.get(reverse("accounts:profile")).status_code == 200
    assert elsewhere.get(reverse("accounts:profile")).status_code == 302
    assert SESSION_KEY not in elsewhere.session
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert event.detail == {"by_admin": False, "tokens_revoked": 1}


def test_an_admin_reset_revokes_the_users_tokens_and_ends_all_their_sessions(cast):
    _token, raw = token_create(actor=None, user=cast.commune_officer, name="báo cáo")
    theirs = signed_in(cast.commune_officer)
    user_set_password(actor=cast.admin, user=cast.commune_officer, password="Mat-khau-moi-2026!")

    assert api_get(raw, "10.0.0.1").status_code == 401
    assert theirs.get(reverse("accounts:profile")).status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert (event.user, event.actor, event.detail["by_admin"]) == (cast.commune_officer, cast.admin, True)


# -- idle and absolute timeouts --------------------------------------------------------------------


def age_session(client, *, idle: int = 0, since_sign_in: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle
    session[AUTH_AT] = now - max(since_sign_in, idle)
    session.save()


def test_an_idle_session_goes_to_the_login_page_with_a_vietnamese_message(cast, login, settings):
    settings.CAX_SESSION_IDLE_MINUTES = 30
    client = login(cast.commune_officer)
    age_session(client, idle=29 * 60)
    assert client.get(reverse("accounts:profile")).status_code == 200

    age_session(client, idle=31 * 60)
    response = client.get(reverse("accounts:profile"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "không hoạt động quá 30 phút" in response.content.decode()
    assert SESSION_KEY not in client.session
    event = SecurityEvent.objects.get(kind=Kind.SESSION_EXPIRED)
    assert (event.user, event.detail) == (cast.commune_officer, {"reason": "idle"})


def test_activity_does_not_stretch_the_absolute_limit(cast, login, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client = login(cast.commune_officer)
    age_session(client, idle=60, since_sign_in=8 * 3600 + 1)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert SecurityEvent.objects.get(kind=Kind.SESSION_EXPIRED).detail == {"reason": "absolute"}


def test_activity_moves_the_idle_clock(cast, login):
    client = login(cast.commune_officer)
    age_session(client, idle=10 * 60)
    client.get(reverse("accounts:profile"))
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_an_htmx_request_of_an_idle_session_gets_401_and_hx_redirect(cast, login):
    client = login(cast.commune_officer)
    age_session(client, idle=31 * 60)
    response = client.get(reverse("accounts:users"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_the_apis_session_auth_obeys_the_idle_timeout(cast, login):
    client = login(cast.commune_officer)
    assert client.get("/api/v1/units").status_code == 200
    age_session(client, idle=31 * 60)
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


# -- the auditors' page ----------------------------------------------------------------------------


@pytest.fixture
def events(cast):
    security_event(Kind.LOGIN, user=cast.commune_officer)
    security_event(Kind.LOGIN, user=cast.commune_c_officer)
    security_event(Kind.LOGIN_FAILED, username="ai-do-la")
    security_event(Kind.LOGIN_FAILED, user=cast.province_leader)


def listed(client, **params) -> list[str]:
    response = client.get(reverse("accounts:security_log"), params)
    assert response.status_code == 200
    return sorted({e.username for e in response.context["page"]})


def test_a_top_level_auditor_sees_every_event_including_unknown_names(cast, login, events):
    assert listed(login(cast.auditor)) == ["ai-do-la", "leader_a", "officer_a", "officer_c"]


def test_a_province_auditor_sees_only_the_events_of_users_in_the_province(cast, login, events):
    auditor = make_user("auditor_a", Role.AUDITOR, cast.province_a)
    assert listed(login(auditor)) == ["leader_a", "officer_a"]
    admin_a = make_user("admin_a", Role.ADMINISTRATOR, cast.province_a)
    assert listed(login(admin_a)) == ["leader_a", "officer_a"]


def test_other_roles_may_not_open_the_security_log(cast, login):
    for user in (cast.commune_chief, cast.province_leader, cast.ministry_leader):
        assert login(user).get(reverse("accounts:security_log")).status_code == 403


def test_the_menu_shows_the_log_to_auditors_and_admins_only(cast, login):
    url = reverse("accounts:security_log")
    assert url in login(cast.auditor).get(reverse("accounts:users")).content.decode()
    assert url in login(cast.admin).get(reverse("accounts:users")).content.decode()
    assert url not in login(cast.commune_chief).get(reverse("accounts:profile")).content.decode()


def test_filters_and_a_search_that_ignores_diacritics(cast, login, events):
    cast.commune_officer.full_name = "Nguyễn Văn Đức"
    cast.commune_officer.save()
    security_event(Kind.LOGOUT, user=cast.commune_officer)
    client = login(cast.auditor)
    assert listed(client, q="nguyen van duc") == ["officer_a"]
    assert listed(client, kind=Kind.LOGIN_FAILED) == ["ai-do-la", "leader_a"]
    assert listed(client, username="officer_c") == ["officer_c"]
    today = time.strftime("%Y-%m-%d")
    assert len(listed(client, date_from=today, date_to=today)) == 4
    assert listed(client, date_to="2020-01-01") == []


def test_the_page_paginates_and_its_query_count_does_not_grow(cast, login, events, django_assert_max_num_queries):
    client = login(cast.auditor)
    client.get(reverse("accounts:security_log"))
    with django_assert_max_num_queries(9) as few:
        client.get(reverse("accounts:security_log"))
    for n in range(40):
        security_event(Kind.LOGIN, user=cast.commune_officer if n % 2 else cast.province_leader, actor=cast.admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:security_log"), {"page_size": 20, "page": 2})
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 20


def test_the_excel_export_holds_the_filtered_rows(cast, login, events):
    response = login(cast.auditor).get(reverse("accounts:security_log"), {"kind": Kind.LOGIN, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời điểm", "Loại sự kiện", "Tên đăng nhập")
    assert sorted(r[2] for r in rows[1:]) == ["officer_a", "officer_c"]
