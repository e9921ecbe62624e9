"""The password hasher (issue 20.5): OWASP's Argon2id parameters, a sign-in within the memory
budget, and the hashes of Django's former parameters upgraded at the next sign-in."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, get_hasher, make_password
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from cax.accounts import hashers
from cax.accounts.models import SecurityEvent, User
from cax.accounts.tests.test_security import _django_env, sign_in
from cax.core.testing.cast import PASSWORD

CAX_HASHERS = ["cax.accounts.hashers.Argon2idPasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
NEW_PREFIX = "argon2$argon2id$v=19$m=12288,t=3,p=1$"
# Django's Argon2PasswordHasher, which CAX used before issue 20.5, and the budget it broke.
DJANGO_PARAMETERS = {"CAX_ARGON2_MEMORY_KIB": "102400", "CAX_ARGON2_TIME_COST": "2", "CAX_ARGON2_PARALLELISM": "8"}

# One hash and one verification with the production settings in a fresh interpreter; the peak
# resident memory (VmHWM) is read after Django and the Argon2 library are loaded, and after.
MEASURE_ONE_HASH = """
import json, django
django.setup()
from argon2.low_level import Type, hash_secret
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

def peak_bytes():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))

hash_secret(b"warm", b"0123456789abcdef", time_cost=1, memory_cost=8, parallelism=1, hash_len=32, type=Type.ID)
before = peak_bytes()
encoded = make_password("Mat-khau-thu-nghiem-2025")
assert check_password("Mat-khau-thu-nghiem-2025", encoded)
print(json.dumps({"hasher": settings.PASSWORD_HASHERS[0], "encoded": encoded, "added": peak_bytes() - before}))
"""


def _hash_once_in_production(tmp_path, **env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE_ONE_HASH],
        env=_django_env(tmp_path, **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_sign_in_hash_stays_within_the_documented_memory_budget(tmp_path):
    measured = _hash_once_in_production(tmp_path)

    assert measured["hasher"] == "cax.accounts.hashers.Argon2idPasswordHasher"
    assert measured["encoded"].startswith(NEW_PREFIX)
    # The parameters' 12 MiB, and little else.
    assert 12 * 1024 * 1024 * 0.9 < measured["added"] <= hashers.LOGIN_MEMORY_BUDGET_BYTES


def test_djangos_former_parameters_break_the_budget(tmp_path):
    """The same measurement sees the ~100 MB of m=100 MiB: putting it back fails the test above."""
    measured = _hash_once_in_production(tmp_path, **DJANGO_PARAMETERS)

    assert measured["encoded"].startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    assert measured["added"] > 5 * hashers.LOGIN_MEMORY_BUDGET_BYTES


def test_the_defaults_are_an_owasp_row_within_the_budget(settings):
    memory, time_cost = settings.CAX_ARGON2_MEMORY_KIB, settings.CAX_ARGON2_TIME_COST

    assert (memory, time_cost) in hashers.OWASP_ARGON2ID_MINIMUMS
    assert settings.CAX_ARGON2_PARALLELISM == 1
    assert memory * 1024 < hashers.LOGIN_MEMORY_BUDGET_BYTES


@pytest.mark.parametrize(("memory", "time_cost"), hashers.OWASP_ARGON2ID_MINIMUMS + ((65536, 3), (12288, 4)))
def test_every_owasp_row_and_stronger_is_accepted(settings, memory, time_cost):
    settings.CAX_ARGON2_MEMORY_KIB, settings.CAX_ARGON2_TIME_COST = memory, time_cost

    hashers.check_parameters()


@pytest.mark.parametrize(
    ("memory", "time_cost", "lanes"), [(12288, 2, 1), (19455, 2, 1), (46000, 1, 1), (7000, 5, 1), (12288, 3, 0)]
)
def test_parameters_below_owasp_are_refused(settings, memory, time_cost, lanes):
    settings.CAX_ARGON2_MEMORY_KIB, settings.CAX_ARGON2_TIME_COST = memory, time_cost
    settings.CAX_ARGON2_PARALLELISM = lanes

    with pytest.raises(ImproperlyConfigured, match="below OWASP's Argon2id minimum"):
        hashers.check_parameters()


def test_weak_parameters_in_the_environment_stop_django_from_starting(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=_django_env(tmp_path, CAX_ARGON2_MEMORY_KIB="4096"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "CAX_ARGON2_MEMORY_KIB=4096" in result.stderr


@pytest.fixture(scope="module")
def former_hash() -> str:
    """The test password as the previous release stored it: Django's m=100 MiB, t=2, p=8."""
    return make_password(PASSWORD, hasher=Argon2PasswordHasher())


@pytest.fixture
def argon2_hashers(settings):
    settings.PASSWORD_HASHERS = CAX_HASHERS  # the test settings hash with MD5


def test_a_former_hash_signs_in_and_is_rehashed_with_the_new_parameters(cast, argon2_hashers, former_hash):
    User.objects.filter(pk=cast.province_staff.pk).update(password=former_hash)
    assert get_hasher().must_update(former_hash)
    client = Client()

    response = sign_in(client, "staff_a", PASSWORD)

    assert response.status_code == 302
    stored = User.objects.get(pk=cast.province_staff.pk).password
    assert stored.startswith(NEW_PREFIX)
    assert check_password(PASSWORD, stored)
    assert not get_hasher().must_update(stored)
    # The session was made after the rehash, so it survives its own password hash changing.
    assert client.get(reverse("home")).status_code == 200
    # A rehash is no password change: the security log records only the sign-in.
    kinds = set(SecurityEvent.objects.filter(username="staff_a").values_list("kind", flat=True))
    assert kinds == {SecurityEvent.Kind.LOGIN}

    assert sign_in(Client(), "staff_a", PASSWORD).status_code == 302
    assert User.objects.get(pk=cast.province_staff.pk).password == stored  # already up to date


def test_a_wrong_password_leaves_the_former_hash_as_it_was(cast, argon2_hashers, former_hash):
    User.objects.filter(pk=cast.province_staff.pk).update(password=former_hash)

    assert sign_in(Client(), "staff_a", "sai-mat-khau-2025").status_code == 200

    assert User.objects.get(pk=cast.province_staff.pk).password == former_hash
