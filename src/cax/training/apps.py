from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "cax.training"
    label = "training"
    verbose_name = _("Đào tạo, tập huấn")

    def ready(self):
        from cax.core.registry import MenuEntry, UnitLink, registry

        registry.add_menu(
            MenuEntry(_("Đào tạo"), "training:course_list", perm="training.view_course", order=84, group="personnel"),
            MenuEntry(
                _("Học viên đào tạo"),
                "training:participant_list",
                perm="training.view_participant",
                order=84,
                group="personnel",
                covers=("training:participant_*",),
            ),
        )
        registry.add_unit_links(UnitLink(_("Đào tạo"), "training:course_list", order=60))
        registry.add_tiles("cax.training.selectors.tiles", order=60)
        # After the teams: training enrols grassroots members.
        registry.add_demo_loader("cax.training.demo.load_demo", order=30)
        from cax.grassroots import extensions
        from cax.training.selectors import member_trained, member_trainings

        extensions.provide(trained=member_trained, trainings=member_trainings)
