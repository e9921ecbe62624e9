"""Concurrent wrong passwords never get more real password checks than the lockout threshold
(issue 16.5: 40 concurrent attempts used to get 7 checks with a threshold of 5). Each attempt
takes its place on the account's counter row under a row lock before the password is checked.
PostgreSQL only: SQLite has one writer at a time anyway."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cax.accounts.models import LoginCounter, LoginFailure, SecurityEvent, User
from cax.accounts.roles import Role
from cax.core.testing.cast import make_user
from cax.units.models import Unit

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent sign-ins need PostgreSQL"),
]

ATTEMPTS, THRESHOLD = 40, 5


def test_forty_concurrent_wrong_passwords_get_at_most_the_threshold_of_checks(
    migration_data_after_flush, flushable_change_log, settings, monkeypatch
):
    settings.CAX_LOCKOUT_MAX_FAILURES_PER_USER = THRESHOLD
    settings.CAX_LOCKOUT_MAX_FAILURES_PER_ADDRESS = 1000
    make_user("target", Role.COMMUNE_OFFICER, Unit.objects.get(code="23500"))
    checks, lock = [], threading.Lock()
    real_check = User.check_password

    def counted_check(user, raw):
        with lock:
            checks.append(raw)
        time.sleep(0.05)  # a slow hash widens the window a check-then-count lockout loses in
        return real_check(user, raw)

    monkeypatch.setattr(User, "check_password", counted_check)
    barrier, statuses, errors = threading.Barrier(ATTEMPTS), [], []

    def attempt(n: int) -> None:
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                reverse("accounts:login"), {"username": "target", "password": f"sai-{n}"}, REMOTE_ADDR=f"10.0.1.{n}"
            )
            statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(checks) == THRESHOLD
    assert sorted(statuses) == [200] * THRESHOLD + [429] * (ATTEMPTS - THRESHOLD)
    assert LoginCounter.objects.get(key="u:target").failures == THRESHOLD
    assert LoginFailure.objects.filter(username="target").count() == THRESHOLD
    events = SecurityEvent.objects.filter(username="target")
    assert events.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).count() == ATTEMPTS
    assert events.filter(kind=SecurityEvent.Kind.LOCKOUT).count() == 1
