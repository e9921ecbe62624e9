import time

from django.core.management.base import BaseCommand, CommandError

from cax.accounts.demo import DEMO_PROVINCE_CODE
from cax.deployment.demo import generate, generate_pool
from cax.personnel.models import Officer
from cax.units.models import Unit


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu cán bộ mẫu: --scale province (tỉnh demo, mặc định) hoặc --scale national "
        "(toàn quốc, ~120.000 cán bộ, 5 năm lịch sử bố trí, cho benchmark)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["province", "national"], default="province")
        parser.add_argument("--province", default=DEMO_PROVINCE_CODE, help="Mã tỉnh demo (mặc định 51)")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--if-empty", action="store_true", help="Bỏ qua nếu đã có cán bộ trong phạm vi")

    def handle(self, *args, **options):
        national = options["scale"] == "national"
        code = "BCA" if national else options["province"]
        root = Unit.objects.current().filter(code=code).first()
        if root is None:
            raise CommandError(f"Không có đơn vị mã {code}: chạy ./cax manage load_units trước.")
        if Officer.objects.in_subtree(root.path).exists():
            if options["if_empty"]:
                self.stdout.write(f"Dữ liệu mẫu đã có tại {root.name}.")
                return
            raise CommandError(f"Đã có cán bộ tại {root.name}; dữ liệu mẫu chỉ sinh vào nơi chưa có.")
        started = time.perf_counter()
        # National scale: about 36 officers per commune × 3,321 communes ≈ 120,000 officers.
        summary = generate(root=root, seed=options["seed"], size_range=(30, 42) if national else (7, 16))
        waiting = 0 if national else generate_pool(root=root)
        self.stdout.write(
            self.style.SUCCESS(
                f"{root.name}: {summary.officers} cán bộ, {summary.postings} quyết định bố trí, "
                f"{summary.party_cells} chi bộ ở {summary.communes} đơn vị cấp xã, "
                f"{waiting} cán bộ chờ bố trí "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
