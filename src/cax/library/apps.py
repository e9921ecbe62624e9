from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "cax.library"
    label = "library"
    verbose_name = _("Tài liệu nghiệp vụ")

    def ready(self):
        from cax.library import notices

        notices.register()
        from cax.core.registry import MenuEntry, ReferenceModel, SearchSource, registry

        registry.add_search(
            SearchSource(
                "library",
                _("Tài liệu nghiệp vụ"),
                model="library.Document",
                document="cax.library.search.document",
                url_name="library:document_detail",
                order=70,
            )
        )
        registry.add_menu(
            MenuEntry(
                _("Tài liệu nghiệp vụ"),
                "library:document_list",
                perm="library.view_document",
                order=70,
                group="operations",
            ),
        )
        registry.add_todo("cax.library.todo.todo", order=90)
        registry.add_reference(
            ReferenceModel(
                "library.SecrecyRule",
                options={"list_display": ("law", "article", "effective_from", "effective_to", "verified")},
            ),
            ReferenceModel(
                "library.ProtectionPeriod",
                options={
                    "list_display": ("level", "years", "effective_from", "effective_to", "legal_basis", "verified")
                },
            ),
        )
        registry.add_demo_loader("cax.library.demo.load_demo", order=90)
