from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "cax.facilities"
    label = "facilities"
    verbose_name = _("Trụ sở, trang thiết bị")

    def ready(self):
        from cax.core.registry import MenuEntry, UnitLink, registry

        registry.add_menu(
            MenuEntry(
                _("Trụ sở Công an xã"),
                "facilities:headquarters_list",
                perm="facilities.view_headquarters",
                order=81,
                group="logistics",
            ),
            MenuEntry(
                _("Trang thiết bị"),
                "facilities:equipment_list",
                perm="facilities.view_equipment",
                order=81,
                group="logistics",
                covers=("facilities:equipment_*",),
            ),
            MenuEntry(
                _("Định mức trang thiết bị"),
                "facilities:standard_list",
                perm="facilities.view_equipmentstandard",
                order=81,
                group="logistics",
                covers=("facilities:standard_*",),
            ),
        )
        registry.add_unit_links(
            UnitLink(_("Trụ sở"), "facilities:headquarters_list", order=30),
            UnitLink(_("Trang thiết bị"), "facilities:equipment_list", order=31),
        )
        registry.add_tiles("cax.facilities.selectors.tiles", order=30)
        registry.add_todo("cax.facilities.todo.todo", order=60)
        registry.add_demo_loader("cax.facilities.demo.load_demo", order=40)
