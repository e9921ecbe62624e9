from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GrassrootsConfig(AppConfig):
    name = "cax.grassroots"
    label = "grassroots"
    verbose_name = _("Lực lượng bảo vệ ANTT ở cơ sở")

    def ready(self):
        from cax.core.registry import MenuEntry, SearchSource, UnitLink, registry

        registry.add_menu(
            MenuEntry(
                _("Tổ bảo vệ ANTT"), "grassroots:team_list", perm="grassroots.view_team", order=80, group="movement"
            ),
            MenuEntry(
                pgettext_lazy("menu", "Thành viên tổ bảo vệ ANTT"),
                "grassroots:member_list",
                perm="grassroots.view_teammember",
                order=80,
                group="movement",
                covers=("grassroots:member_*",),
            ),
            MenuEntry(
                _("Chi trả chế độ"),
                "grassroots:allowance_list",
                perm="grassroots.view_allowancepayment",
                order=80,
                group="movement",
                covers=("grassroots:allowance_*",),
            ),
            MenuEntry(
                _("Tiêu chuẩn thành viên"),
                "grassroots:criteria_list",
                perm="grassroots.view_criteria",
                order=80,
                group="movement",
                covers=("grassroots:criteria_*",),
            ),
        )
        registry.add_unit_links(
            UnitLink(_("Tổ bảo vệ ANTT"), "grassroots:team_list", order=20),
            UnitLink(_("Thành viên tổ"), "grassroots:member_list", order=21),
        )
        registry.add_tiles("cax.grassroots.selectors.tiles", order=20)
        registry.add_todo("cax.grassroots.todo.todo", order=50)
        registry.add_demo_loader("cax.grassroots.demo.load_demo", order=20)
        registry.add_search(
            SearchSource(
                "teams",
                _("Tổ bảo vệ ANTT"),
                model="grassroots.Team",
                document="cax.grassroots.search.document",
                url_name="grassroots:team_detail",
                order=50,
            )
        )
