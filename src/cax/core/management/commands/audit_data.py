from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from cax.core.audit import violations


class Command(BaseCommand):
    help = (
        "Kiểm tra toàn bộ dữ liệu theo chính các quy tắc của CAX (ngày tháng hợp lý, hiệu lực đơn vị, "
        "quy tắc biểu mẫu báo cáo…); liệt kê từng vi phạm. Mã thoát 1 nếu có vi phạm."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="Số vi phạm in ra tối đa cho mỗi quy tắc")

    def handle(self, *args, **options):
        shown, total = Counter(), Counter()
        for violation in violations():
            total[violation.rule] += 1
            if shown[violation.rule] < options["limit"]:
                shown[violation.rule] += 1
                self.stdout.write(str(violation))
        if total:
            summary = ", ".join(f"{rule}: {count}" for rule, count in total.most_common())
            raise CommandError(f"{sum(total.values())} vi phạm ({summary}).")
        self.stdout.write(self.style.SUCCESS("Không có vi phạm."))
