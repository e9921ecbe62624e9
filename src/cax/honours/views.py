"""The casualty summary page: killed and injured per year and per cause, for any unit and period."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.bounds import day_from_text
from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.exports import xlsx_response
from cax.core.listing import wants_excel
from cax.core.text import vn_date
from cax.honours import policy
from cax.honours.registers import CASUALTIES
from cax.honours.selectors import CasualtySummary, casualty_summary


def _date(params, key: str) -> dt.date | None:
    return day_from_text(params.get(key), key)


def summary_for(actor, params) -> CasualtySummary:
    """The summary the page and the API show for ``unit`` (code; the user's own unit by default),
    ``first`` (none: since the first record) and ``last`` (today by default)."""
    from cax.units.selectors import unit_get_by_code

    policy.require_casualty_reader(actor)
    code = (params.get("unit") or "").strip()
    if code:
        try:
            unit = unit_get_by_code(actor=actor, code=code, counts=False)
        except NotVisible:
            raise DomainError(
                _("Không tìm thấy đơn vị “{code}” trong phạm vi của bạn.").format(code=code), fields={"unit": [code]}
            ) from None
    else:
        unit = actor.unit
    first, last = _date(params, "first"), _date(params, "last") or timezone.localdate()
    if first is not None and first > last:
        raise DomainError(
            _("Từ ngày {a} sau đến ngày {b}.").format(a=vn_date(first), b=vn_date(last)),
            fields={"first": [_("Phải trước hoặc bằng “đến ngày”.")]},
        )
    return casualty_summary(actor=actor, unit=unit, first=first, last=last)


@login_required
def casualty_summary_view(request):
    try:
        summary, error = summary_for(request.user, request.GET), ""
    except PermissionDenied:
        raise
    except DomainError as exc:
        summary, error = None, exc.message
    if summary is not None and wants_excel(request):
        return xlsx_response(
            "thong-ke-hy-sinh-bi-thuong",
            _("Thống kê"),
            [_("Nhóm"), _("Năm / nguyên nhân"), _("Hy sinh"), _("Bị thương"), _("Cộng")],
            summary.rows(),
        )
    return render(
        request,
        "honours/casualty_summary.html",
        {"summary": summary, "error": error, "params": request.GET, "register": CASUALTIES},
    )
