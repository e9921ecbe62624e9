from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.exports import xlsx_response
from cax.core.listing import paginate, query_without_page, wants_excel
from cax.core.registry import registry
from cax.personnel import selectors
from cax.personnel.forms import OfficerFilterForm

# Literal calls, so makemessages finds each header.
EXPORT_HEADERS = [
    gettext_lazy("Số hiệu"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Dân tộc"),
    gettext_lazy("Mã đơn vị"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Mã nơi gia đình sinh sống"),
    gettext_lazy("Cấp bậc hàm"),
    gettext_lazy("Trình độ"),
    gettext_lazy("Ngày vào ngành"),
    gettext_lazy("Đảng viên"),
    gettext_lazy("Ngày vào Đảng"),
    gettext_lazy("Số người phụ thuộc"),
    gettext_lazy("Hoàn cảnh khó khăn"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Chuyên môn"),
    gettext_lazy("Ngôn ngữ"),
]


def _row(o) -> list:
    # Labels the import reads back: "Điều tra viên: Trung cấp; Pháp luật".
    specialities = "; ".join(
        f"{s.get_kind_display()}: {s.get_grade_display()}" if s.grade else s.get_kind_display()
        for s in o.specialities.all()
    )
    return [
        o.service_number,
        o.full_name,
        o.get_sex_display(),
        o.date_of_birth,
        o.ethnicity,
        o.current_unit.code,
        o.current_unit.name,
        o.home_unit.code if o.home_unit_id else "",
        o.get_rank_display(),
        o.get_education_display(),
        o.service_start,
        o.is_party_member,
        o.party_joined_on,
        o.dependants,
        o.has_hardship,
        o.get_status_display(),
        specialities,
        "; ".join(lang.name for lang in o.languages.all()),
    ]


@login_required
def officer_list(request):
    form = OfficerFilterForm(request.GET or None)
    officers = selectors.officer_list(actor=request.user, **form.selector_kwargs())
    if wants_excel(request):
        return xlsx_response("can-bo", _("Cán bộ"), [str(h) for h in EXPORT_HEADERS], (_row(o) for o in officers))
    return render(
        request,
        "personnel/officer_list.html",
        {"form": form, "page": paginate(request, officers), "query": query_without_page(request)},
    )


@login_required
def officer_detail(request, pk: int):
    officer = selectors.officer_get(actor=request.user, pk=pk)
    context = {"officer": officer, "parts": []}
    for part in registry.parts_of("officer"):  # deployment's postings and their forms
        if part.context:
            context.update(import_string(part.context)(request, officer))
        context["parts"].append(part.template)
    return render(request, "personnel/officer_detail.html", context)
