"""Officers named by service number, for other apps' forms, imports and API bodies (#8)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.records.register import rows_for
from cax.personnel.models import Officer


def officers_by_number(keys: set, actor) -> dict:
    """The officers with these service numbers that ``actor`` may see (one query)."""
    return {
        o.service_number: o for o in rows_for(Officer, actor).filter(service_number__in=keys).select_related("unit")
    }


class OfficerNumberField(forms.CharField):
    """An officer picked by service number inside the user's subtree: a select of every officer is
    unusable. The form sets ``actor`` (or passes it) before validation."""

    def __init__(self, *, actor=None, **kwargs):
        self.actor = actor
        kwargs.setdefault("label", gettext_lazy("Số hiệu cán bộ"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            officer = Officer.objects.filter(pk=value).only("service_number").first()
            return officer.service_number if officer else value
        return getattr(value, "service_number", value)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        officer = officers_by_number({text}, self.actor).get(text)
        if officer is None:
            raise forms.ValidationError(_("Không tìm thấy cán bộ số hiệu “{v}” trong phạm vi của bạn.").format(v=text))
        return officer
