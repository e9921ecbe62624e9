"""The hash chain of the append-only logs (issue 16.2, docs/decisions/0008).

Each table that subclasses ``core.models.AppendOnlyLog`` is one chain. Row n of a chain carries

    chain_seq  = n (1, 2, 3, … with no gap)
    chain_prev = chain_hash of row n-1, or GENESIS(table) for row 1
    chain_hash = sha256( chain_prev + "\\n" + canonical(row) ), lowercase hex

where canonical(row) is the UTF-8 of ``json.dumps(content, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` and ``content`` maps each concrete column (its attname: ``actor_id``, not
``actor``) except ``id``, ``chain_prev`` and ``chain_hash`` to its value, ``chain_seq`` included:
datetimes in UTC as ISO 8601 with microseconds, dates ISO, JSON columns as their JSON value,
UUIDs and decimals as text, bytes as hex. NULL columns are left out, so adding a nullable column
to a log later keeps every old row's hash valid.

Appends are serialized per chain by a row lock on the chain's head (``core.models.AuditChain``),
held until the writer's transaction commits: a second writer waits, then chains to the first
one's row; it can never fork the chain. On SQLite the database has one writer at a time anyway.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import itertools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from cax.core import bulk
from cax.core.models import AppendOnlyLog, AuditChain

T = TypeVar("T")
NOT_HASHED = frozenset({"id", "chain_prev", "chain_hash"})


def genesis(table: str) -> str:
    """What row 1 of a chain chains to: fixed, and different per table, so a row copied from one
    log into another does not verify."""
    return hashlib.sha256(f"cax-audit-genesis:{table}".encode()).hexdigest()


def _canonical_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


_PLAIN = frozenset({str, int, bool, float})


def content(obj: models.Model) -> dict[str, Any]:
    """The row's hashed content: every concrete column but the id and the chain's own hashes."""
    data, loaded = {}, obj.__dict__
    for attname, json_field, direct in _hashed_fields(type(obj)):
        value = loaded[attname] if direct and attname in loaded else getattr(obj, attname)
        if value is None:
            continue
        if value.__class__ in _PLAIN:
            data[attname] = value
        elif json_field is not None:
            data[attname] = _stored_json(value, json_field)
        else:
            data[attname] = _canonical_value(value)
    return data


def _stored_json(value: Any, field: models.JSONField) -> Any:
    """The stored form of a JSON column: what reading the row back gives (tuples become lists,
    dates strings, and so on). A flat dict of strings, numbers and booleans (a change-log
    snapshot) is its own stored form: no round trip through the encoder (issue 20.4)."""
    if value.__class__ is dict and all(
        k.__class__ is str and (v is None or v.__class__ in _PLAIN) for k, v in value.items()
    ):
        return value
    return json.loads(json.dumps(value, cls=field.encoder))


@functools.cache
def _hashed_fields(model: type[models.Model]) -> tuple[tuple[str, models.JSONField | None, bool], ...]:
    return tuple(
        (f.attname, f if isinstance(f, models.JSONField) else None, bulk.plain_attribute(f))
        for f in model._meta.concrete_fields
        if f.attname not in NOT_HASHED
    )


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(prev: str, data: dict[str, Any]) -> str:
    return hashlib.sha256(prev.encode("ascii") + b"\n" + canonical(data)).hexdigest()


def _locked_head(table: str) -> AuditChain:
    """The chain's head row, locked until the caller's transaction ends; created on first use."""
    head = AuditChain.objects.select_for_update().filter(name=table).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditChain.objects.create(name=table, length=0, last_hash=genesis(table))
        except IntegrityError:
            pass  # created by another writer at the same moment; lock theirs
        head = AuditChain.objects.select_for_update().get(name=table)
    return head


def append(model: type[AppendOnlyLog], rows: list[AppendOnlyLog], insert: Callable[[], T]) -> T:
    """Chain ``rows`` (in this order) onto ``model``'s log and run ``insert``, which writes them.

    Three statements whatever the number of rows: lock the head, insert, move the head.
    """
    if not rows:
        return insert()
    table = model._meta.db_table
    # No savepoint inside the caller's transaction: the lock must last until that one commits.
    with transaction.atomic(savepoint=False):
        head = _locked_head(table)
        prev, seq = head.last_hash, head.length
        for row in rows:
            seq += 1
            row.chain_seq, row.chain_prev = seq, prev
            row.chain_hash = prev = row_hash(prev, content(row))
        result = insert()
        AuditChain.objects.filter(pk=head.pk).update(length=seq, last_hash=prev)
    return result


def append_streamed(
    model: type[AppendOnlyLog], rows: Iterable[AppendOnlyLog], insert: Callable[[Iterator], None]
) -> int:
    """``append`` for rows made one at a time: ``insert`` consumes them as they are chained, so
    making the next rows overlaps with the database storing the previous ones (a COPY, issue 20.4).
    Returns the number of rows; none (an empty ``rows``) locks nothing and writes nothing."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    table = model._meta.db_table
    with transaction.atomic(savepoint=False):
        head = _locked_head(table)
        chain = [head.last_hash, head.length]

        def chained() -> Iterator[AppendOnlyLog]:
            for row in itertools.chain([first], rows):
                chain[1] += 1
                row.chain_seq, row.chain_prev = chain[1], chain[0]
                row.chain_hash = chain[0] = row_hash(chain[0], content(row))
                yield row

        insert(chained())
        AuditChain.objects.filter(pk=head.pk).update(length=chain[1], last_hash=chain[0])
    return chain[1] - head.length


