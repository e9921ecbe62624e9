from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "cax.movement"
    label = "movement"
    verbose_name = _("Phong trào toàn dân bảo vệ ANTQ")

    def ready(self):
        from cax.core.registry import UnitLink, registry

        _register_search_and_menu()
        registry.add_unit_links(
            UnitLink(_("Mô hình phong trào"), "movement:model_list", order=22),
            UnitLink(_("An toàn về ANTT"), "movement:registration_list", order=23),
        )
        registry.add_tiles("cax.movement.selectors.tiles", order=21)
        registry.add_todo("cax.movement.todo.todo", order=51)
        registry.add_dashboard_figures("cax.movement.selectors.dashboard_figures", order=110)
        registry.add_demo_loader("cax.movement.demo.load_demo", order=55)
        _register_reference()


def _register_search_and_menu():
    from cax.core.registry import MenuEntry, SearchSource, registry

    registry.add_search(
        SearchSource(
            "movement",
            _("Mô hình phong trào"),
            model="movement.MovementModel",
            document="cax.movement.search.document",
            url_name="movement:model_detail",
            order=60,
        )
    )
    registry.add_menu(
        MenuEntry(
            _("Mô hình phong trào"),
            "movement:model_list",
            perm="movement.view_movementmodel",
            order=81,
            group="movement",
            covers=("movement:model_*", "movement:replication_*", "movement:evaluation_*"),
        ),
        MenuEntry(
            _("Điển hình tiên tiến"),
            "movement:example_list",
            perm="movement.view_advancedexample",
            order=81,
            group="movement",
            covers=("movement:example_*",),
        ),
        MenuEntry(
            _("An toàn về ANTT"),
            "movement:registration_list",
            perm="movement.view_safetyregistration",
            order=81,
            group="movement",
            covers=("movement:registration_*", "movement:assessment_*"),
        ),
        MenuEntry(
            _("Xếp loại tổ bảo vệ ANTT"),
            "movement:rating_list",
            perm="movement.view_teamrating",
            order=81,
            group="movement",
            covers=("movement:rating_*", "movement:unrated"),
        ),
    )


def _register_reference():
    from cax.core.registry import ReferenceModel, registry

    registry.add_reference(
        ReferenceModel("movement.ModelType", options={"list_display": ("name", "sort_order", "verified")}),
        ReferenceModel(
            "movement.RecognitionScheme",
            options={
                "list_display": (
                    "entity_type",
                    "effective_from",
                    "effective_to",
                    "authority",
                    "verified",
                    "legal_basis",
                ),
                "list_filter": ("entity_type", "verified"),
            },
        ),
        ReferenceModel(
            "movement.SafetyCriterion",
            options={
                "list_display": ("entity_type", "number", "text", "effective_from", "effective_to", "verified"),
                "list_filter": ("entity_type", "verified"),
            },
        ),
        ReferenceModel(
            "movement.RatingScheme",
            options={
                "list_display": (
                    "effective_from",
                    "effective_to",
                    "min_months",
                    "excellent_cap_percent",
                    "cap_base",
                    "verified",
                    "legal_basis",
                ),
            },
        ),
    )
