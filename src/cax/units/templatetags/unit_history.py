"""``{% unit_history unit day "staffing" %}``: the notice every page about a unit shows across the
2025 merger (issue 14). A closed unit read after its end names its successors, linked to the same
page at the same date; a successor's page links to its predecessors' pages at a date inside their
validity. One query (``units.selectors.unit_history``) whatever the page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from cax.units.selectors import unit_history as read_history

register = template.Library()


def _page_url(page: str, unit, first: dt.date | None, last: dt.date, *, history: bool) -> str:
    """The page ``page`` of ``unit`` showing ``last`` (and the period from ``first``): machine dates."""
    if page == "staffing":
        return reverse("deployment:staffing", args=[unit.pk]) + "?" + urlencode({"as_of": last.isoformat()})
    if page == "overview":
        first = first or last.replace(month=1, day=1)
        return (
            reverse("overview:unit", args=[unit.pk])
            + "?"
            + urlencode({"first": first.isoformat(), "last": last.isoformat()})
        )
    if page == "reports":
        if not history:
            return reverse("reports:unit", args=[unit.pk])
        period = {"first": first.isoformat()} if first else {}
        return reverse("reports:submissions", args=[unit.pk]) + "?" + urlencode({**period, "last": last.isoformat()})
    return reverse("units:detail", args=[unit.pk]) + "?" + urlencode({"as_of": last.isoformat()})


@register.inclusion_tag("units/_history.html", takes_context=True)
def unit_history(context, unit, day=None, page="units", first=None):
    """``day``: the date the page shows (today by default); ``first``: the start of its period."""
    day = day or timezone.localdate()
    history = read_history(actor=context["request"].user, unit=unit, day=day)
    successors = [
        (s.name, _page_url(page, s, first, day, history=False) if can_open else "")
        for s, can_open in history.successors
    ]
    predecessors = []
    for p, can_open in history.predecessors:
        last = p.valid_to or day
        start = p.valid_from if page == "reports" else max(p.valid_from or last, last.replace(month=1, day=1))
        url = _page_url(page, p, start, last, history=True) if can_open else ""
        predecessors.append((p.name, url, p.valid_from, p.valid_to))
    return {
        "ended_on": history.ended_on,
        "starts_on": history.starts_on,
        "successors": successors,
        "predecessors": predecessors,
    }
