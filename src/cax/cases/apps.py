from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cax.cases"
    label = "cases"
    verbose_name = _("Tin báo, tố giác tội phạm")

    def ready(self):
        from cax.cases import notices
        from cax.core.registry import MenuEntry, ReferenceModel, SearchSource, UnitLink, registry

        notices.register()

        registry.add_menu(
            MenuEntry(
                _("Tin báo, tố giác"),
                "cases:list",
                perm="cases.view_case",
                with_unit=True,
                order=60,
                group="operations",
            ),
            MenuEntry(
                _("Truy cập danh tính"),
                "cases:identity_access",
                perm="cases.view_identityaccess",
                order=120,
                group="operations",
            ),
        )
        registry.add_unit_links(UnitLink(_("Sổ tiếp nhận"), "cases:list", by="pk", order=10))
        registry.add_tiles("cax.cases.selectors.tiles", order=10)
        registry.add_todo("cax.cases.todo.todo", order=20)
        registry.add_reference(
            ReferenceModel(
                "cases.DeadlineRule",
                options={
                    "list_display": (
                        "code",
                        "amount",
                        "unit",
                        "remote_amount",
                        "effective_from",
                        "effective_to",
                        "legal_basis",
                    ),
                    "list_filter": ("code",),
                },
            ),
            ReferenceModel("cases.Holiday", options={"list_display": ("day", "name"), "date_hierarchy": "day"}),
            ReferenceModel("cases.OffenceCategory", options={"list_display": ("code", "name")}),
            ReferenceModel(
                "cases.ReceivingBody", options={"list_display": ("code", "name", "is_active", "sort_order")}
            ),
        )
        registry.add_search(
            SearchSource(
                "cases",
                _("Tin báo, tố giác"),
                model="cases.Case",
                document="cax.cases.search.document",
                url_name="cases:detail",
                order=30,
            )
        )
