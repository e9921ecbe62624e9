from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.cases import duplicates, policy, selectors, services
from cax.cases.forms import (
    AttachmentForm,
    CaseFilterForm,
    CaseRegisterForm,
    ProcuracyNoticeForm,
    StepChoiceForm,
    TransitionForm,
    chosen_step,
)
from cax.cases.workflow import next_steps
from cax.core.exceptions import DomainError
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.listing import is_htmx, paginate, query_without_page, wants_excel
from cax.units.selectors import unit_get

# Literal calls, so makemessages finds each header. The columns follow the paper register.
REGISTER_HEADERS = [
    gettext_lazy("Số TT"),
    gettext_lazy("Năm"),
    gettext_lazy("Đơn vị tiếp nhận"),
    gettext_lazy("Thời điểm tiếp nhận"),
    gettext_lazy("Loại nguồn tin"),
    gettext_lazy("Hình thức tiếp nhận"),
    gettext_lazy("Người báo tin"),
    gettext_lazy("Nội dung tóm tắt"),
    gettext_lazy("Thời điểm xảy ra"),
    gettext_lazy("Nhóm tội danh"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Chuyển đến"),
    gettext_lazy("Hạn xử lý"),
]


def _show_errors(form, exc: DomainError) -> None:
    """A refusal on the form: under each field it names, else above the form."""
    shown = False
    for field, errors in exc.fields.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            shown = True
    if not shown:
        form.add_error(None, exc.message)


@login_required
def case_list(request, pk: int):
    policy.require_reader(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    form = CaseFilterForm(request.GET or None)
    cases = selectors.case_list(actor=request.user, unit=unit, **form.selector_kwargs())
    if wants_excel(request):
        can_see = policy.can_see_identity(request.user)
        rows = (
            (
                c.serial,
                c.year,
                c.unit.name,
                c.received_at,
                c.get_kind_display(),
                c.get_channel_display(),
                c.reporter_name if can_see and not c.is_confidential else selectors.MASK,
                c.summary,
                c.incident_at,
                c.category.name if c.category else "",
                c.get_status_display(),
                c.transferred_to,
                c.due_at,
            )
            for c in cases
        )
        return xlsx_response(f"so-tiep-nhan-{unit.code}", _("Sổ tiếp nhận"), [str(h) for h in REGISTER_HEADERS], rows)
    return render(
        request,
        "cases/case_list.html",
        {
            "unit": unit,
            "form": form,
            "page": paginate(request, cases),
            "query": query_without_page(request),
            "now": timezone.now(),
            "counts": selectors.clock_figures(actor=request.user, unit=unit, as_of=form.selector_kwargs().get("as_of")),
            "soon_days": selectors.SOON_DAYS,
            "can_register": policy.can_register(request.user, unit),
        },
    )


@login_required
@submit_once
def case_register(request, pk: int):
    unit = unit_get(actor=request.user, pk=pk)
    # The time of receipt is nearly always "now": pre-filled (Vietnam's time, to the minute), editable.
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = CaseRegisterForm(
        request.POST or None,
        officers=selectors.receiving_officers(actor=request.user, unit=unit),
        initial={"received_at": now},
    )
    similar = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = duplicates.Report.of(unit, data)
        similar = selectors.similar_cases(actor=request.user, unit=unit, report=report)
        if similar and "confirm" not in request.POST:
            messages.warning(request, _("Có nguồn tin tương tự đã ghi sổ. Kiểm tra trước khi ghi thêm."))
        else:
            try:
                data["incident_unit"] = data.get("incident_unit") or unit
                case = services.case_register(actor=request.user, unit=unit, **data)
                messages.success(request, _("Đã ghi sổ số {s}/{y}.").format(s=case.serial, y=case.year))
                return redirect("cases:detail", pk=case.pk)
            except DomainError as exc:
                _show_errors(form, exc)
    return render(request, "cases/case_register.html", {"unit": unit, "form": form, "similar": similar})


@login_required
def case_detail(request, pk: int):
    policy.require_reader(request.user)
    case = selectors.case_get(actor=request.user, pk=pk)
    allowed = next_steps(case)
    can_work = policy.can_work(request.user, case.unit)
    # The step comes from the step picker (GET, reloaded without JS or swapped in by htmx) or from
    # the submitted form; its form holds only that step's fields.
    wanted = request.POST.get("to_status") if request.method == "POST" else request.GET.get("step")
    step = chosen_step(allowed, wanted)
    form = TransitionForm(request.POST or None, allowed=allowed, step=step, initial={"version": case.version})
    if is_htmx(request) and request.method == "GET" and "step" in request.GET:
        # Only the step's fields: the rest of the page (and the identity it would reveal and log) stays.
        return render(request, "cases/_step_form.html", {"case": case, "form": form if allowed and can_work else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_apply_step(actor=request.user, case=case, values=form.cleaned_data)
            messages.success(request, _("Đã cập nhật."))
            return redirect("cases:detail", pk=case.pk)
        except DomainError as exc:
            _show_errors(form, exc)
    notice = ProcuracyNoticeForm(initial={"version": case.version}) if can_work and case.procuracy_due_at else None
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "form": form if allowed and can_work else None,
            "step_choice": StepChoiceForm(initial={"step": step}, allowed=allowed),
            "notice_form": notice,
            "identity": services.reporter_identity_reveal(actor=request.user, case=case, channel="web"),
            "attachment_form": AttachmentForm() if can_work else None,
            "bases": selectors.rule_bases(on=timezone.localtime(case.received_at).date()),
            "links": selectors.transfer_links(actor=request.user, case=case),
            "now": timezone.now(),
        },
    )


@login_required
def send_to_procuracy(request, pk: int):
    """Records that the decisions waiting for it were sent to the procuracy."""
    case = selectors.case_get(actor=request.user, pk=pk)
    form = ProcuracyNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_send_to_procuracy(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                at=form.cleaned_data.get("at"),
                note=form.cleaned_data.get("note", ""),
            )
            messages.success(request, _("Đã ghi nhận gửi quyết định cho Viện kiểm sát."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("cases:detail", pk=case.pk)


@login_required
@submit_once
def attachment_upload(request, pk: int):
    from cax.cases.attachments import attachment_add

    case = selectors.case_get(actor=request.user, pk=pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment_add(
                actor=request.user, case=case, kind=form.cleaned_data["kind"], name=upload.name, content=upload.read()
            )
            messages.success(request, _("Đã đính kèm tệp."))
        except DomainError as exc:
            messages.error(request, exc.message)
    elif request.method == "POST":
        # The form lives on the case page: its refusals (no file, a file over the limit) go there.
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}: {error}" if name in form.fields else error)
    return redirect("cases:detail", pk=case.pk)


@login_required
def attachment_download(request, pk: int):
    from django.http import FileResponse

    attachment = selectors.attachment_get(actor=request.user, pk=pk)  # the case's scope decides
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def receipt_record(request, pk: int):
    """The receipt record to print and sign; case-work roles only, as it carries the identity."""
    from django.http import HttpResponse

    from cax.cases.printouts import receipt_record_pdf

    case = selectors.case_get(actor=request.user, pk=pk)
    policy.require_identity_reader(request.user)
    identity = services.reporter_identity_reveal(actor=request.user, case=case, channel="pdf")
    response = HttpResponse(receipt_record_pdf(case=case, identity=identity), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-tiep-nhan-{case.serial}-{case.year}.pdf"'
    return response


ACCESS_HEADERS = [
    gettext_lazy("Thời điểm"),
    gettext_lazy("Người xem"),
    gettext_lazy("Nguồn tin"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Kênh"),
]


@login_required
def identity_access_log(request):
    """Auditors list who saw which confidential reporter identity, and when (Law 91/2025)."""
    policy.require_access_log_reader(request.user)
    entries = selectors.identity_accesses(actor=request.user, username=request.GET.get("user", ""))
    if wants_excel(request):
        rows = ((e.at, e.user.username, str(e.case), e.case.unit.name, e.channel) for e in entries)
        return xlsx_response("truy-cap-danh-tinh", _("Truy cập danh tính"), [str(h) for h in ACCESS_HEADERS], rows)
    return render(
        request,
        "cases/identity_access_log.html",
        {"page": paginate(request, entries), "query": query_without_page(request)},
    )


@login_required
def mark_duplicate(request, pk: int):
    """Links a case to the earlier entry it repeats, given as serial/year of the same register."""
    case = selectors.case_get(actor=request.user, pk=pk)
    if request.method == "POST":
        reference = request.POST.get("of", "").strip()
        original = selectors.case_by_reference(actor=request.user, unit=case.unit, reference=reference)
        if original is None:
            messages.error(request, _("Không tìm thấy nguồn tin số “{r}” trong sổ này.").format(r=reference))
        else:
            try:
                services.case_mark_duplicate(actor=request.user, case=case, of=original)
                messages.success(request, _("Đã đánh dấu trùng với {c}.").format(c=original))
            except DomainError as exc:
                messages.error(request, exc.message)
    return redirect("cases:detail", pk=case.pk)
