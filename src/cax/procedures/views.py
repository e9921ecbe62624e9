"""The desk's own pages beside the registers' generic ones: a dossier's actions (complete, resolve,
apology slip), the figures page, and the auditors' log of who read a name. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cax.core.exceptions import DomainError
from cax.core.idempotency import submit_once
from cax.core.listing import paginate
from cax.core.records.forms import attach_errors
from cax.core.records.views import detail_context
from cax.procedures import policy, selectors, services
from cax.procedures.forms import ApologyForm, CompleteForm, ResolveForm
from cax.procedures.registers import DOSSIERS


def _act(request, pk: int, form, action):
    dossier = DOSSIERS.get(request.user, pk)
    if form.is_valid():
        try:
            with transaction.atomic():
                action(dossier, form.cleaned_data)
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(DOSSIERS.url("detail", pk))
    context = detail_context(request, DOSSIERS, dossier)
    context[form.prefix_name] = form
    return render(request, DOSSIERS.detail_template, context)


@login_required
@require_POST
@submit_once
def dossier_complete(request, pk: int):
    form = CompleteForm(request.POST)
    form.prefix_name = "complete_form"
    return _act(
        request,
        pk,
        form,
        lambda d, data: services.dossier_complete(actor=request.user, dossier=d, complete_at=data["complete_at"]),
    )


@login_required
@require_POST
@submit_once
def dossier_resolve(request, pk: int):
    form = ResolveForm(request.POST)
    form.prefix_name = "resolve_form"
    return _act(
        request,
        pk,
        form,
        lambda d, data: services.dossier_resolve(
            actor=request.user, dossier=d, resolved_at=data["resolved_at"], outcome=data["outcome"], note=data["note"]
        ),
    )


@login_required
@require_POST
@submit_once
def dossier_apologize(request, pk: int):
    form = ApologyForm(request.POST)
    form.prefix_name = "apology_form"
    return _act(
        request,
        pk,
        form,
        lambda d, data: services.dossier_apologize(
            actor=request.user, dossier=d, new_due_at=data["new_due_at"], reason=data["reason"]
        ),
    )


@login_required
def figures(request):
    """Received, resolved, on time, overdue and online share per commune of the actor's subtree."""
    policy.require_figures(request.user)
    unit, first, last = selectors.figures_params(actor=request.user, params=request.GET)
    table = selectors.figures_by_unit(actor=request.user, unit=unit, first=first, last=last)
    return render(
        request,
        "procedures/figures.html",
        {
            "unit": unit,
            "first": first,
            "last": last,
            "table": table,
            "can_list": request.user.has_perm(DOSSIERS.view_perm),
        },
    )


@login_required
def identity_reads(request):
    """Auditors list who read which person's name at the desk, and when (Law 91/2025)."""
    policy.require_name_log_reader(request.user)
    reads = selectors.identity_reads(actor=request.user, username=request.GET.get("user", ""))
    return render(request, "procedures/identity_reads.html", {"page": paginate(request, reads)})
