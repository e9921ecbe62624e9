from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cax.reports"
    label = "reports"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self):
        from cax.core import jobs
        from cax.core.registry import MenuEntry, ReferenceModel, registry

        jobs.register_kind("reports.rebuild_rollup", "cax.reports.services.rollup_rebuild_job")
        from cax.reports import notices

        notices.register()

        registry.add_menu(
            MenuEntry(
                _("Báo cáo định kỳ"),
                "reports:unit",
                perm="reports.view_submission",
                with_unit=True,
                order=70,
                group="reports",
            )
        )
        registry.add_todo("cax.reports.todo.todo", order=10)
        registry.add_reference(
            ReferenceModel("reports.ReportForm", admin="cax.reports.admin.ReportFormAdmin"),
            ReferenceModel("reports.FormVersion", admin="cax.reports.admin.FormVersionAdmin"),
        )
        # Completeness on the leaders' dashboard (deployment's page: reports imports deployment).
        registry.add_dashboard_figures("cax.reports.selectors.dashboard_figures")
