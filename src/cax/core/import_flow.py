"""The web steps every import shares: upload → preview (a dry run) → confirm (the real run).

The file is streamed to storage and waits behind an ImportBatch row, private to its uploader, so any
app process can finish it. A file above ``CAX_IMPORT_BACKGROUND_BYTES`` is previewed and applied by
the job worker (cax.core.jobs): the user waits on the job's page, then sees the same preview page.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import typing
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cax.core import jobs
from cax.core.exceptions import DomainError
from cax.core.exports import XLSX_MIME
from cax.core.imports import Column, ImportRejected, ImportResult, RowError, template_xlsx
from cax.core.models import ImportBatch, Job

IMPORT_JOB = "core.import"


def store_upload(request, *, kind: str, upload) -> ImportBatch:
    """Streams the upload to storage chunk by chunk (it is already on disk above 2.5 MB)."""
    batch = ImportBatch(uuid=uuid.uuid4(), kind=kind, filename=upload.name, size=upload.size, created_by=request.user)
    extension = os.path.splitext(upload.name)[1].lower()[:10]
    batch.file.save(f"{batch.uuid}{extension}", upload, save=False)
    batch.save()
    return batch


def run_batch(
    request, *, batch_uuid, importers: dict[str, Callable[..., Any]]
) -> dict[str, Any] | HttpResponseRedirect:
    """Dry run on GET, real run on POST; returns the template context (result, rejected or error),
    or, for a file run in the background, a redirect to its job's page.

    ``importers`` maps the batch kinds this page handles to their import functions.
    """
    batch = ImportBatch.objects.owned_by(request.user).filter(uuid=batch_uuid, kind__in=list(importers)).first()
    if batch is None:
        raise Http404
    importer = importers[batch.kind]
    context: dict[str, Any] = {"batch": batch}
    if in_background(batch):
        return _background(request, batch, context)
    if batch.status != ImportBatch.Status.PENDING:
        return context
    confirm = request.method == "POST"
    try:
        # The batch row stays locked until the import commits: a second confirm (a double click,
        # another tab) waits, then finds the batch applied instead of importing the file again.
        with transaction.atomic():
            if confirm:
                batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
                if batch.status != ImportBatch.Status.PENDING:
                    return {"batch": batch}
            context["result"] = importer(
                actor=request.user, filename=batch.filename, content=batch.read(), dry_run=not confirm
            )
            if confirm:
                batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
                batch.save(update_fields=["status", "applied_at"])
    except ImportRejected as exc:
        context["rejected"] = exc
    except DomainError as exc:
        context["error"] = exc.message
    if confirm and "result" in context:
        result = context["result"]
        messages.success(
            request,
            _("Đã nhập: {c} tạo mới, {u} cập nhật, {n} không đổi.").format(
                c=result.created, u=result.updated, n=result.unchanged
            ),
        )
    return context


def template_response(columns: list[Column], filename: str) -> HttpResponse:
    response = HttpResponse(template_xlsx(columns), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- imports as background jobs (issue 16.6) ---------------------------------------------------------


def importer_for(kind: str) -> Callable[..., Any] | None:
    """The import function of a batch kind, found by name so the worker needs no view: an app's
    registered import (core.registry) or a register's."""
    from cax.core.records.importing import import_records
    from cax.core.records.registry import all_registers
    from cax.core.registry import registry

    for found in registry.imports:
        if found.kind == kind:
            return import_string(found.importer)
    for register in all_registers():
        if register.kind == kind:
            return functools.partial(import_records, register)
    return None


def in_background(batch: ImportBatch) -> bool:
    return batch.size > settings.CAX_IMPORT_BACKGROUND_BYTES and importer_for(batch.kind) is not None


def _background(request, batch: ImportBatch, context: dict[str, Any]) -> dict[str, Any] | HttpResponseRedirect:
    batch_jobs = Job.objects.visible_to(request.user).filter(kind=IMPORT_JOB, params__batch=str(batch.uuid))
    if request.method == "POST":
        with transaction.atomic():
            # Locked: a double click or a second tab finds the first apply job and waits on it.
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            active = batch_jobs.filter(params__dry_run=False, state__in=[Job.State.QUEUED, Job.State.RUNNING]).first()
            if active is None and batch.status == ImportBatch.Status.PENDING:
                active = _enqueue(request, batch, dry_run=False)
        if active is not None:
            return HttpResponseRedirect(jobs.job_url(active))
        context["batch"] = batch
        return context
    latest = batch_jobs.filter(state=Job.State.DONE).order_by("-pk").first()
    if batch.status == ImportBatch.Status.PENDING:
        waiting = batch_jobs.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).order_by("-pk").first()
        if waiting is not None:
            return HttpResponseRedirect(jobs.job_url(waiting))
        if latest is None:
            return HttpResponseRedirect(jobs.job_url(_enqueue(request, batch, dry_run=True)))
    if latest is not None:
        context.update(outcome_context(latest.result or {}))
    return context


def _enqueue(request, batch: ImportBatch, *, dry_run: bool) -> Job:
    params = {"batch": str(batch.uuid), "dry_run": dry_run, "next": request.path}
    return jobs.enqueue(IMPORT_JOB, actor=request.user, params=params)


def run_import_job(job: Job) -> dict[str, Any]:
    """The worker's side: the same dry run or apply as the synchronous page, inside the job's transaction."""
    dry_run = bool(job.params.get("dry_run"))
    batch = ImportBatch.objects.select_for_update().get(uuid=job.params["batch"], created_by=job.actor)
    if not dry_run and batch.status != ImportBatch.Status.PENDING:
        return {"error": _("Lô này đã xử lý: {s}.").format(s=batch.get_status_display())}
    importer = importer_for(batch.kind)
    if importer is None:
        raise LookupError(batch.kind)
    jobs.progress(0, None, _("Đang đọc tệp"))
    try:
        result = importer(actor=job.actor, filename=batch.filename, content=batch.read(), dry_run=dry_run)
    except ImportRejected as exc:
        return {"rejected": [[e.row, e.column, e.message] for e in exc.errors]}
    except DomainError as exc:
        return {"error": str(exc.message)}
    if not dry_run:
        batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
        batch.save(update_fields=["status", "applied_at"])
    kind = type(result)
    return {"result": dataclasses.asdict(result), "class": f"{kind.__module__}.{kind.__qualname__}"}


def _revive(kind: Any, data: Any) -> Any:
    """A dataclass (and the dataclasses in its fields, in lists or tuples) back from its JSON."""
    if dataclasses.is_dataclass(kind) and isinstance(data, dict):
        hints = typing.get_type_hints(kind)
        return kind(**{name: _revive(hints.get(name), value) for name, value in data.items()})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (list, tuple) and isinstance(data, list):
        if origin is tuple:
            return tuple(data)
        return [_revive(args[0] if args else None, item) for item in data]
    return data


def outcome_context(outcome: dict[str, Any]) -> dict[str, Any]:
    """The preview page's context from a job's stored result: the importer's own result class, so
    the page renders exactly as after a synchronous run."""
    if "result" in outcome:
        kind = import_string(outcome["class"]) if outcome.get("class") else ImportResult
        if not (dataclasses.is_dataclass(kind) and kind.__module__.startswith("cax.")):
            raise LookupError(outcome.get("class"))
        return {"result": _revive(kind, outcome["result"])}
    if "rejected" in outcome:
        return {"rejected": ImportRejected([RowError(*error) for error in outcome["rejected"]])}
    return {"error": outcome.get("error", "")}
