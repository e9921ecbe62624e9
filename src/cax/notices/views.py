"""The notices page, the bell's target, and the settings page (thin: services and selectors decide)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cax.core.exports import xlsx_response
from cax.core.listing import paginate, query_without_page, wants_excel

from . import selectors, services
from .forms import NoticeFilterForm

HEADERS = (_("Thời điểm"), _("Loại"), _("Nội dung"), _("Hạn"), _("Đã đọc lúc"))


@login_required
def notice_list(request):
    form = NoticeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.notice_list(actor=request.user, **{k: v for k, v in filters.items() if v})
    if wants_excel(request):
        data = ((n.created_at, n.kind_label, n.title, n.due_on, n.read_at) for n in rows.iterator())
        return xlsx_response("thong-bao", _("Thông báo"), [str(h) for h in HEADERS], data)
    return render(
        request,
        "notices/notice_list.html",
        {"form": form, "page": paginate(request, rows), "query": query_without_page(request)},
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def notice_read(request, pk: int):
    """Mark one notice read and, with ``go``, open what it is about (the page the notice links to)."""
    notice = selectors.notice_list(actor=request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404  # someone else's notice, or none: never a silent success
    services.mark_read(actor=request.user, notice_id=pk)
    if notice is not None and request.POST.get("go") and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect(_back(request, "notices:list"))


@login_required
@require_POST
def notice_read_all(request):
    kind = request.POST.get("kind", "")
    n = services.mark_all_read(actor=request.user, kind=kind)
    messages.success(request, _("Đã đánh dấu {n} thông báo là đã đọc.").format(n=n))
    return redirect(_back(request, "notices:list"))


@login_required
def preferences(request):
    rows = services.preferences_of(request.user)
    if request.method == "POST":
        choices = {
            kind.key: (request.POST.get(f"{kind.key}-in_app") == "on", request.POST.get(f"{kind.key}-digest") == "on")
            for kind, _in_app, _digest in rows
        }
        services.preferences_save(actor=request.user, choices=choices)
        messages.success(request, _("Đã lưu cài đặt thông báo."))
        return redirect("notices:preferences")
    return render(
        request,
        "notices/preferences.html",
        {"rows": rows, "mail": services.mail_configured(), "has_email": bool(request.user.email)},
    )
