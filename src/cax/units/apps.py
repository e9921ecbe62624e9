from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "cax.units"
    label = "units"
    verbose_name = _("Đơn vị")

    def ready(self):
        # The register framework in core knows no units: this app tells it how units are named.
        from cax.core.records.registry import use_units
        from cax.units.fields import NAMING

        use_units(NAMING)
