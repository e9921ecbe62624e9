"""The posting lifecycle on the officer's page (issue 14): bổ nhiệm, điều động, kết thúc, trạng thái.
Thin: each form calls the service the API, the import and the planner use."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.idempotency import submit_once
from cax.core.text import vn_date
from cax.deployment import forms, policy, services
from cax.deployment.models import Posting
from cax.personnel import policy as personnel_policy
from cax.personnel import selectors as officer_selectors
from cax.units.selectors import unit_get_by_code

# Service field names → the form fields that carry them.
FIELD_ALIASES = {"unit": "unit_code", "to_unit": "unit_code"}


def lifecycle_context(request, officer, bound: dict | None = None) -> dict:
    """The forms the officer's page shows to someone who may use them (a refused form comes back
    bound, with its errors)."""
    user, bound = request.user, bound or {}
    can_post = policy.can_post(user)
    open_posting = next((p for p in officer.postings.all() if p.end_date is None), None)
    return {
        "can_post": can_post,
        "can_change_status": personnel_policy.can_keep(user),
        "open_posting": open_posting,
        "posting_form": bound.get("posting") or (forms.PostingCreateForm() if can_post else None),
        "transfer_form": bound.get("transfer") or (forms.TransferForm() if can_post and open_posting else None),
        "end_form": bound.get("end") or (forms.PostingEndForm() if can_post and open_posting else None),
        "status_form": bound.get("status") or forms.StatusChangeForm(current=officer.status),
        "status_changes": list(officer.status_changes.order_by("-effective_from", "-pk")),
    }


def _refused(form, exc: DomainError) -> None:
    """The service's reasons beside the fields they concern; the message on top when none is a field
    of this form (a clash with another posting, a planned change already waiting)."""
    placed = False
    for key, texts in exc.fields.items():
        key = FIELD_ALIASES.get(key, key)
        if key in form.fields:
            for text in texts:
                form.add_error(key, text if text != _("Không hợp lệ") else exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _render_refused(request, officer, name: str, form):
    officer = officer_selectors.officer_get(actor=request.user, pk=officer.pk)
    # The officer's page with this app's part only, the refused form bound with its errors.
    context = {
        "officer": officer,
        "parts": ["deployment/_officer_lifecycle.html"],
        **lifecycle_context(request, officer, {name: form}),
    }
    return render(request, "personnel/officer_detail.html", context, status=200)


def _run(request, pk: int, name: str, form, action, done: str):
    officer = officer_selectors.officer_get(actor=request.user, pk=pk)
    if form.is_valid():
        try:
            result = action(officer, form.cleaned_data)
        except NotVisible as exc:
            form.add_error("unit_code" if "unit_code" in form.fields else None, exc.message)
        except PermissionDenied:
            raise
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, done.format(**result) if isinstance(result, dict) else done)
            return redirect("personnel:detail", pk=pk)
    return _render_refused(request, officer, name, form)


def _planned(day) -> str:
    from django.utils import timezone

    return _(" (có hiệu lực từ {d})").format(d=vn_date(day)) if day > timezone.localdate() else ""


@login_required
@require_POST
@submit_once
def posting_add(request, pk: int):
    policy.require_poster(request.user)

    def action(officer, data):
        unit = unit_get_by_code(actor=request.user, code=data.pop("unit_code"), on=data["start_date"])
        services.posting_create(actor=request.user, officer=officer, unit=unit, **data)
        return {"u": unit.name, "p": _planned(data["start_date"])}

    return _run(request, pk, "posting", forms.PostingCreateForm(request.POST), action, _("Đã bố trí vào {u}{p}."))


@login_required
@require_POST
@submit_once
def transfer(request, pk: int):
    policy.require_poster(request.user)

    def action(officer, data):
        unit = unit_get_by_code(actor=request.user, code=data.pop("unit_code"), on=data["on"])
        services.posting_transfer(actor=request.user, officer=officer, to_unit=unit, **data)
        return {"u": unit.name, "p": _planned(data["on"])}

    return _run(request, pk, "transfer", forms.TransferForm(request.POST), action, _("Đã điều động đến {u}{p}."))


@login_required
@require_POST
@submit_once
def posting_finish(request, pk: int, posting_id: int):
    policy.require_poster(request.user)

    def action(officer, data):
        posting = Posting.objects.visible_to(request.user).filter(pk=posting_id, officer=officer).first()
        if posting is None:
            raise DomainError(_("Không tìm thấy quyết định bố trí."))
        services.posting_end(actor=request.user, posting=posting, **data)
        return {"u": posting.unit.name, "d": vn_date(data["end_date"])}

    return _run(
        request, pk, "end", forms.PostingEndForm(request.POST), action, _("Đã kết thúc bố trí tại {u} ngày {d}.")
    )


@login_required
@require_POST
@submit_once
def status_change(request, pk: int):
    personnel_policy.require_keeper(request.user)
    officer = officer_selectors.officer_get(actor=request.user, pk=pk)

    def action(officer, data):
        change = services.officer_status_change(actor=request.user, officer=officer, **data)
        return {"s": change.get_status_display(), "d": vn_date(change.effective_from)}

    form = forms.StatusChangeForm(request.POST, current=officer.status)
    return _run(request, pk, "status", form, action, _("Đã ghi trạng thái “{s}” từ {d}."))
