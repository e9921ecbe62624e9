from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "cax.units"
    label = "units"
    verbose_name = _("Đơn vị")

    def ready(self):
        # The register framework in core knows no units: this app tells it how units are named.
        from cax.core.records.registry import use_units
        from cax.units.fields import NAMING

        use_units(NAMING)

        from cax.core.registry import ImportKind, MenuEntry, ReferenceModel, SearchSource, registry

        registry.add_menu(
            MenuEntry(_("Tổng quan"), "overview:unit", with_unit=True, order=10),
            MenuEntry(_("Đơn vị"), "units:list", order=40, group="admin"),
            MenuEntry(
                _("Nhập đơn vị"),
                "units:import",
                perm="units.change_unit",
                order=90,
                group="admin",
                covers=("units:import*",),
            ),
        )
        registry.add_reference(
            ReferenceModel(
                "units.UnitType", options={"list_display": ("code", "name", "is_commune_level", "sort_order")}
            )
        )
        registry.add_imports(
            ImportKind("units", "cax.units.imports.COLUMNS", "cax.units.imports.units_import", order=0)
        )
        registry.add_search(
            SearchSource(
                "units",
                _("Đơn vị"),
                model="units.Unit",
                document="cax.units.search.document",
                url_name="units:detail",
                order=10,
            )
        )