def chain_existing_rows(log_model: type[models.Model], head_model: type[models.Model], batch: int = 2000) -> int:
    """Chain the rows of a log that have no position yet, in id order (a data migration's job:
    the rows written before the chain existed). The caller lifts the table's triggers."""
    table = log_model._meta.db_table
    head, _created = head_model.objects.get_or_create(name=table, defaults={"length": 0, "last_hash": genesis(table)})
    prev, seq = head.last_hash, head.length
    # Ids first, rows by chunks: SQLite must not update a table under an open cursor over it.
    ids = list(log_model._base_manager.filter(chain_seq__isnull=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        rows = list(log_model._base_manager.filter(pk__in=ids[start : start + batch]).order_by("pk"))
        for row in rows:
            seq += 1
            row.chain_seq, row.chain_prev = seq, prev
            row.chain_hash = prev = row_hash(prev, content(row))
        log_model._base_manager.bulk_update(rows, ["chain_seq", "chain_prev", "chain_hash"])
    head_model.objects.filter(pk=head.pk).update(length=seq, last_hash=prev)
    return len(ids)


# -- verification --------------------------------------------------------------------------------


def protected_models() -> list[type[AppendOnlyLog]]:
    """Every installed model that declares itself an append-only log, in a stable order."""
    found = [m for m in apps.get_models() if issubclass(m, AppendOnlyLog) and not m._meta.proxy]
    return sorted(found, key=lambda m: m._meta.db_table)


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain: which table, which row, what differs."""

    table: str
    row_id: Any
    problem: str

    def __str__(self) -> str:
        where = f"bản ghi id {self.row_id}" if self.row_id is not None else "đầu chuỗi"
        return f"{self.table}: {where}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    table: str
    rows: int
    broken: Break | None
    last_hash: str = ""  # of an intact chain: what to keep outside the database to compare later


def _rows(model: type[AppendOnlyLog]) -> Iterator[AppendOnlyLog]:
    # Position order; rows without a position (never chained) come last and are reported there.
    queryset = model._base_manager.order_by(models.F("chain_seq").asc(nulls_last=True), "pk")
    return queryset.iterator(chunk_size=2000)


def _link_problem(row: AppendOnlyLog, seq: int, prev: str, prev_id: Any) -> str | None:
    """What is wrong with ``row`` as the row after ``prev_id`` (hash ``prev``) at position ``seq``."""
    after = f"bản ghi id {prev_id}" if prev_id is not None else "đầu chuỗi"
    if row.chain_seq is None or not row.chain_hash:
        return "không có mã băm: bản ghi được chèn ngoài ứng dụng"
    if row.chain_seq > seq:
        missing = f"số {seq}" if row.chain_seq == seq + 1 else f"số {seq} đến {row.chain_seq - 1}"
        return f"thiếu bản ghi {missing} của chuỗi, ngay sau {after}: đã bị xoá"
    if row.chain_seq < seq:
        return f"mang số thứ tự {row.chain_seq} đã dùng (cần {seq}): bản ghi bị chèn thêm hoặc đổi thứ tự"
    if row.chain_prev != prev:
        return f"không nối tiếp {after} ngay trước nó: một bản ghi đã bị chèn, xoá hoặc sửa ở giữa"
    if row_hash(prev, content(row)) != row.chain_hash:
        return "nội dung không khớp mã băm: bản ghi đã bị sửa"
    return None


def verify(model: type[AppendOnlyLog]) -> ChainReport:
    """Walk ``model``'s chain from its first row and stop at the first broken link.

    The head and the rows are read in one snapshot (REPEATABLE READ on PostgreSQL), so appends
    made while the walk runs are not mistaken for forged rows.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _walk(model)


def _walk(model: type[AppendOnlyLog]) -> ChainReport:
    table = model._meta.db_table
    head = AuditChain.objects.filter(name=table).first()
    head_length, head_hash = (head.length, head.last_hash) if head else (0, genesis(table))
    seq, prev, prev_id, count = 0, genesis(table), None, 0
    for row in _rows(model):
        count += 1
        problem = _link_problem(row, seq + 1, prev, prev_id)
        if problem is None and row.chain_seq > head_length:
            problem = f"nằm sau đầu chuỗi ({head_length} bản ghi): bản ghi chèn thêm ở cuối ngoài ứng dụng"
        if problem:
            return ChainReport(table, count, Break(table, row.pk, problem))
        seq, prev, prev_id = row.chain_seq, row.chain_hash, row.pk
    if head_length != seq:
        problem = f"đầu chuỗi ghi {head_length} bản ghi, bảng chỉ có {seq}: các bản ghi cuối đã bị xoá"
        return ChainReport(table, count, Break(table, None, problem))
    if head_hash != prev:
        return ChainReport(table, count, Break(table, None, "mã băm cuối ở đầu chuỗi khác bản ghi cuối: đã bị sửa"))
    return ChainReport(table, count, None, prev)
