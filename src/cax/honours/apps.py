from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HonoursConfig(AppConfig):
    name = "cax.honours"
    label = "honours"
    verbose_name = _("Thương vong, khen thưởng, thi đua")

    def ready(self):
        from cax.core.registry import MenuEntry, UnitLink, registry

        registry.add_menu(
            MenuEntry(
                _("Hy sinh, bị thương"),
                "honours:casualty_list",
                perm="honours.view_casualty",
                order=83,
                group="movement",
            ),
            MenuEntry(
                _("Khen thưởng"),
                "honours:commendation_list",
                perm="honours.view_commendation",
                order=83,
                group="movement",
                covers=("honours:commendation_*",),
            ),
            MenuEntry(
                pgettext_lazy("menu", "Phong trào thi đua"),
                "honours:campaign_list",
                perm="honours.view_emulationcampaign",
                order=83,
                group="movement",
                covers=("honours:campaign_*",),
            ),
        )
        registry.add_unit_links(
            UnitLink(_("Hy sinh, bị thương"), "honours:casualty_list", order=50),
            UnitLink(_("Khen thưởng"), "honours:commendation_list", order=51),
            UnitLink(_("Phong trào thi đua"), "honours:campaign_list", order=52),
        )
        registry.add_tiles("cax.honours.selectors.tiles", order=50)
        registry.add_demo_loader("cax.honours.demo.load_demo", order=50)
