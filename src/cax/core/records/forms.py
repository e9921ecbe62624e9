"""A register's forms: the edit form's base, the list's filters, the import upload."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy

from cax.core.bounds import DayField, DayInput
from cax.core.exceptions import DomainError
from cax.core.records.registry import units
from cax.core.uploads import LimitedFileField

if TYPE_CHECKING:
    from cax.core.records.register import Register


def _date_input() -> forms.DateInput:
    return DayInput()


class RecordForm(forms.ModelForm):
    """Base for a register's edit form: knows its actor and picks units by code (a select of
    3,321 communes is unusable on the office PCs this runs on)."""

    unit_kinds: Callable[[Any], bool] | None = None

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        model = self._meta.model
        names = {f.name for f in model._meta.get_fields()}
        unit_model = units().model
        for name, formfield in list(self.fields.items()):
            model_field = model._meta.get_field(name) if name in names else None
            if model_field is not None and model_field.related_model is unit_model and not model_field.many_to_many:
                owning = name == model.scope_unit_field
                self.fields[name] = units().form_field(
                    actor=actor,
                    kinds=self.unit_kinds if owning else None,
                    # A record's own unit may be a closed one (its history); other unit fields name open units.
                    include_closed=owning and bool(model.event_date_fields),
                    required=formfield.required,
                    label=formfield.label,
                    initial=getattr(self.instance, f"{name}_id", None),
                )
            if isinstance(self.fields[name].widget, forms.DateInput):
                self.fields[name].widget = _date_input()

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm"), required=False)
    unit = forms.CharField(label=gettext_lazy("Mã đơn vị"), required=False)

    def __init__(self, *args, register: Register, **kwargs):
        super().__init__(*args, **kwargs)
        if (picker := units().picker) is not None:
            self.fields["unit"].widget = picker()
        if register.date_field:
            for key, label in (("first", gettext_lazy("Từ ngày")), ("last", gettext_lazy("Đến ngày"))):
                self.fields[key] = DayField(label=label, required=False, widget=_date_input())
        for flt in register.filters:
            self.fields[flt.key] = forms.ChoiceField(
                label=flt.label, required=False, choices=[("", "—"), *flt.choice_list()]
            )
        if any(flt.dated for flt in register.filters):
            self.fields["as_of"] = DayField(
                label=gettext_lazy("Tình trạng tại ngày"), required=False, widget=_date_input()
            )


class UploadForm(forms.Form):
    file = LimitedFileField(label=gettext_lazy("Tệp Excel (.xlsx) hoặc CSV"), limit="CAX_IMPORT_MAX_BYTES")


def attach_errors(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal shown on the form: on each field it names, else above the form."""
    placed = False
    for key, messages in (exc.fields or {}).items():
        target = key if key in form.fields else None
        for text in messages:
            form.add_error(target, text)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
