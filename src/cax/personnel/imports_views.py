from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string

from cax.core import import_flow
from cax.core.idempotency import submit_once
from cax.core.registry import registry
from cax.personnel import policy
from cax.personnel.forms import OfficerImportForm


def _kinds() -> dict:
    """What this page imports: officers, and the records other apps keep about them (postings, party
    cells, committee seats), as registered in ``core.registry`` (issue 15.2)."""
    return {k.kind: k for k in registry.imports_of("officers")}


@login_required
@submit_once
def officer_import(request):
    policy.require_importer(request.user)
    kind = request.POST.get("kind", "officers")
    kinds = _kinds()
    form = OfficerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and kind in kinds:
        batch = import_flow.store_upload(request, kind=kind, upload=form.cleaned_data["file"])
        return redirect("personnel:import_preview", batch=batch.uuid)
    return render(request, "personnel/officer_import.html", {"form": form, "kinds": kinds.values()})


@login_required
@submit_once
def officer_import_preview(request, batch):
    policy.require_importer(request.user)
    context = import_flow.run_batch(
        request, batch_uuid=batch, importers={k: import_string(v.importer) for k, v in _kinds().items()}
    )
    if isinstance(context, HttpResponse):  # a large file: on to its background job's page
        return context
    return render(request, "personnel/officer_import_preview.html", context)


@login_required
def import_template(request, kind: str):
    found = _kinds().get(kind)
    if found is None:
        raise Http404
    return import_flow.template_response(import_string(found.columns), f"mau-nhap-{kind}.xlsx")
