from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import import_flow
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.listing import is_htmx, paginate, query_without_page, wants_excel
from cax.units import imports, policy, selectors
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
    gettext_lazy("Tiếng dân tộc tại địa bàn"),
    gettext_lazy("Mã đơn vị kế thừa"),
    gettext_lazy("Số đơn vị trực thuộc"),
    gettext_lazy("Số đơn vị cấp xã"),
]


def _export(units, name: str) -> HttpResponse:
    """Every column the unit import reads, in the form it parses (codes, ";" lists): the file imports back."""
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
            "; ".join(u.local_languages or []),
            "; ".join(s.code for s in u.successors.all()),
            u.child_count,
            u.commune_count,
        )
        for u in units.prefetch_related("successors")
    )
    return xlsx_response(name, _("Đơn vị"), [str(h) for h in EXPORT_HEADERS], rows)


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
def unit_pick(request):
    """The unit picker's suggestions for a unit code input: the list items under it (htmx), or JSON
    with ``format=json``. The text is in ``q``, or in the parameter that ``field`` names (the input's
    own name, which htmx sends)."""
    text = (request.GET.get(request.GET.get("field") or "q") or request.GET.get("q") or "").strip()
    units = selectors.unit_picks(actor=request.user, q=text)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "results": [
                    {"code": u.code, "name": u.name, "parent": u.parent.name if u.parent_id else ""} for u in units
                ]
            }
        )
    return render(request, "units/_picks.html", {"units": units, "searched": bool(text)})


@login_required
def unit_detail(request, pk: int):
    form = UnitFilterForm(request.GET or None)
    as_of = form.selector_kwargs()["as_of"]  # the page as of a past date: counts and children of that day
    unit = selectors.unit_get(actor=request.user, pk=pk, as_of=as_of)
    children = selectors.unit_list(actor=request.user, parent=unit, **form.selector_kwargs())
    if wants_excel(request):
        return _export(children, f"don-vi-truc-thuoc-{unit.code}")
    context = {
        "unit": unit,
        "as_of": as_of or timezone.localdate(),
        "breadcrumbs": selectors.unit_breadcrumbs(actor=request.user, unit=unit),
        "form": form,
        "page": paginate(request, children),
        "query": query_without_page(request),
        "successors": list(unit.successors.all()),
    }
    if is_htmx(request):
        return render(request, "units/_unit_table.html", context)
    return render(request, "units/unit_detail.html", context)


@login_required
@submit_once
def unit_import(request):
    policy.require_importer(request.user)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = import_flow.store_upload(request, kind="units", upload=form.cleaned_data["file"])
        return redirect("units:import_preview", batch=batch.uuid)
    return render(request, "units/unit_import.html", {"form": form, "columns": imports.COLUMNS})


@login_required
@submit_once
def unit_import_preview(request, batch):
    policy.require_importer(request.user)
    context = import_flow.run_batch(request, batch_uuid=batch, importers={"units": imports.units_import})
    if isinstance(context, HttpResponse):  # a large file: on to its background job's page
        return context
    return render(request, "units/unit_import_preview.html", context)


@login_required
def unit_import_template(request):
    return import_flow.template_response(imports.COLUMNS, "mau-nhap-don-vi.xlsx")
