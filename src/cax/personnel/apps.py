from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "cax.personnel"
    label = "personnel"
    verbose_name = _("Cán bộ")

    def ready(self):
        from cax.core.registry import ImportKind, MenuEntry, ReferenceModel, SearchSource, registry

        registry.add_menu(MenuEntry(_("Hồ sơ cán bộ"), "personnel:list", order=50, group="personnel"))
        registry.add_reference(
            ReferenceModel(
                "personnel.ServiceAgeRule",
                options={"list_display": ("minimum_age", "maximum_age", "effective_from", "effective_to")},
            )
        )
        registry.add_imports(
            ImportKind(
                "officers",
                "cax.personnel.imports.OFFICER_COLUMNS",
                "cax.personnel.imports.officers_import",
                page="officers",
                label=_("Hồ sơ cán bộ"),
                template_label=_("hồ sơ cán bộ"),
                order=10,
            )
        )
        registry.add_search(
            SearchSource(
                "officers",
                _("Cán bộ"),
                model="personnel.Officer",
                document="cax.personnel.search.document",
                url_name="personnel:detail",
                order=20,
            )
        )
