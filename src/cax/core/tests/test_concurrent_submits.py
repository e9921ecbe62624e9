"""One record per submit when the two submits arrive at once (#14), on two database connections as
two app processes behind PostgreSQL would hold: the second waits for the first to commit, then is
answered like it. PostgreSQL only: SQLite serialises writers for the whole database anyway.

Transactional tests flush every table when they end, migration data included: these put back the
reference data and the official tree they need when an earlier one flushed them (as the browser
tests do), and the migrations' data after their own flush, for the transactional tests after them.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cax.api.idempotency import HEADER, REPLAYED
from cax.cases import services
from cax.cases.models import Case as CrimeReport
from cax.core.tests.test_submit_once import ALREADY_SENT, CRIME_REPORT, _messages, _register_page

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"),
    pytest.mark.raw_form_posts,
]


@pytest.fixture
def slow_register(monkeypatch):
    """The write takes long enough that the second request surely arrives while it runs."""
    original = services.case_register

    def slow(*args, **kwargs):
        time.sleep(0.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "case_register", slow)


@pytest.fixture
def tree_cast(flushable_change_log):
    from cax.core.testing.cast import build_cast
    from cax.core.testing.fixtures import put_back_migration_data
    from cax.units.models import Unit
    from cax.units.official import load_official_units

    put_back_migration_data()  # if an earlier transactional test flushed it
    if not Unit.objects.filter(code="23500").exists():
        load_official_units()
    return build_cast()


def at_once(*calls):
    barrier, answers, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            answers[index] = call()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


def test_two_submits_of_one_form_at_once_create_one_report(migration_data_after_flush, tree_cast, slow_register):
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(tree_cast.commune_officer)
    url, form = _register_page(tree_cast, clients[0])
    data = form.data(**CRIME_REPORT, confirm="1")
    first, second = at_once(*[lambda c=c: c.post(url, data) for c in clients])
    report = CrimeReport.objects.get()
    assert first["Location"] == second["Location"] == reverse("cases:detail", args=[report.pk])
    assert sorted(ALREADY_SENT in _messages(r) for r in (first, second)) == [False, True]


def test_two_api_calls_with_one_key_at_once_run_once(migration_data_after_flush, tree_cast, slow_register):
    from cax.api.tests.test_idempotency import REPORT, bearer

    headers = {**bearer(tree_cast.commune_officer), HEADER: "cung-luc"}

    def call():
        return Client().post("/api/v1/cases", REPORT, content_type="application/json", headers=headers)

    first, second = at_once(call, call)
    assert first.status_code == second.status_code == 201
    assert first.content == second.content
    assert sorted(REPLAYED in a for a in (first, second)) == [False, True]
    assert CrimeReport.objects.count() == 1
