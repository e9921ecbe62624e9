import time

from django.core.management.base import BaseCommand, CommandError

from cax.cases.demo import generate_cases
from cax.cases.models import Case
from cax.units.models import Unit


class Command(BaseCommand):
    help = "Sinh sổ tiếp nhận mẫu cho benchmark: --count nguồn tin (mặc định 2.000.000) trên mọi đơn vị cấp xã, 5 năm."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2_000_000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--unit", help="Chỉ sinh cho các đơn vị cấp xã thuộc đơn vị mã này (vd 51)")
        parser.add_argument("--if-empty", action="store_true", help="Bỏ qua nếu đơn vị đã có nguồn tin")

    def handle(self, *args, **options):
        root = None
        if options["unit"]:
            root = Unit.objects.current().filter(code=options["unit"]).first()
            if root is None:
                raise CommandError(f"Không có đơn vị mã {options['unit']}")
        if options["if_empty"] and Case.objects.in_subtree(root.path if root else "/").exists():
            self.stdout.write("Sổ tiếp nhận mẫu đã có.")
            return
        started = time.perf_counter()
        count = generate_cases(count=options["count"], root=root, seed=options["seed"])
        self.stdout.write(self.style.SUCCESS(f"{count} nguồn tin ({time.perf_counter() - started:.0f} s)."))
