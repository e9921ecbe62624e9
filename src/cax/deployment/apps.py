from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "cax.deployment"
    label = "deployment"
    verbose_name = _("Bố trí cán bộ")

    def ready(self):
        from cax.core import jobs
        from cax.deployment import levels, notices

        levels.connect()
        notices.register()
        _register_pages()
        _register_imports()
        jobs.register_kind("deployment.rebuild_levels", "cax.deployment.levels.rebuild_job")
        # Not atomic: a run commits its progress and reads its cancel flag as it goes.
        jobs.register_kind(
            "deployment.plan",
            "cax.deployment.planning.run_job",
            atomic=False,
            on_failure="cax.deployment.planning.job_given_up",
        )


def _register_pages() -> None:
    from cax.core.registry import MenuEntry, PagePart, ReferenceModel, UnitLink, registry

    registry.add_menu(
        MenuEntry(_("Bố trí cán bộ"), "deployment:staffing", with_unit=True, order=20, group="personnel"),
        MenuEntry(
            _("Phương án bố trí"), "plans:list", perm="deployment.view_planscenario", order=30, group="personnel"
        ),
    )
    registry.add_unit_links(
        UnitLink(_("Bố trí cán bộ"), "deployment:staffing", by="pk", section="pages"),
        UnitLink(_("Bảng điều hành"), "deployment:leader", by="pk", section="pages", order=101),
    )
    registry.add_todo("cax.deployment.todo.todo", order=30)
    registry.add_reference(
        ReferenceModel(
            "deployment.StaffingNorm",
            options={
                "list_display": (
                    "__str__",
                    "minimum",
                    "target",
                    "requires_chief",
                    "min_investigators",
                    "effective_from",
                    "effective_to",
                ),
                "raw_id_fields": ("province", "unit"),
            },
        )
    )
    # An officer's page (personnel) shows the posting decisions and their forms, which are deployment's.
    registry.add_page_parts(
        PagePart(
            "officer",
            template="deployment/_officer_lifecycle.html",
            context="cax.deployment.lifecycle_views.lifecycle_context",
            urls="cax.deployment.officer_urls",
        )
    )


def _register_imports() -> None:
    from cax.core.registry import ImportKind, registry

    # Offered on the officer import page (/officers/import/), after the officers themselves.
    registry.add_imports(
        ImportKind(
            "postings",
            "cax.deployment.imports.POSTING_COLUMNS",
            "cax.deployment.imports.postings_import",
            page="officers",
            label=_("Quyết định bố trí"),
            template_label=_("quyết định bố trí"),
            order=20,
        ),
        ImportKind(
            "party_cells",
            "cax.deployment.imports.PARTY_CELL_COLUMNS",
            "cax.deployment.imports.party_cells_import",
            page="officers",
            label=_("Chi bộ Công an xã"),
            template_label=_("chi bộ"),
            order=30,
        ),
        ImportKind(
            "committee_seats",
            "cax.deployment.imports.SEAT_COLUMNS",
            "cax.deployment.imports.committee_seats_import",
            page="officers",
            label=_("Cấp ủy viên (BCH, BTV)"),
            template_label=_("cấp ủy viên"),
            order=40,
        ),
    )
