from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cax.accounts.roles import CHANGE_OFFICERS
from cax.core import import_flow
from cax.core.exceptions import PermissionDenied
from cax.core.idempotency import submit_once
from cax.personnel.forms import OfficerImportForm
from cax.personnel.imports import IMPORTERS, KINDS


def _require_rights(user) -> None:
    if not user.has_cax_perm(CHANGE_OFFICERS):
        raise PermissionDenied(_("Bạn không có quyền nhập hồ sơ cán bộ."))


@login_required
@submit_once
def officer_import(request):
    _require_rights(request.user)
    kind = request.POST.get("kind", "officers")
    form = OfficerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and kind in KINDS:
        batch = import_flow.store_upload(request, kind=kind, upload=form.cleaned_data["file"])
        return redirect("personnel:import_preview", batch=batch.uuid)
    return render(request, "personnel/officer_import.html", {"form": form, "kinds": KINDS})


@login_required
@submit_once
def officer_import_preview(request, batch):
    _require_rights(request.user)
    context = import_flow.run_batch(request, batch_uuid=batch, importers=IMPORTERS)
    return render(request, "personnel/officer_import_preview.html", context)


@login_required
def import_template(request, kind: str):
    if kind not in KINDS:
        raise Http404
    return import_flow.template_response(KINDS[kind], f"mau-nhap-{kind}.xlsx")
