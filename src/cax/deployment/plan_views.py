"""Pages of the posting planner (#7): thin, over ``planning`` (writes) and ``plan_selectors`` (reads)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cax.core.bounds import id_in_query
from cax.core.exceptions import DomainError, NotVisible
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.listing import is_htmx, paginate, query_without_page, wants_excel
from cax.deployment import charts, plan_selectors, plan_texts, planning, policy
from cax.deployment.forms import ApproveForm, AssignmentForm, PlanScenarioForm
from cax.deployment.models import PlanScenario, PlanStatus
from cax.units.selectors import unit_get

EXPORT_HEADERS = [
    gettext_lazy("STT"),
    gettext_lazy("Số hiệu"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Cấp bậc hàm"),
    gettext_lazy("Đơn vị hiện tại"),
    gettext_lazy("Chức danh hiện tại"),
    gettext_lazy("Đơn vị đề xuất"),
    gettext_lazy("Chức danh đề xuất"),
    gettext_lazy("Khoảng cách (km)"),
    gettext_lazy("Lý do"),
    gettext_lazy("Sửa tay"),
]
LIST_HEADERS = [
    gettext_lazy("Tên phương án"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Ngày hiệu lực"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Tổng chi phí"),
    gettext_lazy("Số quyết định"),
]


@login_required
def plan_list(request):
    policy.require_plan_reader(request.user)
    q, status = request.GET.get("q", ""), request.GET.get("status", "")
    scenarios = plan_selectors.scenario_list(actor=request.user, q=q, status=status)
    if wants_excel(request):
        rows = (
            [s.name, s.unit.name, s.start_date, s.get_status_display(), s.objective, s.decision_number]
            for s in scenarios
        )
        return xlsx_response("phuong-an-bo-tri", _("Phương án bố trí"), [str(h) for h in LIST_HEADERS], rows)
    return render(
        request,
        "deployment/plan_list.html",
        {
            "page": paginate(request, scenarios),
            "query": query_without_page(request),
            "q": q,
            "status": status,
            "statuses": PlanStatus.choices,
            "can_change": policy.can_plan(request.user),
        },
    )


@login_required
@submit_once
def plan_create(request):
    policy.require_planner(request.user)
    unit = unit_get(actor=request.user, pk=id_in_query(request.GET.get("unit")) or request.user.unit_id)
    form = PlanScenarioForm(
        request.POST or None,
        scope_path=unit.path,
        initial={
            "name": _("Phương án bố trí {d:%d/%m/%Y}").format(d=timezone.localdate()),
            "start_date": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            scenario = planning.scenario_create(
                actor=request.user,
                unit=unit,
                values=form.values(),
                volunteers=form.cleaned_data["volunteer_numbers"],
                target_units=form.cleaned_data["target_codes"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("plans:detail", scenario.pk)
    return render(request, "deployment/plan_form.html", {"form": form, "unit": unit, "scenario": None})


@login_required
@submit_once
def plan_edit(request, pk: int):
    policy.require_planner(request.user)
    scenario = plan_selectors.scenario_get(actor=request.user, pk=pk)
    form = PlanScenarioForm(request.POST or None, instance=scenario, scope_path=scenario.unit.path)
    if request.method == "POST" and form.is_valid():
        try:
            planning.scenario_update(
                actor=request.user,
                # A fresh copy: validating the form wrote the posted values onto ``scenario``.
                scenario=plan_selectors.scenario_get(actor=request.user, pk=pk),
                values=form.values(),
                volunteers=form.cleaned_data["volunteer_numbers"],
                target_units=form.cleaned_data["target_codes"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("plans:detail", pk)
    return render(request, "deployment/plan_form.html", {"form": form, "unit": scenario.unit, "scenario": scenario})


@login_required
def plan_detail(request, pk: int):
    policy.require_plan_reader(request.user)
    scenario = plan_selectors.scenario_get(actor=request.user, pk=pk)
    q = request.GET.get("q", "")
    unit_filter = request.GET.get("unit", "")
    changes_only = request.GET.get("changes") == "1"
    rows = plan_selectors.assignment_list(
        scenario=scenario, q=q, unit_id=int(unit_filter) if unit_filter.isdigit() else None, changes_only=changes_only
    )
    view = plan_selectors.plan_view(scenario)
    names = {k: u.name for k, u in view.loaded.units.items()}
    if wants_excel(request):
        return _export(scenario, rows, names)
    page = paginate(request, rows)
    for a in page:
        a.reason_texts = [plan_texts.reason_text(code, params, names) for code, params in a.reasons]
    # Outside the f-strings: xgettext does not read inside them, so these never reached the catalog.
    now_word, plan_word = _("hiện tại"), _("phương án")
    compare_chart = charts.bars(
        [(f"{label} — {now_word}", current or 0, "") for label, current, _g, _p in view.compare[3:8]]
        + [(f"{label} — {plan_word}", planned or 0, "") for label, _c, _g, planned in view.compare[3:8]]
    )
    return render(
        request,
        "deployment/plan_detail.html",
        {
            "scenario": scenario,
            "view": view,
            "page": page,
            "query": query_without_page(request),
            "q": q,
            "unit_filter": unit_filter,
            "changes_only": changes_only,
            "places": sorted(((p.key, names.get(p.key, "")) for p in view.loaded.problem.places), key=lambda x: x[1]),
            "can_change": policy.can_plan(request.user),
            "running": scenario.status in planning.RUNNING,
            "stale": planning.is_stale(scenario),
            "solved": scenario.status in planning.SOLVED,
            "approve_form": ApproveForm(initial={"decision_date": timezone.localdate()}),
            "compare_chart": compare_chart,
            "gap_percent": _gap(scenario),
        },
    )


def _gap(scenario: PlanScenario):
    if scenario.objective is None or scenario.bound is None:
        return None
    return round(100 * max(0.0, scenario.objective - scenario.bound) / max(1.0, abs(scenario.objective)), 3)


def _export(scenario: PlanScenario, rows, names: dict[int, str]):
    data = []
    for number, a in enumerate(rows, start=1):
        reason = "; ".join(plan_texts.reason_text(code, params, names) for code, params in a.reasons)
        data.append(
            [
                number,
                a.officer.service_number,
                a.officer.full_name,
                a.officer.get_rank_display(),
                a.current_unit.name if a.current_unit_id else "",
                a.current_role and dict(a._meta.get_field("role").choices).get(a.current_role, a.current_role),
                a.unit.name,
                a.get_role_display(),
                a.km,
                reason,
                a.edited,
            ]
        )
    title = _("Dự thảo danh sách kèm quyết định: {name}").format(name=scenario.name)
    return xlsx_response(f"du-thao-bo-tri-{scenario.pk}", title[:120], [str(h) for h in EXPORT_HEADERS], data)


@login_required
def plan_progress(request, pk: int):
    """Polled by the page every second while the plan runs; tells htmx to reload when it ends."""
    policy.require_plan_reader(request.user)
    scenario = plan_selectors.scenario_get(actor=request.user, pk=pk)
    if scenario.status not in planning.RUNNING or planning.is_stale(scenario):
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "deployment/_plan_progress.html", {"scenario": scenario})


@login_required
@require_POST
@submit_once
def plan_action(request, pk: int):
    policy.require_planner(request.user)
    scenario = plan_selectors.scenario_get(actor=request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "run":
            planning.scenario_start(actor=request.user, scenario=scenario)
            messages.success(request, _("Đã bắt đầu tính phương án."))
        elif action == "cancel":
            planning.scenario_cancel(actor=request.user, scenario=scenario)
            messages.success(request, _("Đã yêu cầu hủy."))
        elif action == "approve":
            form = ApproveForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Nhập số quyết định và ngày quyết định hợp lệ."))
            made = planning.scenario_approve(
                actor=request.user,
                scenario=scenario,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
            )
            messages.success(request, _("Đã phê duyệt: {n} quyết định bố trí được tạo.").format(n=made))
        else:
            raise DomainError(_("Thao tác không hợp lệ."))
    except DomainError as exc:
        if isinstance(exc, NotVisible):
            raise
        messages.error(request, exc.message)
    if is_htmx(request):
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return redirect("plans:detail", pk)


@login_required
def assignment_edit(request, pk: int, assignment_id: int):
    policy.require_planner(request.user)
    scenario = plan_selectors.scenario_get(actor=request.user, pk=pk)
    assignment = scenario.assignments.select_related("officer", "unit").filter(pk=assignment_id).first()
    if assignment is None:
        raise NotVisible(_("Không tìm thấy đề xuất."))
    loaded_units = planning.load(scenario)
    units = sorted((loaded_units.units[p.key] for p in loaded_units.problem.places), key=lambda u: u.name)
    form = AssignmentForm(
        request.POST or None, units=units, initial={"unit": assignment.unit_id, "role": assignment.role}
    )
    if request.method == "POST" and form.is_valid():
        try:
            planning.assignment_change(
                actor=request.user,
                assignment=assignment,
                unit=loaded_units.units[form.cleaned_data["unit"]],
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã sửa; phương án được kiểm tra lại."))
            return redirect("plans:detail", pk)
    return render(
        request, "deployment/plan_assignment.html", {"scenario": scenario, "assignment": assignment, "form": form}
    )
