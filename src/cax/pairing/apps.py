from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "cax.pairing"
    label = "pairing"
    verbose_name = _("Phòng nghiệp vụ phụ trách xã")

    def ready(self):
        from cax.core.registry import MenuEntry, UnitLink, registry

        registry.add_menu(
            MenuEntry(
                _("Phòng phụ trách xã"),
                "pairing:pairing_list",
                perm="pairing.view_pairing",
                order=85,
                group="logistics",
            )
        )
        registry.add_unit_links(
            UnitLink(_("Phòng phụ trách xã"), "pairing:pairing_list", order=70),
            UnitLink(
                _("Xã phòng phụ trách"),
                "pairing:department",
                by="pk",
                section="pages",
                applies=is_department,
                order=110,
            ),
        )
        registry.add_tiles("cax.pairing.selectors.tiles", order=70)
        # First: requests are assigned to the departments it creates.
        registry.add_demo_loader("cax.pairing.demo.load_demo", order=10)


def is_department(unit) -> bool:
    return unit.unit_type.code == "department"
