from django.core.management.base import BaseCommand

from cax.reports.demo import generate
from cax.reports.models import Submission
from cax.reports.standard import load_standard_forms


class Command(BaseCommand):
    help = "Tạo báo cáo mẫu gần đây cho các xã của một tỉnh (mặc định 51, Quảng Ngãi)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="51", help="Mã đơn vị (tỉnh) có các xã cần tạo báo cáo")
        parser.add_argument("--if-empty", action="store_true", help="Không làm gì nếu đã có báo cáo")
        parser.add_argument(
            "--days", type=int, default=None, help="Chỉ các kỳ trong số ngày gần nhất này (bản mẫu ngắn cho kiểm thử)"
        )

    def handle(self, *args, unit, if_empty, days, **options):
        load_standard_forms()
        if if_empty and Submission.objects.exists():
            self.stdout.write("Đã có báo cáo; bỏ qua.")
            return
        made = generate(unit_code=unit, days=days)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {made} báo cáo mẫu."))
