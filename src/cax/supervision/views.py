"""The pages of persons under local management (thin: selectors read, services write, policy decides).

- the list (names: the managing commune, the responsible department), its Excel export (a reason,
  logged), a file's page (opened with a reason, logged), the forms of the events and the move;
- the figures and the overdue list of a unit for every level: counts, never a name;
- the hand-overs waiting for the receiving commune; the access log for auditors.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cax.core.bounds import day_from_text
from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.listing import is_htmx, paginate, query_without_page, wants_excel
from cax.core.records.forms import FilterForm, attach_errors
from cax.core.records.register import Register
from cax.core.records.views import record_edit
from cax.core.text import matching_words
from cax.supervision import clock, policy, selectors, services
from cax.supervision.models import VIEW_ACCESS_LOG, EventKind, FileAccess, Handover
from cax.supervision.registers import FILES, RECORDED_KINDS, AcceptForm, HandoverForm, ReasonForm, event_form
from cax.units.models import Unit
from cax.units.selectors import unit_get_by_code


def _unit_param(request) -> Unit:
    """The unit of ``?unit=`` (its code) among those the user sees, else the user's own."""
    code = (request.GET.get("unit") or "").strip()
    if not code:
        return request.user.unit
    return unit_get_by_code(actor=request.user, code=code, counts=False)


# -- the list, its export ---------------------------------------------------------------------------


@login_required
def file_list(request, register: Register = FILES):
    policy.require_names(request.user)
    form = FilterForm(request.GET or None, register=register)
    try:
        records = register.search(request.user, request.GET)
        error = ""
    except DomainError as exc:
        records, error = register.queryset(request.user).none(), exc.message
    if wants_excel(request):
        return _export(request, register, records)
    page = paginate(request, records)
    context = {
        "register": register,
        "form": form,
        "error": error,
        "page": page,
        "rows": [(obj, register.cells(obj, listing=True)) for obj in page],
        "headers": register.headers(listing=True),
        "query": query_without_page(request),
        "can_change": request.user.has_perm(register.change_perm),
    }
    template = "supervision/_file_rows.html" if is_htmx(request) else "supervision/file_list.html"
    return render(request, template, context)


def _export(request, register: Register, records):
    """Names leave CAX only with a reason, logged with the number of rows."""
    reason = request.GET.get("reason", "")
    try:
        policy.require_reason(reason)
    except DomainError as exc:
        form = ReasonForm(request.GET if reason else None)
        if reason:
            attach_errors(form, exc)
        return render(
            request,
            "supervision/reason.html",
            {"form": form, "keep": _kept(request), "title": _("Xuất danh sách đối tượng ra Excel")},
        )
    rows = list(records)
    services.names_exported(actor=request.user, unit=request.user.unit, rows=len(rows), reason=reason)
    return xlsx_response(
        register.export_name, str(register.label_plural)[:31], register.headers(), (register.cells(o) for o in rows)
    )


def _kept(request) -> list[tuple[str, str]]:
    """The query's other parameters, carried by the reason form as hidden fields."""
    return [(k, v) for k, values in request.GET.lists() if k != "reason" for v in values]


# -- a file -----------------------------------------------------------------------------------------


def _file(request, pk: int):
    file = selectors.file_for(request.user, pk)
    if file is None:
        raise NotVisible(_("Không tìm thấy."))
    return file


@login_required
def file_detail(request, pk: int, register: Register = FILES):
    """A person's file: asked why first, the answer logged, then shown."""
    policy.require_names(request.user)
    file = _file(request, pk)
    reason = request.GET.get("reason", "")
    try:
        services.file_open(actor=request.user, file=file, reason=reason)
    except DomainError as exc:
        form = ReasonForm(request.GET if reason else None)
        if reason:
            attach_errors(form, exc)
        title = _("Mở hồ sơ số {n}").format(n=file.pk)
        return render(request, "supervision/reason.html", {"form": form, "keep": [], "title": title})
    today = timezone.localdate()
    context = {
        "register": register,
        "object": file,
        "values": [(f.label, f.show(file)) for f in register.fields],
        "history": selectors.history(request.user, file),
        "today": today,
        "reason": reason,
        "can_manage": policy.can_manage(request.user, file),
        "can_move": policy.can_move(request.user, file),
        "kinds": [(k, EventKind(k).label) for k in RECORDED_KINDS],
        "missing_items": [i for i in file.category.dossier_items if i not in (file.dossier or [])],
        **selectors.file_page(request.user, file),
    }
    context["duty_rows"] = [(d, clock.duty_label(d.code)) for d in context["duties"]]
    return render(request, "supervision/file_detail.html", context)


@login_required
def file_edit(request, pk: int, register: Register = FILES):
    """The records framework's edit form, which shows the identity: opening it is an open of the
    file, logged (the reason is the edit itself)."""
    if request.method == "GET":
        services.file_open(actor=request.user, file=_file(request, pk), reason=_("Sửa hồ sơ"))
    return record_edit(request, register=register, pk=pk)


# record_edit, called inside, is wrapped in submit_once: a POST here is guarded by it.
file_edit.submit_once = True


def _back_to(file, reason: str) -> str:
    return reverse("supervision:file_detail", args=[file.pk]) + "?" + urlencode({"reason": reason})


