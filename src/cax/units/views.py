from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.accounts.roles import CHANGE_UNITS
from cax.core.exceptions import DomainError, PermissionDenied
from cax.core.exports import XLSX_MIME, xlsx_response
from cax.core.imports import ImportRejected, template_xlsx
from cax.core.listing import is_htmx, paginate, query_without_page, wants_excel
from cax.core.models import ImportBatch
from cax.units import imports, selectors
from cax.units.forms import UnitFilterForm, UnitImportForm

# Literal calls, so makemessages finds each header.
EXPORT_HEADERS = [
    gettext_lazy("Mã"),
    gettext_lazy("Tên"),
    gettext_lazy("Loại"),
    gettext_lazy("Mã đơn vị cấp trên"),
    gettext_lazy("Cấp"),
    gettext_lazy("Hiệu lực từ"),
    gettext_lazy("Hiệu lực đến"),
    gettext_lazy("Biên giới"),
    gettext_lazy("Vùng dân tộc thiểu số"),
    gettext_lazy("Vùng sâu, vùng xa"),
    gettext_lazy("Trọng điểm ANTT"),
    gettext_lazy("Dân số"),
    gettext_lazy("Vĩ độ"),
    gettext_lazy("Kinh độ"),
    gettext_lazy("Số đơn vị trực thuộc"),
    gettext_lazy("Số đơn vị cấp xã"),
]


def _export(units, name: str) -> HttpResponse:
    rows = (
        (
            u.code,
            u.name,
            u.unit_type.name,
            u.parent.code if u.parent else "",
            u.level,
            u.valid_from,
            u.valid_to,
            u.is_border,
            u.is_ethnic_minority,
            u.is_remote,
            u.is_key_security,
            u.population,
            u.latitude,
            u.longitude,
            u.child_count,
            u.commune_count,
        )
        for u in units
    )
    return xlsx_response(name, "Đơn vị", [str(h) for h in EXPORT_HEADERS], rows)


def _listing(request, *, parent=None):
    form = UnitFilterForm(request.GET or None)
    units = selectors.unit_list(actor=request.user, parent=parent, **form.selector_kwargs())
    return form, units


@login_required
def unit_list(request):
    form, units = _listing(request)
    if wants_excel(request):
        return _export(units, "don-vi")
    context = {"form": form, "page": paginate(request, units), "query": query_without_page(request)}
    if is_htmx(request):
        return render(request, "units/_unit_table.html", context)
    return render(request, "units/unit_list.html", context)


@login_required
def unit_detail(request, pk: int):
    unit = selectors.unit_get(actor=request.user, pk=pk)
    form, children = _listing(request, parent=unit)
    if wants_excel(request):
        return _export(children, f"don-vi-truc-thuoc-{unit.code}")
    context = {
        "unit": unit,
        "breadcrumbs": selectors.unit_breadcrumbs(actor=request.user, unit=unit),
        "form": form,
        "page": paginate(request, children),
        "query": query_without_page(request),
        "successors": list(unit.successors.all()),
        "predecessors": list(unit.predecessors.all()),
    }
    if is_htmx(request):
        return render(request, "units/_unit_table.html", context)
    return render(request, "units/unit_detail.html", context)


def _require_import_rights(user) -> None:
    if not user.has_cax_perm(CHANGE_UNITS):
        raise PermissionDenied(_("Bạn không có quyền nhập danh mục đơn vị."))


@login_required
def unit_import(request):
    _require_import_rights(request.user)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            uuid=uuid.uuid4(), kind="units", filename=upload.name, content=upload.read(), created_by=request.user
        )
        return redirect("units:import_preview", batch=batch.uuid)
    return render(request, "units/unit_import.html", {"form": form, "columns": imports.COLUMNS})


def _batch(request, batch_uuid) -> ImportBatch:
    batch = ImportBatch.objects.owned_by(request.user).filter(uuid=batch_uuid, kind="units").first()
    if batch is None:
        raise Http404
    return batch


@login_required
def unit_import_preview(request, batch):
    _require_import_rights(request.user)
    batch = _batch(request, batch)
    context = {"batch": batch}
    if batch.status != ImportBatch.Status.PENDING:
        return render(request, "units/unit_import_preview.html", context)
    confirm = request.method == "POST"
    try:
        context["result"] = imports.units_import(
            actor=request.user, filename=batch.filename, content=bytes(batch.content), dry_run=not confirm
        )
    except ImportRejected as exc:
        context["rejected"] = exc
    except DomainError as exc:
        context["error"] = exc.message
    if confirm and "result" in context:
        batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
        batch.save(update_fields=["status", "applied_at"])
        messages.success(request, _("Đã nhập {n} dòng.").format(n=len(context["result"].outcomes)))
    return render(request, "units/unit_import_preview.html", context)


@login_required
def unit_import_template(request):
    response = HttpResponse(template_xlsx(imports.COLUMNS), content_type=XLSX_MIME)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.xlsx"'
    return response
