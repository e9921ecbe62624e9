from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "cax.notices"
    label = "notices"
    verbose_name = _("Thông báo")

    def ready(self):
        from cax.core import jobs
        from cax.core import notices as core_notices
        from cax.core.registry import registry
        from cax.notices import services

        core_notices.set_publisher(services.publish)
        jobs.register_kind("notices.deadlines", "cax.notices.deadlines.deadlines_job")
        jobs.register_kind("notices.digest", "cax.notices.services.digest_job", atomic=False)
        jobs.register_kind("notices.purge", "cax.notices.services.purge_job")
        registry.add_demo_loader("cax.notices.demo.load_demo", order=95)
