"""Pages beyond the generic register pages: the headquarters status timeline, equipment events,
and the two drill-downs of the overview tiles that list what has no row (units without
headquarters, standard items a unit lacks)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cax.core.bounds import DayInput
from cax.core.exceptions import DomainError
from cax.core.idempotency import submit_once
from cax.core.listing import page_size, query_without_page
from cax.core.records.views import detail_context
from cax.facilities import policy, services
from cax.facilities.models import EquipmentEvent
from cax.facilities.selectors import (
    equipment_summary,
    headquarters_of,
    headquarters_timeline,
    units_without_headquarters,
)
from cax.units.fields import UnitCodeField
from cax.units.kinds import is_commune_level
from cax.units.models import Unit
from cax.units.selectors import unit_get_by_code


def headquarters_context(request, obj) -> dict:
    # The timeline comes from the change log, so it is shown to those who may read the log.
    return {"timeline": headquarters_timeline(actor=request.user, headquarters=obj)}


class EventForm(forms.ModelForm):
    class Meta:
        model = EquipmentEvent
        fields = ["kind", "date", "quantity", "to_unit", "document", "note"]
        widgets = {"date": DayInput()}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].required = False
        self.fields["quantity"].help_text = _("Để trống: toàn bộ số lượng của dòng này.")
        self.fields["to_unit"] = UnitCodeField(
            actor=actor, kinds=is_commune_level, required=False, label=_("Điều chuyển đến (mã đơn vị)")
        )


def equipment_context(request, obj) -> dict:
    can_record = policy.can_record_events(request.user, obj)
    return {
        "events": list(obj.events.select_related("to_unit").order_by("-date", "-pk")),
        "event_form": EventForm(actor=request.user, initial={"date": timezone.localdate()}) if can_record else None,
    }


@login_required
@require_POST
@submit_once
def event_add(request, pk: int):
    from cax.facilities.registers import EQUIPMENT

    policy.require_event_recorder(request.user)
    equipment = EQUIPMENT.get(request.user, pk)
    form = EventForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            event = services.event_record(actor=request.user, equipment=equipment, data=form.cleaned_data)
        except DomainError as exc:
            for key, texts in (exc.fields or {"": [exc.message]}).items():
                for text in texts:
                    form.add_error(key if key in form.fields else None, text)
        else:
            messages.success(request, _("Đã ghi sự kiện: {e}.").format(e=event.get_kind_display()))
            # A transfer may take the items out of the user's scope: then back to the row they left.
            target = event.equipment_id if request.user.has_perm(policy.VIEW_EQUIPMENT, event.equipment) else pk
            return redirect(EQUIPMENT.url("detail", target))
    # The refused form is shown on the equipment's own page, as the detail view builds it.
    context = {**detail_context(request, EQUIPMENT, equipment), "event_form": form}
    return render(request, EQUIPMENT.detail_template, context)


def _unit_from(request) -> Unit:
    code = (request.GET.get("unit") or "").strip()
    return unit_get_by_code(actor=request.user, code=code, counts=False) if code else request.user.unit


@login_required
def headquarters_missing(request):
    """Commune-level units without headquarters, including those nobody has recorded yet."""
    policy.require_headquarters_reader(request.user)
    unit = _unit_from(request)
    missing = units_without_headquarters(actor=request.user, unit=unit)
    page = Paginator(missing, page_size(request)).get_page(request.GET.get("page"))
    recorded = headquarters_of(actor=request.user, units=page)
    return render(
        request,
        "facilities/headquarters_missing.html",
        {
            "unit": unit,
            "page": page,
            "rows": [(u, recorded.get(u.pk)) for u in page],
            "query": query_without_page(request),
            "can_change": policy.can_change_headquarters(request.user),
        },
    )


@login_required
def equipment_gaps(request):
    """(unit, item) pairs of the standard that the unit does not meet with equipment in service."""
    policy.require_equipment_reader(request.user)
    unit = _unit_from(request)
    summary = equipment_summary(actor=request.user, unit=unit, day=timezone.localdate())
    page = Paginator(summary.gaps, page_size(request)).get_page(request.GET.get("page"))
    return render(
        request,
        "facilities/equipment_gaps.html",
        {"unit": unit, "summary": summary, "page": page, "query": query_without_page(request)},
    )
