from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/) as an app only so that it adds its own menu entry (issue 15.2)."""

    name = "cax.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from cax.core.registry import MenuEntry, registry

        registry.add_menu(MenuEntry("API", "api:openapi-view", order=130, group="admin"))
