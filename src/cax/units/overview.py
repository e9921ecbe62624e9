"""The programme overview (#8): tiles from every domain app for one unit's subtree and a period.

The apps contribute the tiles and the links to their registers through ``core.registry``; this page
knows none of them (issue 15.2)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cax.core import tiles
from cax.core.bounds import DayField, DayInput
from cax.core.registry import registry
from cax.units.selectors import unit_get


def _date_input():
    return DayInput()


class PeriodForm(forms.Form):
    first = DayField(label=gettext_lazy("Từ ngày"), required=False, widget=_date_input())
    last = DayField(label=gettext_lazy("Đến ngày"), required=False, widget=_date_input())

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        first = data.get("first") or today.replace(month=1, day=1)
        last = data.get("last") or today
        return (first, last) if first <= last else (last, first)


def unit_links(unit, section: str) -> list[tuple[str, str]]:
    """(label, url) of the registered pages about ``unit``'s subtree, in their order."""
    links = []
    for link in registry.unit_links:
        if link.section != section or (link.applies is not None and not link.applies(unit)):
            continue
        if link.by == "pk":
            url = reverse(link.url_name, args=[unit.pk])
        else:
            url = reverse(link.url_name) + "?" + urlencode({"unit": unit.code})
        links.append((link.label, url))
    return links


@login_required
def overview(request, pk: int):
    unit = unit_get(actor=request.user, pk=pk)
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    found = tiles.collect(actor=request.user, unit=unit, first=first, last=last)
    groups = [(group, list(items)) for group, items in groupby(found, key=lambda t: str(t.group))]
    return render(
        request,
        "units/overview.html",
        {
            "unit": unit,
            "form": form,
            "first": first,
            "last": last,
            "groups": groups,
            "pages": unit_links(unit, "pages"),
            "registers": unit_links(unit, "registers"),
        },
    )
