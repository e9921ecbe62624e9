from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from cax.cases import policy as cases_policy
from cax.core.exports import xlsx_response
from cax.core.listing import wants_excel
from cax.deployment import charts, leader, policy, selectors
from cax.deployment.exports import party_tables, staffing_tables
from cax.deployment.forms import AsOfForm, FigureForm
from cax.units.selectors import unit_breadcrumbs, unit_get

PREVIEW_ROWS = 50


@login_required
def staffing_dashboard(request, pk: int):
    policy.require_staffing_reader(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    form = AsOfForm(request.GET or None)
    summary = selectors.staffing_summary(actor=request.user, unit=unit, as_of=form.day())
    if wants_excel(request):
        tables = {**staffing_tables(summary), **party_tables(request.user, unit)}
        name = request.GET.get("table", "units")
        if name not in tables:
            raise Http404
        title, headers, rows = tables[name]
        return xlsx_response(
            f"bien-che-{name}-{unit.code}-{summary.as_of:%Y%m%d}", str(title), [str(h) for h in headers], rows
        )
    as_of = request.GET.get("as_of", "")
    suffix = f"?as_of={as_of}" if as_of and form.is_valid() else ""
    norm, norm_source = leader.norm_line(summary)
    case_counts = None
    if cases_policy.can_read(request.user):
        from cax.cases.selectors import clock_figures

        # The crime-report tiles follow the page's as-of date like every other figure on it.
        case_counts = clock_figures(actor=request.user, unit=unit, as_of=summary.as_of)
    return render(
        request,
        "deployment/staffing.html",
        {
            "case_counts": case_counts,
            "unit": unit,
            "summary": summary,
            "form": form,
            "as_of_query": f"as_of={as_of}&" if suffix else "",
            "breadcrumbs": unit_breadcrumbs(actor=request.user, unit=unit),
            "child_chart": leader.bars(summary, norm, "deployment:staffing", suffix),
            "norm_source": norm_source,
            "month_chart": charts.line([(f"{m:%m/%Y}", n) for m, n in summary.monthly]),
            "preview": PREVIEW_ROWS,
        },
    )


@login_required
def leader_dashboard(request, pk: int):
    """The leaders' page: bars against the norm, 24-month trends, the children's table, the map."""
    policy.require_staffing_reader(request.user)
    unit = unit_get(actor=request.user, pk=pk)
    form = FigureForm(request.GET or None)
    board = leader.dashboard(actor=request.user, unit=unit, figure=form.chosen())
    return render(
        request,
        "deployment/leader.html",
        {
            "unit": unit,
            "form": form,
            "board": board,
            "figure_label": leader.FIGURES[board.unit_map.figure],
            "warn_share": leader.WARN_SHARE,
            "breadcrumbs": unit_breadcrumbs(actor=request.user, unit=unit),
        },
    )
