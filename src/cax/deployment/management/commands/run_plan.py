from django.core.management.base import BaseCommand, CommandError

from cax.deployment.models import PlanScenario
from cax.deployment.planning import run


class Command(BaseCommand):
    help = "Tính một phương án bố trí đang chờ (được trang web gọi ở tiến trình riêng; dùng tay khi cần chạy lại)."

    def add_arguments(self, parser):
        parser.add_argument("scenario", type=int)

    def handle(self, *args, **options):
        if not PlanScenario.objects.filter(pk=options["scenario"]).exists():
            raise CommandError(f"Không có phương án {options['scenario']}.")
        scenario = run(options["scenario"])
        self.stdout.write(f"{scenario.name}: {scenario.get_status_display()} ({scenario.result.get('seconds', '-')} s)")
