from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cax.core"
    label = "core"
    verbose_name = _("Dùng chung")

    def ready(self):
        from django.db.models.signals import post_migrate

        from cax.core import checks  # noqa: F401 - registers the system checks
        from cax.core.dbroles import protect_after_migrate
        from cax.core.registry import MenuEntry, registry

        post_migrate.connect(protect_after_migrate, dispatch_uid="cax.core.protect_after_migrate")

        # The one search's index follows every save and delete of a registered source's model
        # (the receivers ignore other models), in the write's own transaction (core.search).
        from django.db.models.signals import post_delete, post_save

        from cax.core import search

        post_save.connect(search.on_save, dispatch_uid="cax.core.search.on_save")
        post_delete.connect(search.on_delete, dispatch_uid="cax.core.search.on_delete")

        from cax.core import jobs

        jobs.register_kind("core.import", "cax.core.import_flow.run_import_job")
        jobs.register_kind("core.purge", "cax.core.jobs.run_purge_job")

        registry.add_menu(
            MenuEntry(_("Nhật ký thay đổi"), "changelog", perm="core.view_changelog", order=110, group="admin"),
            MenuEntry(
                _("Danh mục"), "reference:index", order=115, group="admin", when="cax.core.reference_admin.admits"
            ),
        )
