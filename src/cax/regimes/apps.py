from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegimesConfig(AppConfig):
    name = "cax.regimes"
    label = "regimes"
    verbose_name = _("Chế độ, chính sách")

    def ready(self):
        from cax.core.registry import MenuEntry, PagePart, ReferenceModel, UnitLink, registry

        registry.add_menu(
            MenuEntry(
                _("Chế độ, phụ cấp"),
                "regimes:monthly",
                perm="regimes.view_entitlement",
                order=86,
                group="personnel",
                covers=("regimes:monthly", "regimes:rotation"),
            ),
            MenuEntry(
                _("Mức hưởng chế độ"),
                "regimes:rate_list",
                perm="regimes.view_entitlementrate",
                order=87,
                group="personnel",
                covers=("regimes:rate_*", "regimes:area_*"),
            ),
        )
        registry.add_unit_links(UnitLink(_("Phân loại địa bàn"), "regimes:area_list", order=65))
        registry.add_reference(
            ReferenceModel(
                "regimes.EntitlementType",
                options={"list_display": ("code", "name", "kind", "exclusive_group", "proration", "legal_basis")},
            ),
            ReferenceModel(
                "regimes.RotationRule",
                options={"list_display": ("years", "effective_from", "effective_to", "verified", "basis")},
            ),
        )
        registry.add_page_parts(
            PagePart("officer", template="regimes/_officer_entitlements.html", context="cax.regimes.views.officer_part")
        )
        registry.add_todo("cax.regimes.todo.todo", order=45)
        # After deployment's demo: entitlements follow the demo postings.
        registry.add_demo_loader("cax.regimes.demo.load_demo", order=80)
