"""Personal API tokens: made by the command or the profile page, stored hashed, revocable, tied to an active user."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from cax.accounts.models import ApiToken
from cax.accounts.services import token_create, user_update
from cax.core.models import ChangeLog

UNITS = "/api/v1/units"
NEW_TOKEN = re.compile(r'id="new-token".*?<code>([^<]+)</code>', re.DOTALL)


def api_get(raw: str, path: str = UNITS):
    """A request carrying only the token: no session, so nothing else can authenticate it."""
    return Client().get(path, headers={"Authorization": f"Bearer {raw}"})


def create_token_command(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("create_token", username, *args, stdout=out)
    return out.getvalue().strip()


def create_on_profile(client, name: str = "Máy chủ báo cáo") -> str:
    response = client.post(reverse("accounts:profile"), {"create_token": "1", "name": name, "expires_at": ""})
    assert response.status_code == 200
    match = NEW_TOKEN.search(response.content.decode())
    assert match, "the new token is shown on the page"
    return match.group(1)


# -- the command -----------------------------------------------------------------------------------


def test_create_token_command_prints_a_token_that_authenticates_as_that_user(cast):
    raw = create_token_command(cast.commune_officer.username)

    assert raw.startswith("cax_")
    assert "\n" not in raw
    response = api_get(raw)
    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == [cast.commune_a.code]
    token = ApiToken.objects.get(user=cast.commune_officer)
    assert token.name == "command line"


def test_create_token_command_takes_a_name_and_each_run_makes_a_new_token(cast):
    first = create_token_command(cast.province_leader.username, "--name", "báo cáo tuần")
    second = create_token_command(cast.province_leader.username)
    assert first != second
    assert api_get(first).status_code == 200
    assert api_get(second).status_code == 200
    names = set(ApiToken.objects.filter(user=cast.province_leader).values_list("name", flat=True))
    assert names == {"báo cáo tuần", "command line"}


def test_create_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="khong-co-ai"):
        create_token_command("khong-co-ai")
    assert not ApiToken.objects.exists()


def test_create_token_command_refuses_a_deactivated_user(cast):
    user_update(actor=None, user=cast.commune_officer, is_active=False)
    with pytest.raises(CommandError, match=cast.commune_officer.username):
        create_token_command(cast.commune_officer.username)
    assert not ApiToken.objects.filter(user=cast.commune_officer).exists()


# -- storage ---------------------------------------------------------------------------------------


def test_tokens_are_stored_hashed_never_raw(cast):
    raw = create_token_command(cast.commune_officer.username)
    token = ApiToken.objects.get(user=cast.commune_officer)

    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:12]
    assert len(raw) > 40  # 256 random bits; the 12-character prefix alone is useless
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert stored
    assert not any(raw in value for value in stored)
    logged = ChangeLog.objects.filter(object_type__icontains="token").values_list("before", "after", "message")
    assert logged
    assert not any(raw in str(entry) for entry in logged)


def test_a_hash_is_not_a_token(cast):
    token, _raw = token_create(actor=None, user=cast.commune_officer, name="x")
    assert api_get(token.token_hash).status_code == 401
    assert api_get("cax_" + token.token_hash).status_code == 401


def test_first_use_is_recorded(cast):
    token, raw = token_create(actor=None, user=cast.commune_officer, name="x")
    assert token.last_used_at is None
    assert api_get(raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


# -- the profile page ------------------------------------------------------------------------------


def test_profile_shows_a_new_token_once_then_only_its_prefix(cast, login):
    client = login(cast.commune_officer)
    raw = create_on_profile(client)
    token = ApiToken.objects.get(user=cast.commune_officer)
    assert token.name == "Máy chủ báo cáo"
    assert token.prefix == raw[:12]
    assert api_get(raw).status_code == 200

    later = client.get(reverse("accounts:profile")).content.decode()
    assert raw not in later
    assert raw[12:20] not in later
    assert 'id="new-token"' not in later
    assert f"{token.prefix}…" in later
    assert "Máy chủ báo cáo" in later


def test_profile_lists_only_the_users_own_tokens(cast, login):
    token_create(actor=None, user=cast.province_leader, name="Token của lãnh đạo")
    client = login(cast.commune_officer)
    create_on_profile(client, name="Token của cán bộ")
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Token của cán bộ" in body
    assert "Token của lãnh đạo" not in body


def test_a_token_needs_a_name(cast, login):
    client = login(cast.commune_officer)
    response = client.post(reverse("accounts:profile"), {"create_token": "1", "name": "  "})
    assert response.status_code == 200
    assert not NEW_TOKEN.search(response.content.decode())
    assert not ApiToken.objects.filter(user=cast.commune_officer).exists()


def test_revoking_on_the_profile_page_makes_the_token_401(cast, login):
    client = login(cast.commune_officer)
    raw = create_on_profile(client)
    keep = create_on_profile(client, name="giữ lại")
    token = ApiToken.objects.get(user=cast.commune_officer, prefix=raw[:12])
    assert api_get(raw).status_code == 200

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")

    refused = api_get(raw)
    assert refused.status_code == 401
    assert set(refused.json()) == {"message", "extra"}
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_get(keep).status_code == 200  # only that token
    kept = ApiToken.objects.get(user=cast.commune_officer, prefix=keep[:12])
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:token_revoke", args=[token.pk]) not in page  # no revoke button any more
    assert reverse("accounts:token_revoke", args=[kept.pk]) in page


def test_revoking_needs_a_post(cast, login):
    client = login(cast.commune_officer)
    raw = create_on_profile(client)
    token = ApiToken.objects.get(user=cast.commune_officer)
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    assert api_get(raw).status_code == 200


def test_nobody_revokes_another_users_token_from_their_profile(cast, login):
    token, raw = token_create(actor=None, user=cast.commune_officer, name="của cán bộ")
    client = login(cast.admin)  # even an administrator: the profile page manages one's own tokens
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_get(raw).status_code == 200


# -- the owner's account ---------------------------------------------------------------------------


def test_a_deactivated_users_token_is_refused(cast):
    _token, raw = token_create(actor=None, user=cast.commune_officer, name="x")
    assert api_get(raw).status_code == 200

    user_update(actor=cast.admin, user=cast.commune_officer, is_active=False)

    response = api_get(raw)
    assert response.status_code == 401
    assert set(response.json()) == {"message", "extra"}
    assert api_get(raw, f"{UNITS}/{cast.commune_a.code}").status_code == 401


def test_a_token_follows_its_owner_when_they_move_unit(cast):
    _token, raw = token_create(actor=None, user=cast.commune_officer, name="x")
    assert api_get(raw, f"{UNITS}/{cast.commune_b.code}").status_code == 404

    user_update(actor=cast.admin, user=cast.commune_officer, unit=cast.commune_b)

    assert api_get(raw, f"{UNITS}/{cast.commune_b.code}").status_code == 200
    assert api_get(raw, f"{UNITS}/{cast.commune_a.code}").status_code == 404
