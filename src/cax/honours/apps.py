from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "cax.honours"
    label = "honours"
    verbose_name = _("Thương vong, khen thưởng, thi đua")
