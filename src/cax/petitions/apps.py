from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "cax.petitions"
    label = "petitions"
    verbose_name = _("Kiến nghị của Công an xã")

    def ready(self):
        from cax.core import jobs
        from cax.core.registry import MenuEntry, SearchSource, UnitLink, registry

        jobs.register_kind("petitions.remind", "cax.petitions.services.remind_job")
        from cax.petitions import notices

        notices.register()

        registry.add_menu(
            MenuEntry(
                _("Kiến nghị"), "petitions:petition_list", perm="petitions.view_petition", order=82, group="operations"
            ),
            MenuEntry(
                _("Hội nghị lắng nghe ý kiến"),
                "petitions:conference_list",
                perm="petitions.view_conference",
                order=82,
                group="operations",
                covers=("petitions:conference_*",),
            ),
        )
        registry.add_unit_links(
            UnitLink(_("Kiến nghị"), "petitions:petition_list", order=40),
            UnitLink(_("Hội nghị"), "petitions:conference_list", order=41),
        )
        registry.add_tiles("cax.petitions.selectors.tiles", order=40)
        registry.add_todo("cax.petitions.todo.todo", order=40)
        registry.add_demo_loader("cax.petitions.demo.load_demo", order=60)
        registry.add_search(
            SearchSource(
                "petitions",
                _("Kiến nghị"),
                model="petitions.Petition",
                document="cax.petitions.search.document",
                url_name="petitions:petition_detail",
                order=40,
            )
        )
