"""The file-access log is append-only and hash-chained like the change log: the ORM and the
database refuse to change it, verify_audit walks its chain and names a row changed by hand."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from cax.core.dbroles import protected_tables, triggers_lifted
from cax.core.models import ImmutableRecordError
from cax.supervision import services
from cax.supervision.models import FileAccess
from cax.supervision.tests.factories import make_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    return [services.file_open(actor=cast.commune_chief, file=file, reason=f"Kiểm tra lần {n}") for n in (1, 2, 3)]


def raw(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify() -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError:
        return False, out.getvalue() + err.getvalue()
    return True, out.getvalue() + err.getvalue()


def test_the_log_is_one_of_the_protected_tables():
    assert "supervision_fileaccess" in protected_tables()


def test_each_open_is_chained(opened):
    rows = list(FileAccess.objects.order_by("chain_seq"))
    assert [r.chain_seq for r in rows] == [1, 2, 3]
    assert rows[1].chain_prev == rows[0].chain_hash


def test_the_orm_refuses_to_change_or_delete(opened):
    row = opened[0]
    row.reason = "sửa"
    with pytest.raises(ImmutableRecordError):
        row.save()
    with pytest.raises(ImmutableRecordError):
        FileAccess.objects.filter(pk=row.pk).update(reason="x")
    with pytest.raises(ImmutableRecordError):
        FileAccess.objects.all().delete()


@pytest.mark.parametrize(
    "sql", ["UPDATE supervision_fileaccess SET reason = 'x' WHERE id = %s", "DELETE FROM supervision_fileaccess"]
)
def test_raw_sql_is_refused_by_the_database(opened, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [opened[0].pk] if "%s" in sql else None)
    assert FileAccess.objects.count() == 3


def test_verify_audit_names_a_row_changed_by_hand(opened):
    assert verify()[0]
    if connection.vendor == "postgresql":
        # Run the deferred foreign-key checks of the test's inserts first, or ALTER TABLE refuses.
        raw("SET CONSTRAINTS ALL IMMEDIATE")
    with triggers_lifted(connection, "supervision_fileaccess"):
        raw("UPDATE supervision_fileaccess SET reason = 'không có gì' WHERE id = %s", [opened[1].pk])
    ok, out = verify()
    assert not ok
    assert f"supervision_fileaccess: bản ghi id {opened[1].pk}" in out
