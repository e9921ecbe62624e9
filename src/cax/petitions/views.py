"""The actions on a request's page: assign, answer, remind (thin: the services decide)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cax.core.exceptions import DomainError
from cax.core.idempotency import submit_once
from cax.core.records.views import detail_context
from cax.petitions import services
from cax.petitions.registers import PETITIONS, AnswerForm, AssignForm, RemindForm


def _detail(request, petition, **forms):
    context = detail_context(request, PETITIONS, petition)
    context.update(forms)
    return render(request, PETITIONS.detail_template, context)


def _act(request, pk: int, form, action):
    petition = PETITIONS.get(request.user, pk)
    if form.is_valid():
        try:
            with transaction.atomic():
                action(petition, form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(PETITIONS.url("detail", pk))
    return _detail(request, petition, **{form.prefix_name: form})


@login_required
@require_POST
@submit_once
def petition_assign(request, pk: int):
    form = AssignForm(request.POST, actor=request.user)
    form.prefix_name = "assign_form"
    return _act(
        request,
        pk,
        form,
        lambda p, data: services.petition_assign(
            actor=request.user, petition=p, department=data["department"], due_on=data["due_on"], note=data["note"]
        ),
    )


@login_required
@require_POST
@submit_once
def petition_answer(request, pk: int):
    form = AnswerForm(request.POST)
    form.prefix_name = "answer_form"
    return _act(
        request,
        pk,
        form,
        lambda p, data: services.petition_answer(
            actor=request.user,
            petition=p,
            answer=data["answer"],
            answered_by=data["answered_by"],
            answered_on=data["answered_on"],
        ),
    )


@login_required
@require_POST
@submit_once
def petition_remind(request, pk: int):
    form = RemindForm(request.POST)
    form.prefix_name = "remind_form"
    return _act(
        request, pk, form, lambda p, data: services.petition_remind(actor=request.user, petition=p, note=data["note"])
    )
