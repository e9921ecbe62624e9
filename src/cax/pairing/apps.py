from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "cax.pairing"
    label = "pairing"
    verbose_name = _("Phòng nghiệp vụ phụ trách xã")
