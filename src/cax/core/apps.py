from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cax.core"
    label = "core"
    verbose_name = _("Dùng chung")

    def ready(self):
        from cax.core.registry import MenuEntry, registry

        registry.add_menu(
            MenuEntry(_("Nhật ký thay đổi"), "changelog", perm="core.view_changelog", order=110),
        )
