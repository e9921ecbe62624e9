"""The generic pages of every register: list (with Excel), detail, create and edit, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cax.core import import_flow
from cax.core.exceptions import DomainError
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.listing import paginate, query_without_page, wants_excel
from cax.core.models import ChangeLog
from cax.core.records.access import require_change, require_view
from cax.core.records.forms import FilterForm, UploadForm, attach_errors
from cax.core.records.importing import import_records
from cax.core.records.register import Register
from cax.core.records.registry import units
from cax.core.scoping import is_within_scope, permission_name


@login_required
def record_list(request, register: Register):
    require_view(request.user, register)
    form = FilterForm(request.GET or None, register=register)
    try:
        records = register.search(request.user, request.GET)
        error = ""
    except DomainError as exc:
        records, error = register.queryset(request.user).none(), exc.message
    if wants_excel(request):
        return xlsx_response(
            register.export_name or register.name,
            str(register.label_plural)[:31],
            register.headers(),
            (register.cells(obj) for obj in records.iterator(chunk_size=2000)),
        )
    page = paginate(request, records)
    return render(
        request,
        register.list_template,
        {
            "register": register,
            "form": form,
            "error": error,
            "page": page,
            "rows": [(obj, register.cells(obj, listing=True)) for obj in page],
            "headers": register.headers(listing=True),
            "query": query_without_page(request),
            "can_change": request.user.has_perm(register.change_perm),
        },
    )


def detail_context(request, register: Register, obj) -> dict:
    """What the detail template needs; app views that re-render a detail (a refused action) reuse it."""
    context = {
        "register": register,
        "object": obj,
        "values": [(f.label, f.show(obj)) for f in register.fields],
        "can_change": request.user.has_perm(register.change_perm)
        and is_within_scope(request.user, obj.changelog_unit_path()),
        "history": _history(request.user, obj),
    }
    if register.detail_context is not None:
        context.update(register.detail_context(request, obj))
    return context


@login_required
def record_detail(request, pk: int, register: Register):
    require_view(request.user, register)
    obj = register.get(request.user, pk)
    return render(request, register.detail_template, detail_context(request, register, obj))


def _history(user, obj) -> list:
    if not user.has_perm(permission_name(ChangeLog, "view")):
        return []
    return list(
        ChangeLog.objects.visible_to(user)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-time")[:50]
    )


def _initial(request, register: Register, instance) -> dict:
    initial = {}
    scope_field = register.model._meta.get_field(register.model.scope_unit_field)
    naming = units()
    if instance is None and scope_field.related_model is naming.model and naming.is_commune_level(request.user.unit):
        initial[register.model.scope_unit_field] = request.user.unit.code
    for key in request.GET:  # "Add a member" from a team's page pre-fills the team
        initial[key] = request.GET[key]
    return initial


@login_required
@submit_once
def record_edit(request, register: Register, pk: int | None = None):
    require_change(request.user, register)
    instance = register.get(request.user, pk) if pk is not None else None
    # The form gets its own copy: validating a ModelForm writes the posted values onto its instance,
    # and the service must see the stored row (the change log's "before", the old unit's scope).
    form_instance = register.get(request.user, pk) if pk is not None else None
    form = register.form_class(
        request.POST or None, instance=form_instance, actor=request.user, initial=_initial(request, register, instance)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj = register.save(actor=request.user, instance=instance, data=form.data_for_service())
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(register.url("detail", obj.pk))
    return render(request, "core/records/edit.html", {"register": register, "form": form, "object": instance})


@login_required
@submit_once
def record_import(request, register: Register):
    require_change(request.user, register)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = import_flow.store_upload(request, kind=register.kind, upload=form.cleaned_data["file"])
        return redirect(register.url("import_preview", batch.uuid))
    return render(
        request,
        "core/records/import.html",
        {"register": register, "form": form, "columns": register.importable(), "key": register.key_field},
    )


@login_required
@submit_once
def record_import_preview(request, batch, register: Register):
    require_change(request.user, register)

    def importer(**kwargs):
        return import_records(register, **kwargs)

    context = import_flow.run_batch(request, batch_uuid=batch, importers={register.kind: importer})
    if isinstance(context, HttpResponse):  # a large file: on to its background job's page
        return context
    context["register"] = register
    return render(request, "core/records/import_preview.html", context)


@login_required
def record_import_template(request, register: Register):
    return import_flow.template_response([f.column() for f in register.importable()], f"mau-{register.name}.xlsx")
