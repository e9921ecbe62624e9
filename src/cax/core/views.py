from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cax.core import search as core_search
from cax.core import selectors, todo
from cax.core.bounds import MAX_PAGE
from cax.core.changelog import field_changes, object_type_label
from cax.core.exports import xlsx_response
from cax.core.forms import ChangeLogFilterForm
from cax.core.listing import paginate, query_without_page, wants_excel
from cax.core.policy import require


@login_required
def home(request):
    """ "Việc cần làm": what each app asks of the user today, the urgent first (issue 17)."""
    now = timezone.now()
    lines = todo.collect(actor=request.user, now=now)
    return render(
        request,
        "core/home.html",
        {
            "unit": request.user.unit,
            "now": now,
            "urgent": [line for line in lines if line.severity in (todo.LATE, todo.WARN)],
            "news": [line for line in lines if line.severity == todo.NEWS],
            "figures": [line for line in lines if line.severity == todo.FIGURE],
            "calm": [line for line in lines if line.calm],
        },
    )


def page_number(text: str | None) -> int:
    """``?page=`` of a page without a count (the search): 1…MAX_PAGE, 1 for anything else."""
    try:
        number = int(text or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


@login_required
def search(request):
    """The one search over everything the user may see (issue 19.5, docs/search.md)."""
    q = request.GET.get("q", "")[: core_search.MAX_QUERY]
    page = page_number(request.GET.get("page"))
    found = core_search.search(request.user, q, page=page)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "core/search.html", {"q": q, "page": page, "query": params.urlencode(), **found})


def healthz(request):
    """For the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


# Literal calls, so makemessages finds each header.
CHANGELOG_HEADERS = [
    gettext_lazy("Thời điểm"),
    gettext_lazy("Người thực hiện"),
    gettext_lazy("Thao tác"),
    gettext_lazy("Loại đối tượng"),
    gettext_lazy("Mã đối tượng"),
    gettext_lazy("Đối tượng"),
    gettext_lazy("Mã yêu cầu"),
    gettext_lazy("Ghi chú"),
    pgettext_lazy("giá trị", "Trước"),
    pgettext_lazy("giá trị", "Sau"),
]


@login_required
def changelog_list(request):
    require(request.user, "core.view_changelog", _("Bạn không có quyền xem nhật ký thay đổi."))
    form = ChangeLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.changelog_list(actor=request.user, **{k: v for k, v in filters.items() if v})
    if wants_excel(request):
        rows = (
            (
                e.time,
                e.actor_name,
                e.get_action_display(),
                object_type_label(e.object_type),
                e.object_id,
                e.object_repr,
                e.request_id,
                e.message,
                e.before,
                e.after,
            )
            for e in entries.iterator()
        )
        return xlsx_response("nhat-ky-thay-doi", _("Nhật ký"), [str(h) for h in CHANGELOG_HEADERS], rows)
    page = paginate(request, entries)
    for entry in page:
        # Labels, not codes: "Cán bộ" and "Ngày sinh: 01/02/1990 → 02/01/1990", not personnel.officer
        # and {"birth_date": "1990-02-01"}.
        entry.type_label = object_type_label(entry.object_type)
        entry.changes = field_changes(entry.object_type, entry.before, entry.after)
    return render(
        request,
        "core/changelog_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "object_types": [(t, object_type_label(t)) for t in selectors.changelog_object_types(actor=request.user)],
        },
    )


@login_required
def job_detail(request, job):
    """A background job's progress, polled with htmx; once done it sends the user on to the page
    that shows the outcome (an import's preview page), once failed it shows the reason."""
    found = selectors.job_for(actor=request.user, job_uuid=job)
    if found is None:
        raise Http404
    next_url = found.params.get("next", "")
    context = {"job": found, "next_url": next_url if url_has_allowed_host_and_scheme(next_url, None) else ""}
    if request.headers.get("HX-Request"):
        response = render(request, "core/jobs/_job_status.html", context)
        if found.state == found.State.DONE and context["next_url"]:
            response["HX-Redirect"] = context["next_url"]
        return response
    return render(request, "core/jobs/job_detail.html", context)
