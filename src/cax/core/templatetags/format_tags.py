"""The template face of ``cax.core.formatting`` (a builtin: no ``{% load %}`` needed).

``{{ n|num }}`` 1.234 · ``{{ x|num:1 }}`` 1.234,5 · ``{{ p|pct }}`` 54,5% · ``{{ a|money }}``
5.600.000.000 đ · ``{{ d|day }}`` 05/03/2025 · ``{{ delta|dur }}`` còn 3 ngày · ``{{ w|raw }}`` 520.5
(SVG and data attributes: never localized).
"""

from __future__ import annotations

from django import template

from cax.core import formatting

register = template.Library()


@register.filter
def num(value, places=None):
    if value in (None, ""):
        return ""
    return formatting.number(value, None if places in (None, "") else int(places))


@register.filter
def pct(value, places=1):
    return formatting.percent(value, int(places))


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def day(value):
    return formatting.date(value)


@register.filter
def moment(value):
    return formatting.datetime(value)


@register.filter
def dur(value):
    return formatting.duration(value)


@register.filter
def raw(value, places=None):
    return formatting.machine(value, None if places in (None, "") else int(places))


@register.filter
def show(value):
    return formatting.display(value)


@register.simple_tag
def day_box(name, value=None):
    """``{% day_box "first" first %}``: a date box outside a Django form, the same ``DayInput`` as
    every form's date (dd/mm/yyyy); ``value`` a date or the text the user typed."""
    from cax.core.bounds import DayInput

    return DayInput().render(name, value or None)
