from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "cax.procedures"
    label = "procedures"
    verbose_name = _("Thủ tục hành chính tại Công an xã")

    def ready(self):
        from cax.core import jobs
        from cax.core.registry import MenuEntry, UnitLink, registry

        jobs.register_kind("procedures.purge", "cax.procedures.services.purge_job")
        registry.add_menu(
            MenuEntry(
                _("Hồ sơ thủ tục hành chính"),
                "procedures:dossier_list",
                perm="procedures.view_dossier",
                order=65,
                group="operations",
                covers=("procedures:dossier_*",),
            ),
            MenuEntry(
                _("Lưu trú, người nước ngoài"),
                "procedures:declaration_list",
                perm="procedures.view_declaration",
                order=66,
                group="operations",
                covers=("procedures:declaration_*",),
            ),
            MenuEntry(
                _("Số liệu thủ tục hành chính"),
                "procedures:figures",
                perm="procedures.count_dossier",
                order=67,
                group="operations",
                covers=("procedures:figures",),
            ),
            MenuEntry(
                _("Truy cập thông tin cá nhân (TTHC)"),
                "procedures:identity_reads",
                perm="procedures.view_identityread",
                order=121,
                group="operations",
                covers=("procedures:identity_reads",),
            ),
        )
        registry.add_unit_links(UnitLink(_("Số liệu thủ tục hành chính"), "procedures:figures", order=15))
        registry.add_tiles("cax.procedures.selectors.tiles", order=15)
        registry.add_todo("cax.procedures.todo.todo", order=25)
        registry.add_demo_loader("cax.procedures.demo.load_demo", order=70)
        from cax.procedures.prefill import register_sources

        register_sources()
        _register_reference(registry)


def _register_reference(registry) -> None:
    """The procedure types and their time limits, at /reference/."""
    from cax.core.registry import ReferenceModel

    registry.add_reference(
        ReferenceModel(
            "procedures.ProcedureType",
            options={"list_display": ("code", "name", "field", "kind", "is_active", "sort_order")},
        ),
        ReferenceModel(
            "procedures.ProcessingRule",
            options={
                "list_display": (
                    "procedure",
                    "amount",
                    "unit",
                    "remote_amount",
                    "cutoff_time",
                    "valid_from",
                    "valid_to",
                    "legal_basis",
                    "unverified",
                ),
                "list_filter": ("procedure", "unverified"),
            },
        ),
    )
