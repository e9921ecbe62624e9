from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "cax.facilities"
    label = "facilities"
    verbose_name = _("Trụ sở, trang thiết bị")
