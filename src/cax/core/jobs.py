"""Long work on the job queue (issue 16.6, docs/decisions/0009).

A ``Job`` row is CAX's own record of one piece of work: who started it, its progress, its result or
its reason for failing, in Vietnamese. The queue library (django-tasks with its database backend,
on SQLite and PostgreSQL alike) only carries "run job <uuid>" to a worker process (``./cax worker``).

Each kind's work runs inside one transaction that also marks the job done, so a worker killed
mid-job (kill -9, an out-of-memory kill, a power cut) leaves nothing half-written: the database
rolls the work back, and the stale sweep (``sweep_stale``) sees the job's worker gone and queues the
job again, or, after ``CAX_JOB_MAX_ATTEMPTS`` tries, marks it failed with the reason.

Core knows no domain app: apps register their kinds with ``register_kind`` from ``AppConfig.ready()``.
A runner is ``runner(job) -> dict | None`` (the JSON result) and calls ``progress()`` as it goes.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from cax.core.models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    """``runner`` is a dotted path; ``atomic=False`` for work that commits its own steps (the planner
    keeps its progress and cancel flag in its own rows)."""

    kind: str
    runner: str
    atomic: bool = True
    on_failure: str = ""  # dotted ``hook(job, reason)``: the domain's own record of a job given up


_KINDS: dict[str, JobKind] = {}


def register_kind(kind: str, runner: str, *, atomic: bool = True, on_failure: str = "") -> None:
    _KINDS[kind] = JobKind(kind, runner, atomic, on_failure)


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# -- enqueueing ----------------------------------------------------------------------------------


def enqueue(
    kind: str, *, actor: Any = None, params: dict | None = None, unit_path: str = "", schedule_key: str | None = None
) -> Job:
    """A queued job; the worker sees it once the caller's transaction commits.

    ``schedule_key`` makes the job unique (a daily job's kind and date): a second enqueue with the
    same key, from another worker, raises IntegrityError and queues nothing.
    """
    if kind not in _KINDS:
        raise KeyError(kind)
    if not unit_path and actor is not None and getattr(actor, "unit_id", None):
        unit_path = actor.unit.path
    # The worker writes messages and results in the language of the page that queued the job.
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    job = Job.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        unit_path=unit_path,
        params=params,
        max_attempts=settings.CAX_JOB_MAX_ATTEMPTS,
        schedule_key=schedule_key,
    )
    _send(job)
    return job


def _send(job: Job) -> None:
    result = run_job.enqueue(str(job.uuid))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


@task()
def run_job(job_uuid: str) -> None:
    """The library's task: everything else is CAX's own (``execute``)."""
    execute(job_uuid)


# -- progress and heartbeat ----------------------------------------------------------------------


class _Progress:
    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self.message = ""
        self.lock = threading.Lock()

    def set(self, done: int, total: int | None, message: str | None) -> None:
        with self.lock:
            self.done = done
            if total is not None:
                self.total = total
            if message is not None:
                self.message = message[:255]

    def snapshot(self) -> dict:
        with self.lock:
            return {"done": self.done, "total": self.total, "message": self.message}


_current: contextvars.ContextVar[_Progress | None] = contextvars.ContextVar("cax_job_progress", default=None)


def progress(done: int, total: int | None = None, message: str | None = None) -> None:
    """Where the running job stands; cheap (kept in memory), written out by the heartbeat. Outside
    a job (a synchronous import, a management command) it does nothing."""
    current = _current.get()
    if current is not None:
        current.set(done, total, message)


class _Heartbeat:
    """A thread that writes the heartbeat and the progress every CAX_JOB_HEARTBEAT_SECONDS on its own
    database connection, beside the work's transaction.

    Not on SQLite: the work holds the database's one write lock until it commits, so the thread
    would only wait; there the sweep judges the worker by its process id instead (one host).
    """

    def __init__(self, job: Job, state: _Progress):
        self.job_pk, self.state = job.pk, state
        self.stop = threading.Event()
        self.every = settings.CAX_JOB_HEARTBEAT_SECONDS
        self.thread: threading.Thread | None = None

    def __enter__(self) -> _Heartbeat:
        if self.every > 0 and connection.vendor != "sqlite":
            self.thread = threading.Thread(target=self._beat, daemon=True, name=f"heartbeat-{self.job_pk}")
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(self.every):
                try:
                    Job.objects.filter(pk=self.job_pk, state=Job.State.RUNNING).update(
                        heartbeat=timezone.now(), **self.state.snapshot()
                    )
                except Exception:  # a missed beat is retried; the sweep allows many
                    log.warning("job %s: heartbeat not written", self.job_pk, exc_info=True)
        finally:
            connection.close()


# -- running -------------------------------------------------------------------------------------


def execute(job_uuid: str) -> Job | None:
    """Claims the queued job, runs its kind's work and records the outcome."""
    me = worker_id()
    claimed = Job.objects.filter(uuid=job_uuid, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        heartbeat=timezone.now(),
        worker=me,
    )
    if not claimed:  # already run, swept to another task, or purged
        return None
    job = Job.objects.get(uuid=job_uuid)
    state = _Progress()
    token = _current.set(state)
    try:
        with _Heartbeat(job, state), translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            _run(job, state, me)
    except Exception as error:
        _record_failure(job, error)
    finally:
        _current.reset(token)
    return Job.objects.get(pk=job.pk)


def _run(job: Job, state: _Progress, me: str) -> None:
    kind = _KINDS.get(job.kind)
    if kind is None:
        raise LookupError(_("Loại công việc không còn được hỗ trợ: {kind}.").format(kind=job.kind))
    runner = import_string(kind.runner)
    if kind.atomic:
        # The work and "done" commit together, or neither does.
        with transaction.atomic():
            result = runner(job)
            _finish(job, state, me, result)
    else:
        result = runner(job)
        _finish(job, state, me, result)


def _finish(job: Job, state: _Progress, me: str, result: Any) -> None:
    snapshot = state.snapshot()
    if snapshot["total"] and snapshot["done"] < snapshot["total"]:
        snapshot["done"] = snapshot["total"]
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker=me).update(
        state=Job.State.DONE, result=result, finished_at=timezone.now(), heartbeat=timezone.now(), **snapshot
    )


