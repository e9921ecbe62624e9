from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrassrootsConfig(AppConfig):
    name = "cax.grassroots"
    label = "grassroots"
    verbose_name = _("Lực lượng bảo vệ ANTT ở cơ sở")
