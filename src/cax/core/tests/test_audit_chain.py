"""The hash chain of the append-only logs (issue 16.2): each row chained to the one before, and
``verify_audit`` names the first broken link after a row was changed, removed, reordered or forged
by hand, as only an owner (triggers off) or a superuser could. Both databases.

The tampering runs inside the test's transaction, so it is rolled back with it."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import isolate_apps
from django.utils import timezone

from cax.accounts.models import SecurityEvent
from cax.accounts.services import security_event
from cax.cases.models import IdentityAccess
from cax.cases.services import reporter_identity_reveal
from cax.cases.tests.test_register import register
from cax.core import checks as core_checks
from cax.core.auditchain import canonical, content, genesis, row_hash, verify
from cax.core.changelog import record_change, record_changes_bulk
from cax.core.context import request_context
from cax.core.dbroles import triggers_lifted
from cax.core.models import AppendOnlyLog, AppendOnlyQuerySet, AuditChain, ChangeLog, ImmutableRecordError
from cax.units.models import Unit

ON_POSTGRES = connection.vendor == "postgresql"


def log_some(cast, count: int, tag: str = "chain") -> list[ChangeLog]:
    unit = Unit.objects.get(code="23500")
    with request_context(f"req-{tag}"):
        for n in range(count):
            record_change(actor=cast.admin, obj=unit, action=ChangeLog.Action.UPDATE, message=f"{tag} {n}")
    return list(ChangeLog.objects.filter(request_id=f"req-{tag}").order_by("chain_seq"))


def verify_audit() -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def raw(sql: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# -- the chain as written ---------------------------------------------------------------------------


def test_the_hash_is_the_documented_sha256_over_the_previous_hash_and_the_canonical_row():
    data = {"chain_seq": 1, "message": "Xã Đăk Hà", "time": "2026-12-02T07:30:00.000000+00:00", "actor_id": 7}
    by_hand = '{"actor_id":7,"chain_seq":1,"message":"Xã Đăk Hà","time":"2026-12-02T07:30:00.000000+00:00"}'.encode()
    assert canonical(data) == by_hand
    prev = genesis("core_changelog")
    assert prev == hashlib.sha256(b"cax-audit-genesis:core_changelog").hexdigest()
    assert row_hash(prev, data) == hashlib.sha256(prev.encode() + b"\n" + by_hand).hexdigest()


def test_each_row_is_chained_to_the_one_before_and_the_head_follows(cast):
    rows = log_some(cast, 3)
    for before, row in zip(rows, rows[1:], strict=False):
        assert (row.chain_seq, row.chain_prev) == (before.chain_seq + 1, before.chain_hash)
    last = ChangeLog.objects.order_by("-chain_seq").first()
    head = AuditChain.objects.get(name="core_changelog")
    assert (head.length, head.last_hash) == (last.chain_seq, last.chain_hash)
    # The hash is over what the database gives back, not only over what was written.
    fresh = ChangeLog.objects.get(pk=rows[1].pk)
    assert row_hash(fresh.chain_prev, content(fresh)) == fresh.chain_hash


def test_null_columns_are_left_out_so_a_new_nullable_column_keeps_old_hashes(cast):
    row = log_some(cast, 1)[0]
    assert row.before is None
    assert "before" not in content(row)


def test_a_bulk_append_chains_every_row_in_three_statements(cast, django_assert_num_queries):
    unit = Unit.objects.get(code="23500")
    entries = [(unit, ChangeLog.Action.UPDATE, None)] * 5
    # Lock the head, insert, move the head; on PostgreSQL the insert is a COPY, which Django does not count.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        assert record_changes_bulk(actor=cast.admin, entries=entries, message="bulk") == 5
    assert verify(ChangeLog).broken is None


def test_the_identity_access_log_is_chained_too(cast):
    case = register(cast.commune_officer, cast.commune_a, is_confidential=True)
    for channel in ("web", "api"):
        reporter_identity_reveal(actor=cast.commune_chief, case=case, channel=channel)
    first, second = IdentityAccess.objects.order_by("chain_seq")
    assert (first.chain_seq, second.chain_prev) == (1, first.chain_hash)
    assert first.chain_prev == genesis("cases_identityaccess")
    assert verify(IdentityAccess).broken is None


def test_verify_audit_says_the_chain_is_intact_and_counts_every_row(cast):
    log_some(cast, 2)
    ok, out = verify_audit()
    total = ChangeLog.objects.count() + IdentityAccess.objects.count() + SecurityEvent.objects.count()
    assert ok, out
    assert f"Chuỗi nhật ký nguyên vẹn: {total} bản ghi" in out
    detail = io.StringIO()
    call_command("verify_audit", verbosity=2, stdout=detail)
    head = AuditChain.objects.get(name="core_changelog")
    assert f"core_changelog: {head.length} bản ghi, mã băm cuối {head.last_hash}" in detail.getvalue()


def test_the_security_log_is_chained_and_refuses_change(cast):
    for kind in (SecurityEvent.Kind.LOGIN, SecurityEvent.Kind.LOGOUT):
        security_event(kind, user=cast.commune_officer)
    first, second = SecurityEvent.objects.order_by("chain_seq")
    assert (first.chain_seq, second.chain_prev) == (1, first.chain_hash)
    assert first.chain_prev == genesis("accounts_securityevent")
    assert verify(SecurityEvent).broken is None
    with pytest.raises(ImmutableRecordError):
        SecurityEvent.objects.filter(pk=first.pk).update(kind="login_failed")
    with pytest.raises(ImmutableRecordError):
        first.delete()
    for sql in ("UPDATE accounts_securityevent SET kind = 'x' WHERE id = %s", "DELETE FROM accounts_securityevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(sql, [first.pk] if "%s" in sql else None)
    with triggers_lifted(connection, "accounts_securityevent"):
        raw("UPDATE accounts_securityevent SET username = 'ke-gian' WHERE id = %s", [second.pk])
    ok, out = verify_audit()
    assert not ok
    assert f"accounts_securityevent: bản ghi id {second.pk}: nội dung không khớp mã băm" in out


# -- the identity-access log refuses change, like the change log -------------------------------------


@pytest.fixture
def access(cast) -> IdentityAccess:
    case = register(cast.commune_officer, cast.commune_a, is_confidential=True)
    reporter_identity_reveal(actor=cast.commune_chief, case=case, channel="web")
    return IdentityAccess.objects.get(case=case)


def test_the_orm_refuses_to_change_or_delete_an_identity_access(access):
    access.channel = "pdf"
    with pytest.raises(ImmutableRecordError):
        access.save()
    with pytest.raises(ImmutableRecordError):
        access.delete()
    with pytest.raises(ImmutableRecordError):
        IdentityAccess.objects.filter(pk=access.pk).update(channel="pdf")
    with pytest.raises(ImmutableRecordError):
        IdentityAccess.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_identityaccess SET channel = 'pdf' WHERE id = %s",
        "DELETE FROM cases_identityaccess WHERE id = %s",
        "DELETE FROM cases_identityaccess",  # no WHERE: SQLite's truncate shortcut must not bypass the trigger
    ],
)
def test_raw_sql_cannot_update_or_delete_identity_accesses(access, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            raw(sql, [access.pk] if "%s" in sql else None)
    assert IdentityAccess.objects.get(pk=access.pk).channel == "web"


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="TRUNCATE exists on PostgreSQL only")
def test_raw_sql_cannot_truncate_the_identity_access_log(access):
    # Run the deferred foreign-key checks of the test's inserts first, or TRUNCATE refuses for them.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("TRUNCATE cases_identityaccess CASCADE")
    assert IdentityAccess.objects.filter(pk=access.pk).exists()


# -- tampering by hand: verify_audit names the row ---------------------------------------------------


def test_a_row_changed_by_hand_is_named(cast):
    rows = log_some(cast, 3)
    with triggers_lifted(connection, "core_changelog"):
        raw("UPDATE core_changelog SET actor_name = 'ke-gian' WHERE id = %s", [rows[1].pk])
    ok, out = verify_audit()
    assert not ok
    assert f"core_changelog: bản ghi id {rows[1].pk}: nội dung không khớp mã băm" in out


def test_a_row_deleted_from_the_middle_is_named(cast):
    rows = log_some(cast, 3)
    with triggers_lifted(connection, "core_changelog"):
        raw("DELETE FROM core_changelog WHERE id = %s", [rows[1].pk])
    ok, out = verify_audit()
    assert not ok
    assert f"thiếu bản ghi số {rows[1].chain_seq} của chuỗi, ngay sau bản ghi id {rows[0].pk}: đã bị xoá" in out


def test_the_last_row_deleted_is_seen_at_the_head(cast):
    rows = log_some(cast, 2)
    with triggers_lifted(connection, "core_changelog"):
        raw("DELETE FROM core_changelog WHERE id = %s", [rows[-1].pk])
    ok, out = verify_audit()
    assert not ok
    assert "core_changelog: đầu chuỗi: đầu chuỗi ghi" in out
    assert "các bản ghi cuối đã bị xoá" in out


def test_two_rows_swapped_are_named(cast):
    first, second, _third = log_some(cast, 3)
    with triggers_lifted(connection, "core_changelog"):
        # Through a free position: the chain position is unique.
        raw("UPDATE core_changelog SET chain_seq = -1 WHERE id = %s", [first.pk])
        raw("UPDATE core_changelog SET chain_seq = %s WHERE id = %s", [first.chain_seq, second.pk])
        raw("UPDATE core_changelog SET chain_seq = %s WHERE id = %s", [second.chain_seq, first.pk])
    ok, out = verify_audit()
    assert not ok
    assert f"bản ghi id {second.pk}: không nối tiếp" in out


def _forge_after(last: ChangeLog) -> dict:
    """A row an attacker computes correctly: right position, right hash, chained to the last row."""
    forged = ChangeLog(
        time=timezone.now(), actor_name="admin", request_id="req-forged", action="delete",
        object_type="cases.case", object_id="1", object_repr="Tin báo giả", unit_path="/", message="",
        search_key="", chain_seq=last.chain_seq + 1, chain_prev=last.chain_hash,
    )  # fmt: skip
    forged.chain_hash = row_hash(last.chain_hash, content(forged))
    return {f.column: getattr(forged, f.attname) for f in ChangeLog._meta.concrete_fields if f.attname != "id"}


def _insert(values: dict) -> int:
    columns = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    params = [json.dumps(v) if isinstance(v, dict) else v for v in values.values()]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO core_changelog ({columns}) VALUES ({marks})", params)
        cursor.execute("SELECT max(id) FROM core_changelog")
        return cursor.fetchone()[0]


def test_a_forged_row_appended_without_the_app_is_named(cast):
    """INSERT is allowed (the app role appends), so a forger can even compute a valid hash; the
    head, moved only by the app's append, does not know the row."""
    log_some(cast, 2)
    last = ChangeLog.objects.order_by("-chain_seq").first()
    forged_id = _insert(_forge_after(last))
    ok, out = verify_audit()
    assert not ok
    assert f"bản ghi id {forged_id}: nằm sau đầu chuỗi" in out