def _record_failure(job: Job, error: Exception) -> None:
    log.exception("job %s (%s) failed", job.uuid, job.kind)
    job.refresh_from_db()
    if isinstance(error, OperationalError) and job.attempts < job.max_attempts:
        # A lost connection or a lock timeout: worth another try; a bug or bad data is not.
        message = _("Mất kết nối cơ sở dữ liệu; đang thử lại.")
        Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, worker="", message=message)
        _send(job)
        return
    reason = _failure_reason(job, error)
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error=reason, finished_at=timezone.now())
    _tell_domain(job, reason)


def _failure_reason(job: Job, error: Exception) -> str:
    """What the user reads: a refusal's own Vietnamese message, never a library's text (the log
    keeps that, under the job's id, for whoever investigates)."""
    from cax.core.exceptions import DomainError

    if isinstance(error, DomainError):
        return _("Lỗi khi xử lý: {error}").format(error=error.message)
    if isinstance(error, OperationalError):
        return _(
            "Lỗi khi xử lý: mất kết nối cơ sở dữ liệu sau {n} lần thử; không có dữ liệu nào được ghi. Thử lại sau "
            "ít phút; nếu vẫn lỗi, báo quản trị hệ thống."
        ).format(n=job.attempts)
    return _(
        "Lỗi khi xử lý: lỗi hệ thống không lường trước; không có dữ liệu nào được ghi. Thử lại; nếu vẫn lỗi, báo "
        "quản trị hệ thống kèm mã công việc {job}."
    ).format(job=str(job.uuid)[:8])


def _tell_domain(job: Job, reason: str) -> None:
    kind = _KINDS.get(job.kind)
    if kind is None or not kind.on_failure:
        return
    try:
        import_string(kind.on_failure)(job, reason)
    except Exception:
        log.exception("job %s: on_failure hook failed", job.uuid)


# -- the stale sweep -----------------------------------------------------------------------------


def _alive(job: Job, now) -> bool:
    host, _sep, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return True
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return _not_zombie(int(pid))
    stale_after = dt.timedelta(seconds=settings.CAX_JOB_STALE_SECONDS)
    return job.heartbeat is not None and job.heartbeat >= now - stale_after


