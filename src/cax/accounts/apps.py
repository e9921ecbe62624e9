from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cax.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from cax.core.registry import MenuEntry, registry

        registry.add_menu(MenuEntry(_("Tài khoản"), "accounts:users", perm="accounts.view_user", order=100))
