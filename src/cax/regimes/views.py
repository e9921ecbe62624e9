"""The pages the registers do not give: the monthly list, the rotation list, the officer's part."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.bounds import OutOfRange, check_day
from cax.core.exports import xlsx_response
from cax.core.listing import wants_excel
from cax.regimes import policy, selectors
from cax.units.selectors import unit_get_by_code


def parse_month(text: str | None, today: dt.date) -> tuple[int, int]:
    """``YYYY-MM`` from the query string (this month when absent), inside the system's date range."""
    if not text:
        return today.year, today.month
    try:
        year, month = (int(part) for part in text.split("-", 1))
        day = dt.date(year, month, 1)
    except ValueError:
        raise OutOfRange(
            _("Tháng không hợp lệ: {v}.").format(v=text[:20]), fields={"month": [_("Không hợp lệ")]}
        ) from None
    check_day(day, "month")
    return year, month


def _unit(request):
    code = (request.GET.get("unit") or "").strip()
    return unit_get_by_code(actor=request.user, code=code, counts=False) if code else request.user.unit


def _month_rows(month_list):
    for row in month_list.rows:
        yield [
            row.officer.service_number,
            row.officer.full_name,
            "; ".join(u.name for u in row.units),
            *[row.amounts.get(t.code, 0) for t in month_list.types],
            row.total,
        ]
    yield ["", _("Tổng cộng"), "", *[month_list.totals[t.code] for t in month_list.types], month_list.grand_total]


@login_required
def monthly(request):
    year, month = parse_month(request.GET.get("month"), timezone.localdate())
    month_list = selectors.month_list(actor=request.user, unit=_unit(request), year=year, month=month)
    if wants_excel(request):
        headers = [_("Số hiệu"), _("Họ và tên"), _("Đơn vị"), *[t.name for t in month_list.types], _("Tổng")]
        title = _("Chế độ tháng {m}").format(m=f"{month:02d}-{year}")
        return xlsx_response(f"che-do-{year}-{month:02d}", title, headers, _month_rows(month_list))
    context = {"list": month_list, "month_value": f"{year}-{month:02d}", "months": month_choices(year, month)}
    return render(request, "regimes/monthly.html", context)


def month_choices(year: int, month: int, count: int = 36) -> list[tuple[str, str]]:
    """The month picker: the shown month, then the ``count`` months before it ("08/2025", as
    dates are written), values as the query string takes them (YYYY-MM)."""
    choices = []
    for back in range(count):
        y, m = divmod(year * 12 + month - 1 - back, 12)
        choices.append((f"{y}-{m + 1:02d}", f"{m + 1:02d}/{y}"))
    return choices


@login_required
def rotation(request):
    today = timezone.localdate()
    due_only = request.GET.get("due") == "1"
    rule, lines = selectors.rotation_list(actor=request.user, unit=_unit(request), today=today, due_only=due_only)
    if wants_excel(request):
        headers = [_("Số hiệu"), _("Họ và tên"), _("Đơn vị"), _("Công tác tại xã từ"), _("Đến hạn luân chuyển")]
        rows = ([x.officer.service_number, x.officer.full_name, x.unit.name, x.since, x.due] for x in lines)
        return xlsx_response("luan-chuyen", _("Đến hạn luân chuyển"), headers, rows)
    unit = _unit(request)
    return render(request, "regimes/rotation.html", {"rule": rule, "lines": lines, "unit": unit, "due_only": due_only})


def officer_part(request, officer) -> dict:
    """The officer page's section (a core.registry PagePart): the entitlement history, for readers
    allowed to see amounts; nothing for the others."""
    if not policy.can_read_entitlements(request.user):
        return {"entitlement_lines": None}
    _officer, lines = selectors.officer_history(actor=request.user, officer_id=officer.pk, today=timezone.localdate())
    return {"entitlement_lines": lines}
