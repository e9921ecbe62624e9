"""Form definitions edited by administrators at /reference/ (#6): forms and their indicators,
versions with their items, rules and reporting unit types.

A version that has submissions is frozen (read-only, inlines included): the action "copy as a new
version" starts the next one, so changing a form never rewrites a past report. An indicator's code,
type and aggregation are frozen once a value uses them.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.changelog import record_change
from cax.core.models import ChangeLog
from cax.core.reference_admin import AdmittedBySite, LoggedAdmin
from cax.reports import prefill
from cax.reports.models import FormItem, FormVersion, Indicator, ValidationRule, Value

FROZEN_INDICATOR_FIELDS = ("code", "value_type", "aggregation")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ("code", "name", "value_type", "aggregation", "measure")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and Value.objects.filter(indicator=self.instance).exists():
            for name in FROZEN_INDICATOR_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Đã có số liệu: không đổi được.")


class IndicatorInline(AdmittedBySite, admin.TabularInline):
    model = Indicator
    form = IndicatorForm
    extra = 0


class ReportFormAdmin(LoggedAdmin):
    list_display = ("code", "name", "periodicity", "calendar", "is_active", "sort_order")
    inlines = [IndicatorInline]

    def get_readonly_fields(self, request, obj=None):
        # Periods already reported would change meaning.
        return ("code", "periodicity", "calendar") if obj and obj.pk else ()


class FormItemForm(forms.ModelForm):
    prefill_source = forms.ChoiceField(label=gettext_lazy("Lấy số liệu từ CAX"), required=False, choices=())

    class Meta:
        model = FormItem
        fields = ("indicator", "section", "label", "order", "required", "prefill_source")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefill_source"].choices = prefill.choices()


class FrozenWhenInUse(AdmittedBySite):
    """Inline rows of a version in use can be neither changed, added nor removed."""

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.is_in_use

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class FormItemInline(FrozenWhenInUse, admin.TabularInline):
    model = FormItem
    form = FormItemForm
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            version_id = request.resolver_match.kwargs.get("object_id")
            form_id = FormVersion.objects.filter(pk=version_id).values_list("form_id", flat=True).first()
            kwargs["queryset"] = Indicator.objects.filter(form_id=form_id) if form_id else Indicator.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ValidationRuleInline(FrozenWhenInUse, admin.TabularInline):
    model = ValidationRule
    extra = 0


@admin.action(description=gettext_lazy("Sao chép thành phiên bản mới (áp dụng từ ngày mai)"))
def copy_as_new_version(modeladmin, request, queryset):
    for version in queryset.select_related("form"):
        with transaction.atomic():
            # Numbers identify versions; dates order them (a version loaded for history before the
            # 2025 merger has a higher number than the version of 2025).
            versions = FormVersion.objects.filter(form=version.form)
            latest = versions.order_by("-valid_from").first()
            start = max(timezone.localdate() + dt.timedelta(days=1), latest.valid_from + dt.timedelta(days=1))
            new = FormVersion.objects.create(
                form=version.form,
                number=versions.order_by("-number").first().number + 1,
                valid_from=start,
                due_days=version.due_days,
                due_time=version.due_time,
                lock_days=version.lock_days,
                note=_("Sao chép từ phiên bản {n}").format(n=version.number),
            )
            new.reporting_unit_types.set(version.reporting_unit_types.all())
            for item in version.items.all():
                item.pk, item.version = None, new
                item.save()
            for rule in version.rules.all():
                rule.pk, rule.version = None, new
                rule.save()
            record_change(actor=request.user, obj=new, action=ChangeLog.Action.CREATE, message=_("Phiên bản mới"))
        messages.success(
            request,
            _(
                "Đã tạo phiên bản {n} của “{f}”, áp dụng từ {d}; sửa ngày áp dụng và nội dung trước khi đến ngày đó."
            ).format(n=new.number, f=version.form.name, d=start.strftime("%d/%m/%Y")),
        )


class FormVersionAdmin(LoggedAdmin):
    list_display = ("form", "number", "valid_from", "due_days", "due_time", "lock_days", "in_use")
    list_filter = ("form",)
    inlines = [FormItemInline, ValidationRuleInline]
    actions = [copy_as_new_version]
    filter_horizontal = ("reporting_unit_types",)

    @admin.display(boolean=True, description=gettext_lazy("Đã có báo cáo"))
    def in_use(self, obj):
        return obj.is_in_use

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_in_use) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_in_use) and super().has_delete_permission(request, obj)
