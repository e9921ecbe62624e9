"""What the database itself enforces about the append-only logs (issue 16.2, docs/decisions/0008).

- Triggers on every ``AppendOnlyLog`` table refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)
  to everyone, table owner included. They are (re)installed after every migrate, so a new log, or
  a log whose table SQLite rebuilt (which drops its triggers), is covered without hand-written SQL.
- On PostgreSQL, two roles: the owner runs migrations and owns every table; the app role that the
  web and worker processes connect as has SELECT/INSERT/UPDATE/DELETE on ordinary tables and only
  SELECT/INSERT on the logs. Not owning them, it cannot ALTER, DISABLE or DROP their triggers, nor
  TRUNCATE them. ``setup_sql`` (command ``setup_db_roles``) creates the roles; ``grant_sql`` is
  re-applied by the owner after every migrate.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from cax.core.auditchain import protected_models

logger = logging.getLogger(__name__)

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
PG_FUNCTION = "cax_append_only"


def _q(name: str) -> str:
    """A role, table or database name, quoted; only plain lowercase names are accepted (so they
    need no escaping and mean the same in psql and here)."""
    if not ROLE_NAME.match(name):
        raise ValueError(f"Tên không hợp lệ cho PostgreSQL (chỉ chữ thường, số, dấu gạch dưới): {name!r}")
    return f'"{name}"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- triggers ------------------------------------------------------------------------------------


def trigger_sql(vendor: str, table: str) -> list[str]:
    """Statements that (re)install the append-only triggers on ``table``; safe to run again."""
    t = _q(table)
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {t} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {t} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        ]
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
            f"CREATE OR REPLACE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {t} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            # TRUNCATE bypasses row triggers, so it needs its own statement-level trigger.
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {t} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
            # Replacing keeps a trigger's enabled state: switch back on one an owner switched off.
            f"ALTER TABLE {t} ENABLE TRIGGER {table}_no_update_delete",
            f"ALTER TABLE {t} ENABLE TRIGGER {table}_no_truncate",
        ]
    return []


def drop_trigger_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {_q(table)}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {_q(table)}",
        ]
    return []


def install_triggers(connection: BaseDatabaseWrapper, table: str) -> None:
    with connection.cursor() as cursor:
        for statement in trigger_sql(connection.vendor, table):
            cursor.execute(statement)


@contextlib.contextmanager
def triggers_lifted(connection: BaseDatabaseWrapper, table: str) -> Iterator[None]:
    """Run the block with ``table``'s append-only triggers off, then put them back.

    For migrations that must fill a new column of existing log rows, and for tests that forge a
    row as an owner would. Run it inside a transaction: if the block fails, the triggers were
    never off for anyone else (PostgreSQL and SQLite DDL are transactional).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        elif connection.vendor == "postgresql":
            # Only those that exist: a log's first migration runs before it has any.
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = ANY(%s)",
                [table, [f"{table}_no_update_delete", f"{table}_no_truncate"]],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {_q(table)} DISABLE TRIGGER {name}")
    yield
    install_triggers(connection, table)


# -- roles and grants (PostgreSQL) -----------------------------------------------------------------


def protected_tables() -> list[str]:
    return [model._meta.db_table for model in protected_models()]


def grant_sql(app: str, protected: list[str]) -> list[str]:
    """The app role's rights: everything on ordinary tables, SELECT and INSERT on the logs.

    Re-applied after every migrate; a table created since is covered then, and not before (no
    default privileges: a new log must never be writable for a moment).
    """
    a = _q(app)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}",
        # The app reads which migrations ran; only migrate (the owner) records them.
        _if_table("django_migrations", f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {a}"),
    ]
    for table in protected:
        revoke = f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {_q(table)} FROM {a}, PUBLIC"
        statements.append(_if_table(table, revoke))
    return statements


def _if_table(table: str, statement: str) -> str:
    """``statement`` if ``table`` exists yet (roles are set up before the first migrate)."""
    return f"DO $$ BEGIN IF to_regclass({_literal('public.' + table)}) IS NOT NULL THEN {statement}; END IF; END $$"


