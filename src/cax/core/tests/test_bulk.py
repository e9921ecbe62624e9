"""core.bulk (issue 20.4): instances built without __init__ equal Django's, and COPY (PostgreSQL) or
bulk_create (SQLite) store the same rows, ids set, defaults and stamps filled, constraints enforced."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cax.core import auditchain, bulk
from cax.core.changelog import record_changes_bulk, snapshot
from cax.core.context import request_context
from cax.core.models import ChangeLog, ImportBatch, SearchEntry

pytestmark = pytest.mark.django_db


def field_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_new_gives_the_instance_init_gives_with_its_defaults_and_cached_relations(cast):
    values = {"kind": "officers", "object_id": 7, "unit": cast.commune_a, "title": "Nguyễn Văn An"}

    built, reference = bulk.new(SearchEntry, values), SearchEntry(**values)

    assert field_values(built) == field_values(reference)
    assert (built.line, built.body_key, built.unit_id) == ("", "", cast.commune_a.pk)
    assert built._state.adding is True
    assert built.unit is cast.commune_a  # cached: no query
    log = bulk.new(ChangeLog, {"actor_name": "x", "action": "create", "after": {"a": 1}})
    assert log.time is not None
    assert log.before is None
    assert log.after == {"a": 1}


def test_insert_stores_every_row_sets_the_ids_and_stamps_the_auto_fields(cast, django_assert_max_num_queries):
    batches = [
        bulk.new(
            ImportBatch,
            {
                "uuid": f"00000000-0000-0000-0000-{i:012d}",
                "kind": "officers",
                "filename": f"{i}.csv",
                "created_by": cast.province_staff,
            },
        )
        for i in range(2_500)
    ]

    started = timezone.now()
    # PostgreSQL: the ids, then one COPY (not counted); SQLite: INSERTs within its parameter limit.
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 200):
        bulk.insert(batches)

    assert all(b.pk is not None for b in batches)
    assert len({b.pk for b in batches}) == 2_500
    assert all(b._state.adding is False for b in batches)
    stored = ImportBatch.objects.get(pk=batches[-1].pk)
    assert (stored.filename, stored.kind, stored.status, stored.size) == ("2499.csv", "officers", "pending", 0)
    assert stored.created_at is not None
    assert ImportBatch.objects.get(pk=batches[0].pk).created_by == cast.province_staff
    assert ImportBatch.objects.filter(created_at__gte=started).count() == 2_500  # auto_now_add stamped


def test_the_database_still_refuses_a_row_that_breaks_a_constraint(cast):
    rows = [bulk.new(SearchEntry, {"kind": "x", "object_id": 1, "title": "a"}) for _ in range(2)]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(rows)  # the same (kind, object id) twice
    assert not SearchEntry.objects.filter(kind="x").exists()


def test_upsert_inserts_new_rows_and_rewrites_the_named_columns_of_existing_ones(cast):
    SearchEntry.objects.create(kind="x", object_id=1, title="old", line="kept?")
    rows = [
        bulk.new(SearchEntry, {"kind": "x", "object_id": 1, "title": "new", "line": "new line"}),
        bulk.new(SearchEntry, {"kind": "x", "object_id": 2, "title": "two"}),
    ]

    bulk.upsert(rows, unique_fields=["kind", "object_id"], update_fields=["title"])
    bulk.upsert(rows[1:], unique_fields=["kind", "object_id"], update_fields=["title"])  # twice in one transaction

    stored = {e.object_id: (e.title, e.line) for e in SearchEntry.objects.filter(kind="x")}
    assert stored == {1: ("new", "kept?"), 2: ("two", "")}


def test_change_log_rows_written_in_bulk_chain_and_verify(cast):
    entries = [
        (cast.commune_a, ChangeLog.Action.UPDATE, {**snapshot(cast.commune_a), "name": f"old {i}"}) for i in range(50)
    ]
    with request_context("req-bulk"):
        written = record_changes_bulk(actor=cast.province_staff, entries=entries, message="Nhập từ tệp x.csv")

    assert written == 50
    rows = ChangeLog.objects.filter(request_id="req-bulk")
    assert rows.count() == 50
    assert {(r.actor_id, r.object_repr, r.message) for r in rows} == {
        (cast.province_staff.pk, str(cast.commune_a), "Nhập từ tệp x.csv")
    }
    assert auditchain.verify(ChangeLog).broken is None
