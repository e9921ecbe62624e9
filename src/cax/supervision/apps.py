from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "cax.supervision"
    label = "supervision"
    verbose_name = _("Quản lý đối tượng")

    def ready(self):
        from cax.core import jobs
        from cax.core.registry import MenuEntry, SearchSource, UnitLink, registry

        jobs.register_kind("supervision.remind", "cax.supervision.services.remind_job")
        from cax.supervision import notices

        notices.register()
        registry.add_menu(
            # Names for the managing commune and the responsible department (either right).
            MenuEntry(
                _("Đối tượng quản lý"),
                "supervision:file_list",
                when="cax.supervision.policy.sees_names",
                order=64,
                group="operations",
                covers=("supervision:file_*", "supervision:event_*", "supervision:handover_*", "supervision:overdue"),
            ),
            # Counts for every level.
            MenuEntry(
                _("Số liệu đối tượng quản lý"),
                "supervision:figures",
                perm="supervision.view_figures",
                order=65,
                group="operations",
                covers=("supervision:figures",),
            ),
            MenuEntry(
                _("Nhật ký mở hồ sơ đối tượng"),
                "supervision:access_log",
                perm="supervision.view_fileaccess",
                order=121,
                group="operations",
                covers=("supervision:access_log",),
            ),
        )
        registry.add_unit_links(UnitLink(_("Đối tượng quản lý (số liệu)"), "supervision:figures", order=45))
        registry.add_tiles("cax.supervision.selectors.tiles", order=45)
        registry.add_todo("cax.supervision.todo.todo", order=45)
        registry.add_demo_loader("cax.supervision.demo.load_demo", order=70)
        _register_reference()
        # Names stay in this app: searched here, logged here, never in core's shared index.
        registry.add_search(
            SearchSource("persons", _("Đối tượng quản lý"), searcher="cax.supervision.search.search", order=60)
        )


def _register_reference():
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
