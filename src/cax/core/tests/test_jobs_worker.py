"""The real job worker, killed mid-import (issue 16.6: "Kill the worker during a large import: nothing
half-imported; the job resumes or fails with its reason").

The worker is a separate process on its own database (a SQLite file in a temporary folder, migrated
and loaded with the official unit tree), as in production: the web side queues, ``jobs_worker``
runs, ``kill -9`` stops it without a chance to clean up.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

SRC_DIR = Path(__file__).resolve().parents[3]

# One world per module: migrating and loading the tree costs ~10 s.
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the worker runs on its own SQLite file whatever the suite's database; once is enough",
)


def _env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAX_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="cax.settings",
        PYTHONPATH=str(SRC_DIR),
        CAX_DB="sqlite",
        CAX_VAR_DIR=str(var),
        CAX_MEDIA_ROOT=str(var / "media"),
        CAX_TESTING="0",
        CAX_JOB_DAILY="",
        CAX_JOB_MAX_ATTEMPTS="2",
    )
    return env


def _django(var: Path, *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=_env(var),
        cwd=var,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _python(var: Path, code: str) -> str:
    return _django(var, "shell", "-c", code)


def _worker(var: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "django",
            "jobs_worker",
            "--interval",
            "0.1",
            "--sweep-every",
            "0.5",
            "--no-startup-delay",
        ],
        env=_env(var),
        cwd=var,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _job(db: Path) -> tuple[str, int, str]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT state, attempts, error FROM core_job").fetchone()


def _populations(db: Path) -> dict[int, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, population FROM units_unit WHERE population IS NOT NULL"))


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


# Queues an apply of every commune of the official tree with a new population, as the web page does
# for a large file (store_upload, then a "core.import" job), in the worker's own database.
QUEUE_IMPORT = """
import io, uuid
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from cax.accounts.roles import Role
from cax.core import jobs
from cax.core.models import ImportBatch
from cax.core.testing.cast import make_user
from cax.units.models import Unit

admin = make_user("admin.jobs", Role.ADMINISTRATOR, Unit.objects.get(parent=None))
book = Workbook(); sheet = book.active
sheet.append(["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Dân số"])
for unit in Unit.objects.filter(parent__isnull=False).select_related("unit_type", "parent").order_by("path"):
    sheet.append([unit.code, unit.name, unit.unit_type.code, unit.parent.code, 1000 + unit.pk])
out = io.BytesIO(); book.save(out)
batch = ImportBatch(uuid=uuid.uuid4(), kind="units", filename="units.xlsx", size=len(out.getvalue()), created_by=admin)
batch.file.save(f"{batch.uuid}.xlsx", SimpleUploadedFile("units.xlsx", out.getvalue()), save=False)
batch.save()
job = jobs.enqueue("core.import", actor=admin, params={"batch": str(batch.uuid), "dry_run": False, "next": "/"})
print(job.uuid)
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    var = tmp_path_factory.mktemp("jobs-world")
    _django(var, "migrate", "-v0")
    _django(var, "load_units")
    return var


def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_worker_finishes_it(world):
    db = world / "cax.sqlite3"
    before = _populations(db)
    _python(world, QUEUE_IMPORT)
    assert _job(db)[0] == "queued"

    worker = _worker(world)
    try:
        _wait(lambda: _job(db)[0] == "running", 60, "the worker to claim the job")
        time.sleep(0.5)  # well inside the import (seconds on the official tree)
        state = _job(db)[0]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert state == "running", "the import ended before the kill: the test needs a larger file"
    assert _populations(db) == before, "a killed import left rows behind"
    assert _job(db)[:2] == ("running", 1)

    # The next worker sees the dead one's job, queues it again and runs it to the end, once.
    worker = _worker(world)
    try:
        _wait(lambda: _job(db)[0] in ("done", "failed"), 120, "the retried job to finish")
    finally:
        worker.terminate()
        worker.wait(10)
    state, attempts, error = _job(db)
    assert (state, attempts, error) == ("done", 2, "")
    with sqlite3.connect(db) as conn:
        assert '"rejected"' not in conn.execute("SELECT result FROM core_job").fetchone()[0]
    after = _populations(db)
    assert after != before
    assert all(after[pk] == 1000 + pk for pk in after)


def test_a_job_whose_workers_keep_dying_fails_with_its_reason(world):
    """After CAX_JOB_MAX_ATTEMPTS (2 here) dead workers the job is failed, in Vietnamese, with nothing written."""
    db = world / "cax.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM core_job")
    before = _populations(db)
    _python(world, QUEUE_IMPORT.replace('"admin.jobs"', '"admin.jobs2"'))
    for attempt in (1, 2):
        worker = _worker(world)
        try:
            _wait(lambda a=attempt: _job(db)[:2] == ("running", a), 60, f"attempt {attempt}")
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
    worker = _worker(world)  # its sweep finds the second dead worker: no tries left
    try:
        _wait(lambda: _job(db)[0] == "failed", 60, "the job to be failed")
    finally:
        worker.terminate()
        worker.wait(10)
    state, attempts, error = _job(db)
    assert (state, attempts) == ("failed", 2)
    assert "dừng đột ngột 2 lần" in error
    assert "không có dữ liệu nào được ghi" in error
    assert _populations(db) == before
