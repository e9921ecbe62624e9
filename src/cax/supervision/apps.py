from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "cax.supervision"
    label = "supervision"
    verbose_name = _("Quản lý đối tượng")

    def ready(self):
        from cax.core.registry import ReferenceModel, registry

        registry.add_reference(
            ReferenceModel(
                "supervision.Category",
                options={"list_display": ("code", "name", "supervising_body", "department_code", "legal_basis")},
            ),
            ReferenceModel(
                "supervision.Rule",
                options={
                    "list_display": (
                        "category",
                        "code",
                        "amount",
                        "unit",
                        "effective_from",
                        "effective_to",
                        "verified",
                        "legal_basis",
                    ),
                    "list_filter": ("category", "code", "verified"),
                },
            ),
        )
