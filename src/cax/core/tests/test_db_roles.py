"""The two PostgreSQL roles (issue 16.2): as the app role the site connects as, nothing can alter,
disable, drop or empty the two logs; inserts and reads work, and so does every ordinary table.
Migrations run as the owner role and re-grant the app role afterwards.

The roles are made by the real command (``setup_db_roles``) on this worker's test database,
connected as the test cluster's superuser; afterwards everything goes back to that superuser and
the roles are dropped. Transactional tests: the roles must be committed for other connections to
see them (every write made here is rolled back by hand; the flush at the end empties the rest).
"""

from __future__ import annotations

import contextlib
import io
import os

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_migrate
from django.test import override_settings

from cax.core.auditchain import verify
from cax.core.changelog import record_change
from cax.core.dbroles import triggers_lifted
from cax.core.models import ChangeLog, Revision

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
]

LOGS = ["core_changelog", "cases_identityaccess", "accounts_securityevent", "supervision_fileaccess"]
SUFFIX = os.environ.get("PYTEST_XDIST_WORKER", "main").replace("-", "_")
OWNER, APP = f"cax_test_owner_{SUFFIX}", f"cax_test_app_{SUFFIX}"
OWNER_PW, APP_PW = "owner-password-16", "app-password-16"


class Roles:
    def __init__(self, settings_dict: dict):
        self.settings_dict = settings_dict

    def connect(self, user: str, password: str) -> psycopg.Connection:
        s = self.settings_dict
        return psycopg.connect(dbname=s["NAME"], user=user, password=password, host=s["HOST"], port=s["PORT"])

    def app(self) -> psycopg.Connection:
        return self.connect(APP, APP_PW)

    def owner(self) -> psycopg.Connection:
        return self.connect(OWNER, OWNER_PW)


@contextlib.contextmanager
def django_connected_as(user: str, password: str):
    """Django's own connection (settings.DATABASES["default"], the same dict) as ``user``: the
    configuration of a deployment, where CAX_DB_USER is the app role."""
    assert settings.DATABASES["default"] is connection.settings_dict
    saved = connection.settings_dict["USER"], connection.settings_dict["PASSWORD"]
    connection.close()
    connection.settings_dict["USER"], connection.settings_dict["PASSWORD"] = user, password
    try:
        with override_settings(CAX_DB_OWNER_USER=OWNER, CAX_DB_OWNER_PASSWORD=OWNER_PW):
            yield
    finally:
        connection.close()
        connection.settings_dict["USER"], connection.settings_dict["PASSWORD"] = saved