def test_a_forged_row_slipped_into_the_middle_is_named(cast):
    first, second, _third = log_some(cast, 3)
    with triggers_lifted(connection, "core_changelog"):
        raw("UPDATE core_changelog SET chain_seq = chain_seq + 1000000 WHERE chain_seq >= %s", [second.chain_seq])
        forged_id = _insert(_forge_after(first))
        raw("UPDATE core_changelog SET chain_seq = chain_seq - 999999 WHERE chain_seq > 1000000")
    ok, out = verify_audit()
    assert not ok
    # The forged row itself chains correctly; the genuine row after it no longer does, and names it.
    assert f"bản ghi id {second.pk}: mang số thứ tự" not in out
    assert f"bản ghi id {second.pk}: không nối tiếp bản ghi id {forged_id}" in out


def test_a_row_inserted_without_a_hash_is_named(cast):
    log_some(cast, 1)
    values = _forge_after(ChangeLog.objects.order_by("-chain_seq").first())
    values.update(chain_seq=None, chain_prev=None, chain_hash=None)
    forged_id = _insert(values)
    ok, out = verify_audit()
    assert not ok
    assert f"bản ghi id {forged_id}: không có mã băm" in out


# -- the declaration is checked ------------------------------------------------------------------------


@isolate_apps("cax.core")
def test_a_log_with_auto_now_add_or_a_plain_manager_is_refused_by_the_system_check(monkeypatch):
    from django.db import models

    class BadLog(AppendOnlyLog):
        at = models.DateTimeField(auto_now_add=True)
        objects = models.Manager()

        class Meta:
            app_label = "core"

    class GoodLog(AppendOnlyLog):
        at = models.DateTimeField(default=timezone.now)
        objects = AppendOnlyQuerySet.as_manager()

        class Meta:
            app_label = "core"

    monkeypatch.setattr(core_checks, "protected_models", lambda: [BadLog, GoodLog])
    assert sorted(error.id for error in core_checks.append_only_logs()) == ["cax.E160", "cax.E161"]
