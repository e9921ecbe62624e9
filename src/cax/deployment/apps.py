from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "cax.deployment"
    label = "deployment"
    verbose_name = _("Bố trí cán bộ")
