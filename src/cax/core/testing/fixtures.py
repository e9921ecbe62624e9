"""Fixtures shared by every test directory (registered by the root conftest.py)."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def flushable_change_log(transactional_db):
    """Lets the flush that ends every transactional test empty the append-only logs (the change
    log, the identity-access log, every ``AppendOnlyLog``).

    Their triggers refuse DELETE and TRUNCATE (core.dbroles), so Django's flush fails and the test
    errors at teardown. Runs before that flush:
    - SQLite: lift each log's triggers, empty the table, put the triggers back; the flush then
      deletes from an empty table, which fires nothing.
    - PostgreSQL: switch this session's triggers off (session_replication_role = replica, as
      pg_restore does; the test role is a superuser) for the flush. The flush is followed by
      Django closing the connection, which ends the session and the setting with it.
    """
    yield
    from django.db import connection, transaction

    from cax.core.dbroles import protected_tables, triggers_lifted

    if connection.vendor == "sqlite":
        tables = set(connection.introspection.table_names())
        with transaction.atomic(), connection.cursor() as cursor:
            for table in protected_tables():
                if table in tables:
                    with triggers_lifted(connection, table):
                        cursor.execute(f"DELETE FROM {table}")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


# The rows data migrations put in (each insert is a get_or_create). A transactional test's flush
# removes them with everything else; grassroots' national criteria need the tree, so are left out.
MIGRATION_DATA = [
    ("cax.units.migrations.0002_unit_types", "add_types"),
    ("cax.units.migrations.0004_village_types", "add_types"),
    ("cax.cases.migrations.0002_reference_data", "add"),
    ("cax.deployment.migrations.0002_national_norms", "add_norms"),
    ("cax.facilities.migrations.0002_national_standard", "add_items"),
]


def put_back_migration_data() -> None:
    from django.apps import apps

    from cax.units.models import UnitType

    if UnitType.objects.exists():
        return
    for module, function in MIGRATION_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def migration_data_after_flush(django_db_blocker):
    """Put the migrations' reference data back after this transactional test's flush, for the
    transactional tests that follow (they expect what the first one of a run sees).

    List it before ``transactional_db`` / ``flushable_change_log`` in the test's arguments, and
    do not mark the test ``django_db``: fixtures end in reverse order, so it then runs after the
    flush.
    """
    yield
    with django_db_blocker.unblock():
        put_back_migration_data()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "raw_form_posts: the test client's form POSTs get no automatic one-time submit token"
    )


@pytest.fixture(autouse=True)
def submit_tokens_in_test_client(request, monkeypatch):
    """The test client posts a form the way a browser does after rendering it: with a fresh one-time
    submit token (core.idempotency), so tests of what a form does need not scrape the page first.

    Each POST gets its own token, so two posts in a test are two submits, as two renderings would
    be. Not added when the test sends its own ``cax_submit`` (even empty), for API paths, for
    non-form bodies, or under ``@pytest.mark.raw_form_posts``: the tests of the guarantee itself
    read the token off the rendered page (core/tests/test_submit_once.py).
    """
    if request.node.get_closest_marker("raw_form_posts"):
        return
    from django.test import client as test_client

    from cax.core.idempotency import TOKEN_FIELD, issue_token

    original_login, original_logout, original_post = (
        test_client.Client._login,
        test_client.Client.logout,
        test_client.Client.post,
    )

    def _login(self, user, backend=None):
        original_login(self, user, backend)
        self.cax_user_pk = user.pk  # remembered here: reading the session would cost a query

    def logout(self):
        original_logout(self)
        self.cax_user_pk = None

    def post(self, path, data=None, content_type=test_client.MULTIPART_CONTENT, *args, **kwargs):
        user_pk = getattr(self, "cax_user_pk", None)
        is_form = content_type == test_client.MULTIPART_CONTENT and (data is None or hasattr(data, "keys"))
        if user_pk is not None and is_form and not str(path).startswith("/api/") and TOKEN_FIELD not in (data or {}):
            data = data.copy() if data is not None else {}
            data[TOKEN_FIELD] = issue_token(user_pk)
        return original_post(self, path, data, content_type, *args, **kwargs)

    monkeypatch.setattr(test_client.Client, "_login", _login)
    monkeypatch.setattr(test_client.Client, "logout", logout)
    monkeypatch.setattr(test_client.Client, "post", post)
