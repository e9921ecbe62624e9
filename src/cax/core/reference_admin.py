"""Reference data editors (/reference/): deadline rules, holidays, offence groups, receiving bodies
outside CAX, staffing norms, unit types, report forms. The law changes these; administrators at the top of
the tree keep them. Each app lists its own models in ``core.registry`` (issue 15.2).

Django's admin, restricted and wired to the change log, rather than five hand-made CRUD pages.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cax.core.changelog import record_change, snapshot
from cax.core.idempotency import submit_once
from cax.core.models import ChangeLog
from cax.core.registry import registry


def admits(user) -> bool:
    """Who keeps reference data: a top-level administrator (the menu's "Danh mục" asks the same)."""
    return bool(
        user.is_active and user.is_authenticated and user.has_perm("accounts.change_user") and user.scope_is_top_level
    )


class ReferenceSite(admin.AdminSite):
    site_header = _("CAX — danh mục tham chiếu")
    site_title = _("Danh mục tham chiếu")
    index_title = _("Quy tắc, định biên, danh mục")
    site_url = "/"

    def has_permission(self, request):
        return admits(request.user)


class AdmittedBySite:
    """Reference data is not in the role table: whoever the site admits (a top-level administrator)
    keeps every model on it and its inline rows. A subclass narrows further (a form in use is frozen)."""

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, *args):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)


class LoggedAdmin(AdmittedBySite, admin.ModelAdmin):
    """Every save and delete goes to the change log, like any service write; the add and change
    form (which also adds inline rows) carries a one-time submit token (#14)."""

    change_form_template = "core/reference/change_form.html"

    @method_decorator(submit_once)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record_change(
            actor=request.user,
            obj=obj,
            action=ChangeLog.Action.UPDATE if change else ChangeLog.Action.CREATE,
            before=before,
            message=_("Sửa danh mục tham chiếu"),
        )

    def save_formset(self, request, form, formset, change):
        """Inline rows (a form's indicators, a version's items and rules) are logged one by one."""
        befores = {
            f.instance.pk: snapshot(type(f.instance).objects.get(pk=f.instance.pk))
            for f in formset.initial_forms
            if f.instance.pk and f.has_changed()
        }
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_change(actor=request.user, obj=obj, action=ChangeLog.Action.DELETE, before=snapshot(obj))
            obj.delete()
        for obj in instances:
            is_new = obj.pk is None
            obj.save()
            record_change(
                actor=request.user,
                obj=obj,
                action=ChangeLog.Action.CREATE if is_new else ChangeLog.Action.UPDATE,
                before=None if is_new else befores.get(obj.pk),
                message=_("Sửa danh mục tham chiếu"),
            )
        formset.save_m2m()

    def delete_model(self, request, obj):
        record_change(actor=request.user, obj=obj, action=ChangeLog.Action.DELETE, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


site = ReferenceSite(name="reference")


def register_all() -> None:
    """Every model the apps listed in the registry (their ``AppConfig.ready()``), once each."""
    for entry in registry.reference:
        model = apps.get_model(entry.model)
        if not site.is_registered(model):
            admin_class = import_string(entry.admin) if entry.admin else LoggedAdmin
            site.register(model, admin_class, **entry.options)
