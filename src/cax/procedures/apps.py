from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "cax.procedures"
    label = "procedures"
    verbose_name = _("Thủ tục hành chính tại Công an xã")

    def ready(self):
        from cax.core import jobs
        from cax.core.registry import ReferenceModel, registry

        jobs.register_kind("procedures.purge", "cax.procedures.services.purge_job")
        registry.add_reference(
            ReferenceModel(
                "procedures.ProcedureType",
                options={"list_display": ("code", "name", "field", "kind", "is_active", "sort_order")},
            ),
            ReferenceModel(
                "procedures.ProcessingRule",
                options={
                    "list_display": (
                        "procedure",
                        "amount",
                        "unit",
                        "remote_amount",
                        "cutoff_time",
                        "valid_from",
                        "valid_to",
                        "legal_basis",
                        "unverified",
                    ),
                    "list_filter": ("procedure", "unverified"),
                },
            ),
        )