# Every table, view, sequence and function of the schema not yet the owner's becomes the owner's
# (an install made before the owner role existed, where the app role created everything). Sequences
# that belong to a column follow their table; objects of extensions stay with the extension.
TRANSFER_OWNERSHIP = """DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
             AND c.relowner <> {owner_literal}::regrole
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                             AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO {owner}',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                     WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> {owner_literal}::regrole
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                             AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO {owner}', r.name);
  END LOOP;
END $$"""


def _role_sql(role: str, password: str) -> list[str]:
    r = _q(role)
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(role)}) "
        f"THEN CREATE ROLE {r}; END IF; END $$",
        f"ALTER ROLE {r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
    ]
    if password:
        statements.append(f"ALTER ROLE {r} PASSWORD {_literal(password)}")
    return statements


def setup_sql(
    *, database: str, owner: str, app: str, owner_password: str = "", app_password: str = "", protected: list[str]
) -> list[str]:
    """Statements a superuser runs, connected to ``database``, to create (or repair) both roles.

    Idempotent: run it again after changing a password, or on an install where the app role
    still owns the tables.
    """
    if owner == app:
        raise ValueError("Vai trò sở hữu và vai trò ứng dụng phải khác nhau.")
    o, a, d = _q(owner), _q(app), _q(database)
    return [
        *_role_sql(owner, owner_password),
        *_role_sql(app, app_password),
        # A member of the owner role would have the owner's rights: the app role must not be one.
        f"DO $$ BEGIN IF pg_has_role({_literal(app)}, {_literal(owner)}, 'MEMBER') THEN REVOKE {o} FROM {a}; "
        "END IF; END $$",
        # The owner of the database or the schema could drop any table in it: the app role owns neither.
        f"ALTER DATABASE {d} OWNER TO {o}",
        f"ALTER SCHEMA public OWNER TO {o}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON DATABASE {d} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {d} TO {a}",
        TRANSFER_OWNERSHIP.format(owner=o, owner_literal=_literal(owner)),
        *grant_sql(app, protected),
    ]


def owner_settings() -> tuple[str, str]:
    return settings.CAX_DB_OWNER_USER, settings.CAX_DB_OWNER_PASSWORD


@contextlib.contextmanager
def connected_as_owner(alias: str = "default") -> Iterator[bool]:
    """Run the block with ``alias`` connected as the owner role (CAX_DB_OWNER_USER), if one is set
    and differs from the app role; yields whether it switched. Used by ``migrate``.

    The connection's settings are replaced for the block, not edited: they are the same dict as
    settings.DATABASES, which must keep naming the app role.
    """
    connection = connections[alias]
    owner, password = owner_settings()
    if connection.vendor != "postgresql" or not owner or owner == connection.settings_dict["USER"]:
        yield False
        return
    if connection.in_atomic_block:
        raise RuntimeError("connected_as_owner() cannot switch roles inside a transaction")
    original = connection.settings_dict
    connection.close()
    connection.settings_dict = {**original, "USER": owner, "PASSWORD": password}
    try:
        yield True
    finally:
        connection.close()
        connection.settings_dict = original


def _current_user(connection: BaseDatabaseWrapper) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def _migrated_logs(connection: BaseDatabaseWrapper) -> list[str]:
    """The log tables that exist with their chain columns: a table migrated back to before it
    became a log (``migrate cases 0005``) is left alone, or the triggers would refuse the data
    migration that chains its rows on the way forward again."""
    tables = set(connection.introspection.table_names())
    migrated = []
    with connection.cursor() as cursor:
        for table in protected_tables():
            if table in tables:
                columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
                if {"chain_seq", "chain_prev", "chain_hash"} <= columns:
                    migrated.append(table)
    return migrated


def protect_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate (once per migrate, on core's signal): triggers on every log; on PostgreSQL, when
    migrate ran as the owner role, the app role's grants again, so a table created by this
    migrate is covered."""
    if sender.name != "cax.core":
        return
    connection = connections[using]
    for table in _migrated_logs(connection):
        install_triggers(connection, table)
    owner, _password = owner_settings()
    if connection.vendor != "postgresql" or not owner:
        return
    app = settings.DATABASES[using]["USER"]
    if _current_user(connection) != owner:
        logger.warning("migrate did not run as the owner role %s: the grants of %s were not re-applied", owner, app)
        return
    with connection.cursor() as cursor:
        for statement in grant_sql(app, protected_tables()):
            cursor.execute(statement)
