"""Fixtures shared by every test directory (registered by the root conftest.py)."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def flushable_change_log(transactional_db):
    """Lets the flush that ends every transactional test empty the append-only change log.

    core_changelog refuses DELETE and TRUNCATE by database triggers (core migration 0002), so
    Django's flush fails and the test errors at teardown. Runs before that flush:
    - SQLite: drop the delete trigger, empty the table, put the trigger back; the flush then
      deletes from an empty table, which fires nothing.
    - PostgreSQL: switch this session's triggers off (session_replication_role = replica, as
      pg_restore does; the test role is a superuser) for the flush. The flush is followed by
      Django closing the connection, which ends the session and the setting with it.
    """
    yield
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        sqlite_triggers = importlib.import_module("cax.core.migrations.0002_changelog_append_only").SQLITE
        recreate = next(sql for sql in sqlite_triggers if "core_changelog_no_delete" in sql)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER core_changelog_no_delete")
            cursor.execute("DELETE FROM core_changelog")
            cursor.execute(recreate)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