@login_required
@submit_once
def event_record(request, pk: int, kind: str):
    file = _file(request, pk)
    policy.require_manager(request.user, file)
    if kind not in RECORDED_KINDS:
        raise Http404
    form = event_form(kind, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_record(actor=request.user, file=file, kind=kind, **form.service_kwargs())
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi {what}.").format(what=EventKind(kind).label.lower()))
            return redirect(_back_to(file, _("Cập nhật diễn biến quản lý")))
    return render(request, "supervision/event_form.html", {"file": file, "form": form, "title": EventKind(kind).label})


@login_required
@submit_once
def handover_send(request, pk: int):
    file = _file(request, pk)
    policy.require_manager(request.user, file)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # A country-wide lookup by design (as a case's transfer): the person may move anywhere.
        to_unit = Unit.objects.current().commune_level().filter(code=data["to_unit"].strip()).first()
        if to_unit is None:
            form.add_error("to_unit", _("Không có Công an xã mã “{c}”.").format(c=data["to_unit"]))
        else:
            try:
                services.handover_send(
                    actor=request.user,
                    file=file,
                    to_unit=to_unit,
                    moved_at=data["moved_at"],
                    new_address=data["new_address"],
                    note=data["note"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Đã thông báo cho {u}; chờ nơi đến tiếp nhận.").format(u=to_unit.name))
                return redirect(_back_to(file, _("Chuyển nơi cư trú")))
    title = _("Chuyển nơi cư trú")
    return render(request, "supervision/event_form.html", {"file": file, "form": form, "title": title})


# -- hand-overs -------------------------------------------------------------------------------------


@login_required
def handover_list(request):
    policy.require_names(request.user)
    waiting = selectors.handovers_waiting(request.user)
    page = paginate(request, waiting)
    return render(
        request,
        "supervision/handover_list.html",
        {"page": page, "query": query_without_page(request), "now": timezone.now(), "accept_form": AcceptForm()},
    )


@login_required
@require_POST
@submit_once
def handover_accept(request, pk: int):
    handover = Handover.objects.visible_to(request.user).filter(pk=pk).select_related("to_unit").first()
    if handover is None:
        raise NotVisible(_("Không tìm thấy."))
    form = AcceptForm(request.POST)
    form.is_valid()
    new = services.handover_accept(actor=request.user, handover=handover, note=form.cleaned_data.get("note", ""))
    messages.success(request, _("Đã tiếp nhận; hồ sơ số {n} của đơn vị.").format(n=new.pk))
    return redirect(_back_to(new, _("Tiếp nhận đối tượng chuyển đến")))


# -- figures and the overdue list (every level) ------------------------------------------------------


@login_required
def figures(request):
    unit = _unit_param(request)
    day = day_from_text(request.GET.get("day"), "day")
    data = selectors.figures(request.user, unit, day=day)
    return render(request, "supervision/figures.html", {"unit": unit, **data, "names": policy.sees_names(request.user)})


@login_required
def overdue(request):
    """The overdue list of a unit: duties with names for those who may name, counts per commune
    and category for every other level."""
    policy.require_figures(request.user)
    today = timezone.localdate()
    if not policy.sees_names(request.user):
        unit = _unit_param(request)
        rows = selectors.overdue_by_unit(request.user, unit, day=today)
        return render(request, "supervision/overdue_counts.html", {"unit": unit, "rows": rows, "day": today})
    # Names: every duty the user may name (a department's are in communes outside its own subtree),
    # narrowed to a unit's subtree only when one is asked for.
    unit = _unit_param(request) if request.GET.get("unit") else None
    duties = selectors.overdue_duties(request.user, day=today, unit=unit)
    if wants_excel(request):
        return _export_overdue(request, duties)
    page = paginate(request, duties)
    rows = [(d, clock.duty_label(d.code)) for d in page]
    context = {"unit": unit, "page": page, "rows": rows, "day": today, "query": query_without_page(request)}
    return render(request, "supervision/overdue.html", context)


def _export_overdue(request, duties):
    reason = request.GET.get("reason", "")
    try:
        policy.require_reason(reason)
    except DomainError as exc:
        form = ReasonForm(request.GET if reason else None)
        if reason:
            attach_errors(form, exc)
        title = _("Xuất danh sách nghĩa vụ quá hạn")
        return render(request, "supervision/reason.html", {"form": form, "keep": _kept(request), "title": title})
    rows = list(duties)
    services.names_exported(actor=request.user, unit=request.user.unit, rows=len(rows), reason=reason)
    headers = [_("Mã hồ sơ"), _("Họ và tên"), _("Công an xã"), _("Loại đối tượng"), _("Nghĩa vụ"), _("Hạn")]
    cells = (
        [
            d.file_id,
            d.file.identity.full_name,
            d.file.unit.name,
            d.file.category.name,
            clock.duty_label(d.code),
            d.due_on,
        ]
        for d in rows
    )
    return xlsx_response("nghia-vu-qua-han", str(_("Nghĩa vụ quá hạn")), headers, cells)


# -- the access log (auditors) ----------------------------------------------------------------------


@login_required
def access_log(request):
    if not request.user.has_perm(VIEW_ACCESS_LOG):
        raise PermissionDenied(_("Bạn không có quyền xem nhật ký mở hồ sơ đối tượng."))
    rows = FileAccess.objects.visible_to(request.user).select_related("user", "unit").order_by("-at")
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = matching_words(rows, q, field="user__username")
    if wants_excel(request):
        headers = [_("Thời điểm"), _("Người mở"), _("Đơn vị"), _("Thao tác"), _("Mã hồ sơ"), _("Số dòng"), _("Lý do")]
        cells = (
            [r.at, r.user.username, r.unit.name, r.get_action_display(), r.file_id, r.rows, r.reason]
            for r in rows.iterator(chunk_size=2000)
        )
        return xlsx_response("nhat-ky-mo-ho-so", str(_("Nhật ký mở hồ sơ")), headers, cells)
    page = paginate(request, rows)
    return render(request, "supervision/access_log.html", {"page": page, "query": query_without_page(request), "q": q})
