from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cax.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from cax.accounts.hashers import check_parameters
        from cax.accounts.middleware import mark_signed_in
        from cax.accounts.roles import VIEW_SECURITY_LOG
        from cax.core.registry import MenuEntry, registry

        check_parameters()
        user_logged_in.connect(mark_signed_in, dispatch_uid="cax.accounts.session_clocks")

        registry.add_menu(
            MenuEntry(
                _("Tài khoản"),
                "accounts:users",
                perm="accounts.view_user",
                order=100,
                group="admin",
                covers=("accounts:user*",),
            ),
            MenuEntry(
                _("Nhật ký an ninh"),
                "accounts:security_log",
                perm=VIEW_SECURITY_LOG,
                order=101,
                group="admin",
                covers=("accounts:security*",),
            ),
        )
