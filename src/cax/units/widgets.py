"""The unit picker (issue 17.4): a plain text input for a unit code, which the form reads as before,
plus suggestions while typing (htmx asks ``units:pick``; static/cax/nav.js puts the chosen code
in). Without script it is the plain code input."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.http import urlencode


class UnitPicker(forms.TextInput):
    template_name = "units/widgets/unit_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        picks_id = f"{widget['attrs'].get('id') or 'unit-' + name}-picks"
        widget["picks_id"] = picks_id
        widget["attrs"] = {
            **widget["attrs"],
            "autocomplete": "off",
            "aria-autocomplete": "list",
            "aria-controls": picks_id,
            "hx-get": f"{reverse('units:pick')}?{urlencode({'field': name})}",
            "hx-trigger": "input changed delay:250ms, search",
            # Not by id: two forms on one page (an officer's posting and transfer) share field ids.
            "hx-target": "next .unit-picks",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
        return context
