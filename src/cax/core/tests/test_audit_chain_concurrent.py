"""Concurrent appends never fork the hash chain (issue 16.2): writers on separate connections, as
app processes behind PostgreSQL are, each wait for the chain head's row lock and chain to the row
the one before committed. PostgreSQL only: SQLite has one writer at a time anyway.

Also measures what that serialization costs against the same inserts unchained (printed with -s;
the figures are in docs/decisions/0008)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from cax.core import auditchain
from cax.core.auditchain import verify
from cax.core.changelog import record_change
from cax.core.models import AuditChain, ChangeLog, Revision

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"),
]

WRITERS, APPENDS = 8, 25


def in_parallel(work) -> float:
    """``work(writer)`` on WRITERS threads started at once; the seconds until all are done."""
    barrier, errors = threading.Barrier(WRITERS + 1), []

    def run(writer):
        try:
            barrier.wait()
            work(writer)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    assert errors == []
    return time.perf_counter() - started


def chained(writer: int) -> None:
    obj = Revision(pk=1, value=0)  # only described in the log, never saved
    for n in range(APPENDS):
        with transaction.atomic():
            record_change(actor=None, obj=obj, action=ChangeLog.Action.UPDATE, message=f"w{writer} #{n}")


def test_concurrent_writers_never_fork_the_chain(migration_data_after_flush, flushable_change_log, monkeypatch):
    before = ChangeLog.objects.count()
    seconds = in_parallel(chained)
    report = verify(ChangeLog)
    assert report.broken is None, report.broken
    assert report.rows == before + WRITERS * APPENDS
    seqs = list(ChangeLog.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditChain.objects.get(name="core_changelog").length == len(seqs)
    # The same record_change calls with the chain taken out: the cost of the chain is the difference.
    monkeypatch.setattr(auditchain, "append", lambda model, rows, insert: insert())
    plain = in_parallel(chained)
    total = WRITERS * APPENDS
    print(  # noqa: T201 - the measurement this test exists to make, shown with -s
        f"\n{WRITERS} writers x {APPENDS} appends: chained {seconds:.2f} s ({seconds / total * 1000:.2f} ms/append), "
        f"unchained {plain:.2f} s ({plain / total * 1000:.2f} ms/append)"
    )
