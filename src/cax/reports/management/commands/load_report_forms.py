from django.core.management.base import BaseCommand

from cax.core.context import request_context
from cax.reports.standard import load_standard_forms


class Command(BaseCommand):
    help = "Tạo bộ biểu mẫu báo cáo chuẩn (ngày, tuần, tháng) nếu chưa có; không sửa biểu mẫu đã có."

    def handle(self, *args, **options):
        with request_context():
            created = load_standard_forms()
        self.stdout.write(self.style.SUCCESS(f"Biểu mẫu chuẩn: {created} tạo mới."))
