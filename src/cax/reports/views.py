"""Report pages: a unit's reporting calendar, the keyboard form with autosave, review, completeness,
the roll-up pivot, the submission list, printouts and the data-value exchange (#6). Thin: every
rule lives in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cax.core.exceptions import DomainError, NotVisible
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.import_flow import run_batch, store_upload
from cax.core.listing import paginate, query_without_page, wants_excel
from cax.deployment.charts import line
from cax.reports import exchange, periods, policy, printouts, selectors, services
from cax.reports.forms import (
    ExchangeUploadForm,
    LockExceptionForm,
    RangeForm,
    ReturnForm,
    SplitRangeForm,
    SubmissionFilterForm,
)
from cax.units.selectors import unit_get


@login_required
def home(request):
    return redirect("reports:unit", pk=request.user.unit_id)


@login_required
def unit_overview(request, pk: int):
    """A commune's reporting calendar; for the levels above, where to look."""
    selectors.require_view(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    today = timezone.localdate()
    calendars = [
        (form, selectors.unit_calendar(actor=request.user, unit=unit, form=form, count=8))
        for form in selectors.forms_for_unit(unit=unit, day=today)
    ]
    # Above the communes: the latest period of each form whose due time has passed, at a glance.
    latest = [] if calendars else selectors.latest_due_completeness(actor=request.user, unit=unit)
    return render(
        request,
        "reports/unit_overview.html",
        {"unit": unit, "calendars": calendars, "latest": latest, "forms": selectors.form_list(), "now": timezone.now()},
    )


# -- the form -------------------------------------------------------------------------------------


def _entries_from_post(post, items) -> dict[str, services.Entry]:
    entries = {}
    for item in items:
        code = item.indicator.code
        if f"v_{code}" in post:
            entries[code] = services.Entry(
                raw=post.get(f"v_{code}"), confirmed=post.get(f"c_{code}") == "on", reason=post.get(f"r_{code}", "")
            )
    return entries


def _comments_from_post(post) -> dict[str, str]:
    return {key[2:]: value for key, value in post.items() if key.startswith("w_")}


def _rows(items, values, prefilled, posted=None, field_errors=None):
    """What the template draws per item: sections, inputs, the CAX value and its confirmation."""
    rows = []
    for item, section in services.with_section_breaks(items):
        code = item.indicator.code
        value = values.get(item.indicator_id)
        cax = prefilled.get(item.indicator_id)
        if posted is not None and f"v_{code}" in posted:
            shown, confirmed, reason = posted.get(f"v_{code}"), posted.get(f"c_{code}") == "on", posted.get(f"r_{code}")
        elif value is not None:
            shown = value.text if item.indicator.value_type == "text" else services.plain_number(value.number)
            confirmed, reason = value.confirmed, value.correction_reason
        else:
            shown, confirmed, reason = services.plain_number(cax), False, ""
        errors = [field_errors[code]] if field_errors and code in field_errors else []
        rows.append(
            {
                "item": item,
                "code": code,
                "section": section,
                "value": shown,
                "cax": services.plain_number(cax) if cax is not None else None,
                "confirmed": confirmed,
                "reason": reason or "",
                "errors": errors,
            }
        )
    return rows


def _period_or_404(form, key):
    try:
        return form.parse_period(key)
    except (periods.PeriodError, OverflowError) as exc:
        raise NotVisible(str(exc)) from exc


@login_required
@submit_once(exempt=lambda request: bool(request.POST.get("autosave")))  # autosave re-sends the form
def entry(request, pk: int, form_code: str, period_key: str):
    """The report of one unit for one period: fill in, save, send; or read and review."""
    selectors.require_view(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    form = selectors.form_get(code=form_code)
    period = _period_or_404(form, period_key)
    submission = selectors.submission_for(actor=request.user, unit=unit, form=form, period=period)
    field_errors: dict[str, str] = {}
    posted = None
    if request.method == "POST":
        posted = request.POST
        response, submission, field_errors = _entry_post(request, unit, form, period, submission)
        if response is not None:
            return response
    context = _entry_context(request.user, unit, form, period, submission, posted, field_errors)
    return render(request, "reports/entry.html", context, status=400 if field_errors else 200)


def _entry_post(request, unit, form, period, submission):
    """Saves the posted form (and sends it when asked): (the response, if the page is not drawn
    again; the submission to draw; the per-field errors)."""
    user = request.user
    field_errors: dict[str, str] = {}
    try:
        submission, field_errors = _entry_save(user, request.POST, unit, form, period, submission)
        if request.POST.get("autosave"):
            # The status line names each refused cell by its label on the form, never by its code.
            labels = (
                {i.indicator.code: i.display_label for i in services.items_of(submission.version)}
                if field_errors
                else {}
            )
            named = {labels.get(code, code): message for code, message in field_errors.items()}
            context = {"submission": submission, "field_errors": named, "saved_at": timezone.localtime()}
            return render(request, "reports/partials/autosave.html", context), submission, field_errors
        if request.POST.get("action", "save") == "submit" and not field_errors:
            services.submission_submit(actor=user, submission=submission, row_version=submission.row_version)
            messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
            return redirect(request.path), submission, field_errors
        if not field_errors:
            messages.success(request, _("Đã lưu nháp."))
            return redirect(request.path), submission, field_errors
    except DomainError as exc:
        if request.POST.get("autosave"):
            # 200 so htmx swaps the message into the status line (it ignores 4xx bodies by default).
            return render(request, "reports/partials/autosave.html", {"error": exc.message}), submission, field_errors
        messages.error(request, exc.message)
        field_errors.update({k: " ".join(v) for k, v in exc.fields.items()})
        submission = selectors.submission_for(actor=user, unit=unit, form=form, period=period)
    return None, submission, field_errors


def _entry_save(user, post, unit, form, period, submission):
    """The draft saved from the posted values, opened first if this page saw no report:
    (submission, per-field errors)."""
    if submission is None:
        # This page saw no report. If a colleague's draft appeared meanwhile and was already
        # saved (version > 1), saving would overwrite it: expect the fresh version 1.
        submission = services.submission_open(actor=user, form=form, unit=unit, period=period)
        row_version = 1
    else:
        # A page that has a report always sends its version; none (0) never matches.
        row_version = int(post.get("row_version") or 0)
    items = services.items_of(submission.version)
    result = services.submission_save(
        actor=user,
        submission=submission,
        entries=_entries_from_post(post, items),
        is_nil=post.get("is_nil") == "on",
        comments=_comments_from_post(post),
        row_version=row_version,
    )
    return result.submission, result.field_errors


def _entry_context(user, unit, form, period, submission, posted, field_errors) -> dict:
    try:
        version = submission.version if submission else services.version_for(form, period)
    except DomainError as exc:  # a period before the form's first version: nothing to show
        raise NotVisible(exc.message) from exc
    items = services.items_of(version)
    values = selectors.submission_values(submission) if submission else {}
    # Before the draft exists (a GET writes nothing), the report it would be answers the same
    # questions: due and lock times, lock exceptions, CAX values.
    report = submission or services.new_submission(form, version, unit, period)
    prefilled = services.prefill_values(report, items)
    now = timezone.now()
    locked = services.is_locked(report, now)
    problems = None
    if submission is not None and submission.status in services.EDITABLE:
        problems = services.find_problems(submission, items, values)
    following = periods.following(period, form.calendar)
    return {
        "unit": unit,
        "form": form,
        "period": period,
        "previous": periods.preceding(period, form.calendar),
        "next": following if following.start <= timezone.localdate() else None,
        "submission": submission,
        "version": version,
        # Per-field problems show after a refused send; before that, only their count.
        "rows": _rows(items, values, prefilled, posted if field_errors else None, field_errors),
        "open_problems": sum(len(m) for m in problems.fields.values()) if problems else 0,
        "problems": problems,
        "warnings": (problems.warnings if problems else None) or [],
        "comments": {int(k): v for k, v in (submission.warning_comments if submission else {}).items() if k.isdigit()},
        **_entry_rights(user, unit, report, now),
        "due": report.due_at,
        "lock": report.lock_at,
        "locked": locked,
        "return_form": ReturnForm(),
        "lock_form": LockExceptionForm(),
        "now": now,
    }


def _entry_rights(user, unit, report, now) -> dict:
    """Which buttons the page shows: edit, send, and review as the upper level (reports.policy)."""
    return {
        "editable": policy.can_edit(user, report, now),
        "can_submit": policy.can_submit(user, report, now),
        "is_upper": policy.can_review(user, unit),
    }


def _entry_url(submission) -> str:
    return reverse("reports:entry", args=[submission.unit_id, submission.form.code, submission.period_key])


@login_required
def submission_detail(request, pk: int):
    return redirect(_entry_url(selectors.submission_get(actor=request.user, pk=pk)))


@login_required
@require_POST
def review(request, pk: int):
    submission = selectors.submission_get(actor=request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.submission_approve(actor=request.user, submission=submission)
            messages.success(request, _("Đã duyệt báo cáo."))
        elif action == "return":
            services.submission_return(actor=request.user, submission=submission, note=request.POST.get("note", ""))
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
        elif action == "lock":
            services.submission_lock(actor=request.user, submission=submission)
            messages.success(request, _("Đã khóa báo cáo."))
        else:
            raise DomainError(_("Thao tác không hợp lệ."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_entry_url(submission))


@login_required
@require_POST
@submit_once
def lock_exception(request, pk: int, form_code: str, period_key: str):
    unit = unit_get(actor=request.user, pk=pk)
    form = selectors.form_get(code=form_code)
    period = _period_or_404(form, period_key)
    lock_form = LockExceptionForm(request.POST)
    if not lock_form.is_valid():
        messages.error(request, _("Nhập thời hạn và lý do mở khóa."))
    else:
        try:
            services.lock_exception_grant(
                actor=request.user, form=form, unit=unit, period=period, **lock_form.cleaned_data
            )
            messages.success(request, _("Đã mở khóa kỳ báo cáo cho đơn vị."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("reports:entry", pk=unit.pk, form_code=form.code, period_key=period.key)


@login_required
def submission_pdf(request, pk: int):
    submission = selectors.submission_get(actor=request.user, pk=pk)
    if submission.first_submitted_at is None:
        raise NotVisible(_("Báo cáo chưa gửi nên chưa có bản in chính thức."))
    pdf = printouts.submission_pdf(submission=submission)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-{submission.unit.code}-{submission.period_key}.pdf"'
    return response


# -- lists and dashboards -------------------------------------------------------------------------

# Lazy literals, so makemessages extracts every header (a list of plain strings never reached the catalog).
LIST_HEADERS = [
    gettext_lazy("Biểu mẫu"),
    gettext_lazy("Mã đơn vị"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Kỳ"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Hạn gửi"),
    gettext_lazy("Gửi lần đầu"),
    gettext_lazy("Muộn"),
    gettext_lazy("Số văn bản"),
]


@login_required
def submission_list(request, pk: int):
    selectors.require_view(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    filters = SubmissionFilterForm(request.GET or None)
    submissions = selectors.submission_list(actor=request.user, unit=unit, **filters.selector_kwargs())
    if wants_excel(request):
        rows = (
            (
                s.form.name,
                s.unit.code,
                s.unit.name,
                s.period_label,
                s.get_status_display(),
                s.due_at,
                s.first_submitted_at,
                s.is_late,
                s.document_reference,
            )
            for s in submissions
        )
        return xlsx_response(f"bao-cao-{unit.code}", _("Báo cáo"), [str(h) for h in LIST_HEADERS], rows)
    return render(
        request,
        "reports/submission_list.html",
        {
            "unit": unit,
            "form": filters,
            "page": paginate(request, submissions),
            "query": query_without_page(request),
            "history_day": filters.selector_kwargs().get("last"),
        },
    )


def _range(request, form_class=RangeForm):
    chooser = form_class(request.GET, report_forms=list(selectors.form_list()))
    if chooser.report_form is None:
        raise DomainError(_("Chưa có biểu mẫu báo cáo nào."))
    data = chooser.data
    period_list = selectors.period_range(chooser.report_form, data["first"], data["last"])
    return chooser, period_list


@login_required
def completeness(request, pk: int):
    selectors.require_view(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    error = None
    report = None
    try:
        chooser, period_list = _range(request)
        report = selectors.completeness(
            actor=request.user, unit=unit, form=chooser.report_form, period_list=period_list
        )
    except DomainError as exc:
        chooser = RangeForm(request.GET, report_forms=list(selectors.form_list()))
        error = exc.message
    if report and wants_excel(request):
        return _completeness_xlsx(unit, report)
    chart = (
        line([(p.label(), int(rate.percent)) for p, rate in report.series])
        if report and len(report.series) > 1
        else None
    )
    return render(
        request,
        "reports/completeness.html",
        {
            "unit": unit,
            "chooser": chooser,
            "report": report,
            "error": error,
            "chart": chart,
            "query": query_without_page(request),
            "history_day": report.periods[-1].end if report else None,
        },
    )


def _completeness_xlsx(unit, report):
    """The rows of the completeness table as an Excel file."""
    headers = [
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Phải gửi"),
        _("Đã gửi"),
        _("Đúng hạn"),
        _("Muộn"),
        _("Chưa gửi"),
        _("Tỷ lệ gửi (%)"),
        _("Tỷ lệ đúng hạn (%)"),
    ]
    rows = [
        (
            r.code,
            r.name,
            r.rate.expected,
            r.rate.submitted,
            r.rate.on_time,
            r.rate.late,
            r.rate.missing,
            r.rate.percent,
            r.rate.on_time_percent,
        )
        for r in report.rows
    ]
    return xlsx_response(f"ty-le-bao-cao-{unit.code}", _("Tỷ lệ báo cáo"), headers, rows)


def _pivot_table(pivot):
    """Header and rows as plain values: for the page, the Excel file and the frozen printout."""
    header = (
        [_("Đơn vị")]
        + ([_("Kỳ")] if pivot.split else [])
        + [f"{i.name} ({i.measure})" if i.measure else i.name for i in pivot.indicators]
    )

    def cells(row):
        return [row.cells[i.pk].value if i.pk in row.cells else None for i in pivot.indicators]

    def label(row) -> str:
        # A successor's row also holds the units merged into it (issue 14): say so where it is read.
        if not row.merged:
            return row.name
        return _("{name} (gồm số liệu của: {units})").format(name=row.name, units=", ".join(row.merged))

    body = [[label(r)] + ([_bucket_label(pivot, r.bucket)] if pivot.split else []) + cells(r) for r in pivot.rows]
    total = [str(pivot.total.name)] + ([""] if pivot.split else []) + cells(pivot.total)
    return header, body, total


def _bucket_label(pivot, bucket) -> str:
    if bucket is None:
        return ""
    if pivot.form.periodicity == periods.DAILY:
        return bucket.strftime("%m/%Y")
    return pivot.form.period_of(bucket).label()


@login_required
@submit_once
def rollup(request, pk: int):
    selectors.require_view(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    error = pivot = None
    try:
        chooser, period_list = _range(request, SplitRangeForm)
        split = request.GET.get("split") == "on"
        pivot = selectors.rollup(
            actor=request.user, unit=unit, form=chooser.report_form, period_list=period_list, split=split
        )
    except DomainError as exc:
        chooser = SplitRangeForm(request.GET, report_forms=list(selectors.form_list()))
        error = exc.message
    table = _pivot_table(pivot) if pivot is not None else None
    if table is not None:
        header, body, total = table
        if wants_excel(request):
            return xlsx_response(f"tong-hop-{unit.code}", _("Tổng hợp"), header, [*body, total])
        if request.method == "POST" and request.POST.get("action") == "issue":
            try:
                issued = _issue(request.user, unit, pivot, period_list, table)
                return redirect("reports:issued_pdf", pk=issued.pk)
            except DomainError as exc:
                error = exc.message
    return render(
        request,
        "reports/rollup.html",
        {
            "unit": unit,
            "chooser": chooser,
            "pivot": pivot,
            "table": table,
            "error": error,
            "query": query_without_page(request),
            "can_issue": policy.can_issue(request.user, unit),
            "history_day": pivot.periods[-1].end if pivot else None,
        },
    )


def _issue(actor, unit, pivot, period_list, table):
    """Issues the roll-up as shown (its header, rows and total frozen into the numbered document)."""
    header, body, total = table
    first = 2 if pivot.split else 1
    return services.rollup_issue(
        actor=actor,
        unit=unit,
        form=pivot.form,
        content={
            "header": header,
            # Frozen in the machine form of each number ("335.75"): a legal record, not a display.
            "rows": [_machine_row(row, first) for row in body],
            "total": _machine_row(total, first),
            "first_value": first,
            "periods": f"{period_list[0].label()} – {period_list[-1].label()}",
        },
        first_key=period_list[0].key,
        last_key=period_list[-1].key,
    )


def _machine_row(row: list, first: int) -> list[str]:
    return [*row[:first], *(services.plain_number(cell) for cell in row[first:])]


@login_required
def issued_pdf(request, pk: int):
    issued = selectors.issued_get(actor=request.user, pk=pk)
    response = HttpResponse(printouts.issued_pdf(issued=issued), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-tong-hop-{issued.number:02d}-{issued.year}.pdf"'
    return response


# -- exchange -------------------------------------------------------------------------------------


@login_required
@submit_once
def exchange_upload(request):
    exchange.require_import(request.user)
    upload = ExchangeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        batch = store_upload(request, kind="report_values", upload=upload.cleaned_data["file"])
        return redirect("reports:exchange_preview", batch_uuid=batch.uuid)
    return render(request, "reports/exchange_upload.html", {"upload": upload})


@login_required
@submit_once
def exchange_preview(request, batch_uuid):
    exchange.require_import(request.user)
    context = run_batch(request, batch_uuid=batch_uuid, importers={"report_values": exchange.import_values})
    if request.method == "POST" and "result" in context:
        return redirect("reports:home")
    return render(request, "reports/exchange_preview.html", context)


@login_required
def exchange_export(request, pk: int):
    selectors.require_view(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    try:
        chooser, period_list = _range(request)
        body, content_type, ext = exchange.export_values(
            actor=request.user,
            unit=unit,
            form=chooser.report_form,
            period_list=period_list,
            fmt=request.GET.get("as", "json"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("reports:rollup", args=[unit.pk]) + "?" + request.GET.urlencode())
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="dataValueSets-{chooser.report_form.code}-{unit.code}.{ext}"'
    )
    return response
