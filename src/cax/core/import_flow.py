"""The web steps every import shares: upload → preview (a dry run) → confirm (the real run).

The file waits in an ImportBatch row, private to its uploader, so any app process can finish it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError
from cax.core.exports import XLSX_MIME
from cax.core.imports import Column, ImportRejected, template_xlsx
from cax.core.models import ImportBatch


def store_upload(request, *, kind: str, upload) -> ImportBatch:
    return ImportBatch.objects.create(
        uuid=uuid.uuid4(), kind=kind, filename=upload.name, content=upload.read(), created_by=request.user
    )


def run_batch(request, *, batch_uuid, importers: dict[str, Callable[..., Any]]) -> dict[str, Any]:
    """Dry run on GET, real run on POST; returns the template context (result, rejected or error).

    ``importers`` maps the batch kinds this page handles to their import functions.
    """
    batch = ImportBatch.objects.owned_by(request.user).filter(uuid=batch_uuid, kind__in=list(importers)).first()
    if batch is None:
        raise Http404
    importer = importers[batch.kind]
    context: dict[str, Any] = {"batch": batch}
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
                actor=request.user, filename=batch.filename, content=bytes(batch.content), dry_run=not confirm
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