@pytest.fixture
def roles(migration_data_after_flush, flushable_change_log):
    superuser = connection.settings_dict["USER"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("needs a superuser to create roles (the ./cax test cluster's)")
    connection.close()
    roles = Roles(dict(connection.settings_dict))
    with django_connected_as(APP, APP_PW):
        for _twice in range(2):  # a second run repairs and changes nothing
            call_command("setup_db_roles", admin_user=superuser, stdout=io.StringIO())
    try:
        yield roles
    finally:
        with roles.connect(superuser, connection.settings_dict["PASSWORD"]) as admin:
            admin.autocommit = True
            admin.execute(f'REASSIGN OWNED BY "{OWNER}" TO "{superuser}"')
            admin.execute(f'DROP OWNED BY "{APP}", "{OWNER}"')
            admin.execute(f'DROP ROLE "{APP}", "{OWNER}"')
            admin.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{roles.settings_dict["NAME"]}" TO PUBLIC')


def refused(conn: psycopg.Connection, sql: str) -> psycopg.Error | None:
    """The error ``sql`` raised as this role, or None; always rolled back."""
    try:
        with conn.transaction():
            conn.execute(sql)
            raise _Rollback
    except _Rollback:
        return None
    except psycopg.Error as exc:
        return exc


class _Rollback(Exception):
    pass


ATTACKS = [
    "UPDATE {t} SET chain_hash = 'x'",
    "DELETE FROM {t}",
    "TRUNCATE {t}",
    "TRUNCATE {t} CASCADE",
    "ALTER TABLE {t} DISABLE TRIGGER {t}_no_update_delete",
    "ALTER TABLE {t} DISABLE TRIGGER ALL",
    "DROP TRIGGER {t}_no_update_delete ON {t}",
    "DROP TRIGGER {t}_no_truncate ON {t}",
    "DROP TABLE {t}",
    "ALTER TABLE {t} OWNER TO CURRENT_USER",
    "ALTER TABLE {t} RENAME TO {t}_old",
    "CREATE TRIGGER undo BEFORE INSERT ON {t} FOR EACH ROW EXECUTE FUNCTION cax_append_only()",
    "CREATE OR REPLACE FUNCTION cax_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$",
    "SET session_replication_role = replica",
]


def test_the_app_role_cannot_rewrite_empty_or_unprotect_the_logs(roles):
    allowed = {}
    with roles.app() as app:
        for table in LOGS:
            for attack in ATTACKS:
                error = refused(app, attack.format(t=table))
                if not isinstance(error, psycopg.errors.InsufficientPrivilege):
                    allowed[attack.format(t=table)] = error
    assert allowed == {}


def test_the_app_role_has_no_way_around_through_the_database_or_the_schema(roles):
    with roles.app() as app:
        row = app.execute(
            "SELECT pg_has_role(current_user, %s, 'MEMBER'), has_schema_privilege('public', 'CREATE'),"
            " has_database_privilege(current_database(), 'CREATE'),"
            " (SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls"
            "  FROM pg_roles WHERE rolname = current_user)",
            [OWNER],
        ).fetchone()
    assert row == (False, False, False, False)


def test_the_app_role_appends_and_reads_the_logs_and_writes_ordinary_tables(roles):
    with roles.app() as app:
        with contextlib.suppress(_Rollback), app.transaction():
            app.execute(
                "INSERT INTO core_changelog (time, actor_name, request_id, action, object_type, object_id,"
                " object_repr, unit_path, message, search_key) VALUES"
                " (now(), 'x', 'req-app', 'create', 'units.unit', '1', 'x', '/', '', '')"
            )
            # The foreign keys are checked at commit; the privilege at once.
            app.execute("INSERT INTO cases_identityaccess (case_id, user_id, at, channel) VALUES (0, 0, now(), 'web')")
            assert app.execute("SELECT count(*) FROM core_changelog WHERE request_id = 'req-app'").fetchone() == (1,)
            app.execute("SELECT count(*) FROM cases_identityaccess").fetchone()
            app.execute(
                "INSERT INTO accounts_securityevent (time, kind, username, unit_path, user_agent, detail, search_key)"
                " VALUES (now(), 'login_failed', 'x', '', '', '{}', '')"
            )
            assert app.execute("SELECT count(*) FROM accounts_securityevent WHERE username = 'x'").fetchone() == (1,)
            app.execute("UPDATE core_revision SET value = value + 1")
            app.execute("UPDATE units_unit SET population = population WHERE code = '23500'")
            app.execute("DELETE FROM core_submittoken")
            app.execute("UPDATE core_auditchain SET length = length")  # the chain's head moves on every append
            raise _Rollback


def test_the_app_roles_own_write_path_chains_rows(roles):
    """Through Django as the app role: record_change locks the chain head and appends."""
    with django_connected_as(APP, APP_PW):
        with contextlib.suppress(_Rollback), transaction.atomic():
            revision = Revision(pk=1, value=0)  # the object is only described, never saved
            for n in range(3):
                record_change(actor=None, obj=revision, action=ChangeLog.Action.UPDATE, message=f"app {n}")
            assert verify(ChangeLog).broken is None
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_user")
                assert cursor.fetchone() == (APP,)
            raise _Rollback


def test_migrate_runs_as_the_owner_and_grants_the_app_role_what_it_created(roles):
    with roles.owner() as owner:
        owner.execute("CREATE TABLE cax_probe_16 (id integer)")
        owner.commit()
    try:
        with roles.app() as app:
            assert isinstance(refused(app, "INSERT INTO cax_probe_16 VALUES (1)"), psycopg.errors.InsufficientPrivilege)
        seen = []

        def who(sender, using, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_user")
                seen.append(cursor.fetchone()[0])

        post_migrate.connect(who, dispatch_uid="test_db_roles.who")
        try:
            with django_connected_as(APP, APP_PW):
                call_command("migrate", verbosity=0)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT current_user")
                    assert cursor.fetchone() == (APP,)  # back to the app role afterwards
        finally:
            post_migrate.disconnect(dispatch_uid="test_db_roles.who")
        assert set(seen) == {OWNER}
        with roles.app() as app:
            assert refused(app, "INSERT INTO cax_probe_16 VALUES (1)") is None
            for still_refused in ("DELETE FROM core_changelog", "UPDATE cases_identityaccess SET channel = 'x'"):
                assert isinstance(refused(app, still_refused), psycopg.errors.InsufficientPrivilege)
    finally:
        with roles.owner() as owner:
            owner.execute("DROP TABLE cax_probe_16")


def test_a_row_the_owner_breaks_by_hand_is_named_by_verify_audit(roles):
    """The owner can switch the triggers off (it owns the table); what it changes then shows."""
    with override_settings(CAX_DB_OWNER_USER=OWNER, CAX_DB_OWNER_PASSWORD=OWNER_PW):
        from cax.core.dbroles import connected_as_owner

        connection.close()
        with connected_as_owner() as switched, contextlib.suppress(_Rollback), transaction.atomic():
            assert switched
            revision = Revision(pk=1, value=0)  # the object is only described, never saved
            rows = [
                record_change(actor=None, obj=revision, action=ChangeLog.Action.UPDATE, message=f"owner {n}")
                for n in range(3)
            ]
            with triggers_lifted(connection, "core_changelog"), connection.cursor() as cursor:
                cursor.execute("UPDATE core_changelog SET message = 'sửa tay' WHERE id = %s", [rows[1].pk])
            err = io.StringIO()
            with pytest.raises(Exception, match="chuỗi nhật ký bị đứt"):
                call_command("verify_audit", stdout=io.StringIO(), stderr=err)
            assert f"core_changelog: bản ghi id {rows[1].pk}: nội dung không khớp mã băm" in err.getvalue()
            raise _Rollback