def _not_zombie(pid: int) -> bool:
    """A killed child of the sweeping process (the tests' worker) stays a zombie until reaped."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def sweep_stale() -> list[Job]:
    """Running jobs whose worker is gone: queued again while tries remain, else failed with the reason."""
    now = timezone.now()
    swept = []
    for job in Job.objects.filter(state=Job.State.RUNNING):
        if _alive(job, now):
            continue
        if job.attempts < job.max_attempts:
            moved = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker=job.worker).update(
                state=Job.State.QUEUED, worker="", message=_("Tiến trình xử lý đã dừng; đang chạy lại.")
            )
            if moved:
                _send(job)
        else:
            reason = _(
                "Tiến trình xử lý đã dừng đột ngột {n} lần; không có dữ liệu nào được ghi. "
                "Hãy thử lại hoặc báo quản trị."
            ).format(n=job.attempts)
            moved = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker=job.worker).update(
                state=Job.State.FAILED, error=reason, finished_at=now
            )
            if moved:
                _tell_domain(job, reason)
        if moved:
            log.warning("job %s (%s): worker %s gone, swept", job.uuid, job.kind, job.worker)
            swept.append(Job.objects.get(pk=job.pk))
    return swept


# -- daily jobs ----------------------------------------------------------------------------------


def _daily_at(value: str) -> dt.time:
    hours, _sep, minutes = value.partition(":")
    return dt.time(int(hours), int(minutes or 0))


def enqueue_due_daily(now: dt.datetime | None = None) -> list[Job]:
    """Queues each daily job (``CAX_JOB_DAILY``: kind → local "HH:MM") once its time has come today.

    Every worker runs this; the job's ``schedule_key`` (kind@date) is unique, so exactly one of them
    queues it. A worker that was down at the hour queues it when it comes back the same day.
    """
    local = timezone.localtime(now or timezone.now())
    queued = []
    for kind, at in settings.CAX_JOB_DAILY.items():
        if kind not in _KINDS or local.time() < _daily_at(at):
            continue
        key = f"{kind}@{local.date().isoformat()}"
        if Job.objects.filter(schedule_key=key).exists():
            continue
        try:
            with transaction.atomic():
                queued.append(enqueue(kind, schedule_key=key))
        except IntegrityError:  # another worker queued it between the check and the insert
            continue
    return queued


# -- purging -------------------------------------------------------------------------------------


def purge_finished(now: dt.datetime | None = None) -> dict[str, int]:
    """Finished jobs, the queue library's finished rows and import batches (with their files) older
    than ``CAX_JOB_RETENTION_DAYS``. A queued or running job and a batch it still needs are kept."""
    from django_tasks_db.models import DBTaskResult

    from cax.core.models import ImportBatch

    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.CAX_JOB_RETENTION_DAYS)
    jobs_deleted, _detail = Job.objects.filter(
        state__in=[Job.State.DONE, Job.State.FAILED], finished_at__lt=cutoff
    ).delete()
    tasks_deleted, _detail = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    busy = {
        str(batch)
        for batch in Job.objects.filter(
            kind="core.import", state__in=[Job.State.QUEUED, Job.State.RUNNING]
        ).values_list("params__batch", flat=True)
    }
    batches = 0
    for batch in ImportBatch.objects.filter(created_at__lt=cutoff).iterator(chunk_size=200):
        if str(batch.uuid) in busy:
            continue
        if batch.file:
            batch.file.delete(save=False)  # storage first: a file left behind is worse than a row
        batch.delete()
        batches += 1
    return {"jobs": jobs_deleted, "tasks": tasks_deleted, "batches": batches}


def run_purge_job(job: Job) -> dict[str, int]:
    """The daily clean-up: also the expired submit tokens and idempotency keys (purge_submit_tokens)."""
    from cax.core.idempotency import purge_expired

    tokens, keys = purge_expired()
    return {**purge_finished(), "submit_tokens": tokens, "idempotency_keys": keys}


class Housekeeper:
    """Every ``every`` seconds, in a thread of the worker process: the stale sweep and the daily jobs."""

    def __init__(self, every: float):
        self.every = every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True, name="job-housekeeper")

    def start(self) -> None:
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.wait(self.every):
            for chore in (sweep_stale, enqueue_due_daily):
                try:
                    chore()
                except Exception:
                    log.warning("job housekeeping (%s) failed", chore.__name__, exc_info=True)
            close_old_connections()


def job_url(job: Job) -> str:
    return reverse("job_detail", args=[job.uuid])
