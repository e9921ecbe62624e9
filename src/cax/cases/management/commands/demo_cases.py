import time

from django.core.management.base import BaseCommand

from cax.cases.demo import generate_cases


class Command(BaseCommand):
    help = "Sinh sổ tiếp nhận mẫu cho benchmark: --count nguồn tin (mặc định 2.000.000) trên mọi đơn vị cấp xã, 5 năm."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2_000_000)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = generate_cases(count=options["count"], seed=options["seed"])
        self.stdout.write(self.style.SUCCESS(f"{count} nguồn tin ({time.perf_counter() - started:.0f} s)."))
